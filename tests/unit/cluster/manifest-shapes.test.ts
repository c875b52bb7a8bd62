/**
 * Manifests whose fields have the wrong JSON type. Defaulting and validation read them as
 * unknown and narrow each field: a wrong shape ends as the API server's field error (or is
 * left alone), never as a JavaScript TypeError escaping sim.api.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import type { ApiError } from '../../../engine/cluster/api';
import type { Manifest } from '../../../engine/cluster/types';
import { err } from './api-error';

function sim() {
  return createSimulation(null, { seed: 7 });
}

const fields = (e: ApiError) => e.details?.causes?.map((c) => c.field);

const container = { name: 'web', image: 'nginx:1.27' };
const deployment = (spec: Record<string, unknown>): Manifest => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec });

describe('manifests of the wrong shape', () => {
  it('a spec that is not an object is a field error', () => {
    expect(err(() => sim().api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: 'nginx' })).message).toBe('Pod "p" is invalid: spec.containers: Required value');
    expect(fields(err(() => sim().api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: 80 })))).toEqual(['spec.ports', 'spec.sessionAffinity', 'spec.type']);
  });

  it('a strategy that is not an object is reported, not defaulted into', () => {
    const e = err(() => sim().api.create(deployment({ selector: { matchLabels: { app: 'web' } }, strategy: 'Recreate', template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } } })));
    expect(fields(e)).toEqual(['spec.strategy.type']);
  });

  it('a fieldRef that is not an object is stored as written', () => {
    const env = [{ name: 'X', valueFrom: { fieldRef: 'metadata.name' } }];
    const pod = sim().api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ ...container, env }] } });
    expect(pod.spec.containers[0].env).toEqual(env);
  });

  it('selector and template labels compare as written (a number is not its string)', () => {
    const e = err(() => sim().api.create(deployment({ selector: { matchLabels: { v: 1 } }, template: { metadata: { labels: { v: '1' } }, spec: { containers: [container] } } })));
    expect(e.message).toBe('Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"v":"1"}: `selector` does not match template `labels`');
  });
});

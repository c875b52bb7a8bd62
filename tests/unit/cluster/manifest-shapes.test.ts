/**
 * Manifests whose fields have the wrong JSON type. Defaulting and validation read them as
 * unknown and narrow each field: a wrong shape ends as the API server's field error (or is
 * left alone), never as a JavaScript TypeError escaping sim.api.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import type { Manifest } from '../../../engine/cluster/types';
import { err } from './api-error';

function sim() {
  return createSimulation(null, { seed: 7 });
}


const container = { name: 'web', image: 'nginx:1.27' };
const deployment = (spec: Record<string, unknown>): Manifest => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec });

describe('manifests of the wrong shape', () => {
  // the body does not decode into the Go types: encoding/json's UnmarshalTypeError through
  // transformDecodeError (cluster/validation/decode.ts), as the API server answers
  it('a spec that is not an object fails decoding', () => {
    expect(err(() => sim().api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: 'nginx' })).message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec');
    expect(err(() => sim().api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: 80 })).message).toBe('Service in version "v1" cannot be handled as a Service: json: cannot unmarshal number into Go struct field Service.spec of type v1.ServiceSpec');
  });

  it('a strategy that is not an object fails decoding, before any defaulting', () => {
    const e = err(() => sim().api.create(deployment({ selector: { matchLabels: { app: 'web' } }, strategy: 'Recreate', template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } } })));
    expect(e.reason).toBe('BadRequest');
    expect(e.message).toBe('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.strategy of type v1.DeploymentStrategy');
  });

  it('a fieldRef that is not an object is stored as written', () => {
    const env = [{ name: 'X', valueFrom: { fieldRef: 'metadata.name' } }];
    const pod = sim().api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ ...container, env }] } });
    expect(pod.spec.containers[0].env).toEqual(env);
  });

  it('a label value written as a number fails decoding (map[string]string takes strings only)', () => {
    const e = err(() => sim().api.create(deployment({ selector: { matchLabels: { v: 1 } }, template: { metadata: { labels: { v: '1' } }, spec: { containers: [container] } } })));
    expect(e.message).toBe('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field LabelSelector.spec.selector.matchLabels of type string');
  });
});

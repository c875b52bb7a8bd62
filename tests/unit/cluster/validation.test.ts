/**
 * API validation messages, byte for byte. Message shapes come from kubernetes:
 * apimachinery pkg/util/validation (IsDNS1123Subdomain, IsDNS1035Label, RegexError),
 * pkg/util/validation/field (ErrorBody), apimachinery pkg/api/errors NewInvalid,
 * pkg/apis/core/validation ValidateService/validateServicePort/ValidatePodSpec,
 * pkg/apis/apps/validation ValidatePodTemplateSpecForReplicaSet, pkg/apis/networking/
 * validation, and the service allocators (pkg/registry/core/service/ipallocator,
 * portallocator: "provided port is not in the valid range…", "provided IP is already allocated").
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import type { Manifest } from '../../../engine/cluster/types';
import { err } from './api-error';

function sim() {
  return createSimulation(null, { seed: 7 });
}

const svc = (name: string, spec: Record<string, unknown>): Manifest => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });

describe('Service validation and allocation', () => {
  it('rejects a nodePort outside 30000-32767', () => {
    const e = err(() => sim().api.create(svc('web', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 80 }] })));
    expect(e.reason).toBe('Invalid');
    expect(e.code).toBe(422);
    expect(e.message).toBe('Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
    expect(e.details).toEqual({
      name: 'web',
      group: '',
      kind: 'Service',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767', field: 'spec.ports[0].nodePort' }],
    });
  });

  it('rejects a nodePort already allocated', () => {
    const s = sim();
    s.api.create(svc('a', { type: 'NodePort', selector: { app: 'a' }, ports: [{ port: 80, nodePort: 30080 }] }));
    const e = err(() => s.api.create(svc('b', { type: 'NodePort', selector: { app: 'b' }, ports: [{ port: 80, nodePort: 30080 }] })));
    expect(e.message).toBe('Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
  });

  it('rejects a clusterIP outside the service CIDR', () => {
    const e = err(() => sim().api.create(svc('web', { clusterIP: '10.0.0.5', ports: [{ port: 80 }] })));
    expect(e.message).toBe('Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
  });

  it('rejects a clusterIP already allocated (kube-dns holds .10)', () => {
    const e = err(() => sim().api.create(svc('web', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })));
    expect(e.message).toBe('Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated');
  });

  it('keeps clusterIP immutable', () => {
    const s = sim();
    const created = s.api.create(svc('web', { clusterIP: '10.96.100.100', selector: { app: 'web' }, ports: [{ port: 80 }] }));
    const changed = structuredClone(created);
    changed.spec.clusterIP = '10.96.100.101';
    changed.spec.clusterIPs = ['10.96.100.101'];
    const e = err(() => s.api.update(changed));
    expect(e.message).toBe('Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.100.101"}: may not change once set');
  });

  it('requires externalName for ExternalName Services', () => {
    const e = err(() => sim().api.create(svc('ext', { type: 'ExternalName' })));
    expect(e.message).toBe('Service "ext" is invalid: spec.externalName: Required value');
  });

  it('requires names when a Service has several ports, and aggregates the errors', () => {
    const e = err(() => sim().api.create(svc('web', { selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443 }] })));
    expect(e.message).toBe('Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]');
    expect(e.details?.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[0].name' },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[1].name' },
    ]);
  });

  it('names Services as DNS-1035 labels', () => {
    const e = err(() => sim().api.create(svc('1web', { ports: [{ port: 80 }] })));
    expect(e.message).toBe(
      `Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    );
  });

  it('rejects an unknown type and protocol', () => {
    const e = err(() => sim().api.create(svc('web', { type: 'Cluster', ports: [{ port: 80, protocol: 'ICMP' }] })));
    expect(e.message).toBe('Service "web" is invalid: [spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP", spec.type: Unsupported value: "Cluster": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]');
  });

  it('forbids nodePort on a ClusterIP Service', () => {
    const e = err(() => sim().api.create(svc('web', { ports: [{ port: 80, nodePort: 30001 }] })));
    expect(e.message).toBe("Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
  });
});

describe('object names and workloads', () => {
  it('uses the RFC 1123 subdomain message for most kinds', () => {
    const e = err(() => sim().api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Web_1' }, data: {} }));
    expect(e.message).toBe(
      `ConfigMap "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  });

  it('requires the Deployment selector to match the template labels', () => {
    const e = err(() => sim().api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'api', tier: 'fe' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    }));
    expect(e.message).toBe('Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"api", "tier":"fe"}: `selector` does not match template `labels`');
    expect(e.details?.kind).toBe('Deployment');
    expect(e.details?.group).toBe('apps');
  });

  it('requires containers, names and images', () => {
    expect(err(() => sim().api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} })).message).toBe('Pod "p" is invalid: spec.containers: Required value');
    expect(err(() => sim().api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } })).message).toBe('Pod "p" is invalid: spec.containers[0].image: Required value');
    expect(err(() => sim().api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 70000 }] }] } })).message).toBe(
      'Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    );
  });

  it('forbids pod spec changes other than images', () => {
    const s = sim();
    s.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const next = structuredClone(s.get('Pod', 'default', 'p')!);
    next.spec.containers[0].ports = [{ containerPort: 80, protocol: 'TCP' }];
    expect(err(() => s.api.update(next)).message).toMatch(/^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\]\.image`/);
    const img = structuredClone(s.get('Pod', 'default', 'p')!);
    img.spec.containers[0].image = 'nginx:1.27';
    expect(s.api.update(img).spec.containers[0].image).toBe('nginx:1.27');
  });
});

describe('NetworkPolicy and Ingress schema', () => {
  it('checks ipBlock CIDRs and except subsets', () => {
    const e = err(() => sim().api.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np' },
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }, { ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }] }] },
    }));
    expect(e.message).toBe(
      'NetworkPolicy.networking.k8s.io "np" is invalid: [spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64), spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`]',
    );
  });

  it('requires a peer and a valid port', () => {
    const e = err(() => sim().api.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np' },
      spec: { podSelector: {}, ingress: [{ from: [{}], ports: [{ port: 0 }] }] },
    }));
    expect(e.message).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: [spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ingress[0].from[0]: Required value: must specify a peer]');
  });

  it('requires pathType and a backend', () => {
    const e = err(() => sim().api.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'ing' },
      spec: { rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }, { path: 'api', pathType: 'Prefix', backend: {} }] } }] },
    }));
    expect(e.message).toBe(
      'Ingress.networking.k8s.io "ing" is invalid: [spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified, spec.rules[0].http.paths[1].path: Invalid value: "api": must be an absolute path, spec.rules[0].http.paths[1].backend: Invalid value: "": resource or service backend is required]',
    );
  });
});

describe('API status errors', () => {
  it('reports NotFound and AlreadyExists like the API server', () => {
    const s = sim();
    expect(err(() => s.api.get('Service', 'default', 'nope')).message).toBe('services "nope" not found');
    expect(err(() => s.api.create(svc('kubernetes', { ports: [{ port: 443 }] }))).message).toBe('services "kubernetes" already exists');
    expect(err(() => s.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'nope' } })).message).toBe('namespaces "nope" not found');
    expect(err(() => s.api.get('Deployment', 'default', 'nope')).message).toBe('deployments.apps "nope" not found');
  });
});

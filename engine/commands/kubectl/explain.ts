/**
 * kubectl explain — the plaintext layout of k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl:
 * KIND, VERSION, (FIELD), DESCRIPTION and FIELDS with `<type>` and `-required-`.
 * The schema covers the modeled kinds' top level and the networking fields lessons use.
 */
import type { CommandOutcome } from '../../types';
import { apiVersionOf, resourceFor, isServed } from '../../cluster/resources';
import { type FlagDef } from './flags';
import { KubectlError, type Kctx } from './common';

export const EXPLAIN_FLAGS: FlagDef[] = [
  { long: 'recursive', type: 'bool' },
  { long: 'api-version', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
];

interface Field {
  type: string;
  desc: string;
  required?: boolean;
  /** Name of a nested schema in SCHEMAS. */
  ref?: string;
}

interface Schema {
  desc: string;
  fields: Record<string, Field>;
}

const API_VERSION_DESC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DESC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA_DESC = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

function top(desc: string, spec?: [string, string], status?: [string, string]): Schema {
  const fields: Record<string, Field> = {
    apiVersion: { type: 'string', desc: API_VERSION_DESC },
    kind: { type: 'string', desc: KIND_DESC },
    metadata: { type: 'ObjectMeta', desc: METADATA_DESC },
  };
  if (spec) fields.spec = { type: spec[0], desc: spec[1], ref: spec[0] };
  if (status) fields.status = { type: status[0], desc: status[1] };
  return { desc, fields };
}

const SCHEMAS: Record<string, Schema> = {
  Service: top(
    'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
    ['ServiceSpec', 'Spec defines the behavior of a service. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
    ['ServiceStatus', 'Most recently observed status of the service. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
  ),
  ServiceSpec: {
    desc: 'ServiceSpec describes the attributes that a user creates on a service.',
    fields: {
      clusterIP: { type: 'string', desc: 'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail.' },
      clusterIPs: { type: '[]string', desc: 'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.' },
      externalIPs: { type: '[]string', desc: 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.' },
      externalName: { type: 'string', desc: 'externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record).' },
      externalTrafficPolicy: { type: 'string', desc: 'externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs).' },
      internalTrafficPolicy: { type: 'string', desc: 'InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.' },
      ports: { type: '[]ServicePort', desc: 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies', ref: 'ServicePort' },
      publishNotReadyAddresses: { type: 'boolean', desc: 'publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.' },
      selector: { type: 'map[string]string', desc: 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify.' },
      sessionAffinity: { type: 'string', desc: 'Supports "ClientIP" and "None". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None.' },
      type: { type: 'string', desc: 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.' },
    },
  },
  ServicePort: {
    desc: "ServicePort contains information on service's port.",
    fields: {
      appProtocol: { type: 'string', desc: 'The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.' },
      name: { type: 'string', desc: 'The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names.' },
      nodePort: { type: 'integer', desc: 'The port on each node on which this service is exposed when type is NodePort or LoadBalancer. Usually assigned by the system.' },
      port: { type: 'integer', desc: 'The port that will be exposed by this service.', required: true },
      protocol: { type: 'string', desc: 'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.' },
      targetPort: { type: 'IntOrString', desc: "Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map)." },
    },
  },
  Pod: top(
    'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    ['PodSpec', 'Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
    ['PodStatus', 'Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
  ),
  Deployment: top(
    'Deployment enables declarative updates for Pods and ReplicaSets.',
    ['DeploymentSpec', 'Specification of the desired behavior of the Deployment.'],
    ['DeploymentStatus', 'Most recently observed status of the Deployment.'],
  ),
  Endpoints: top('Endpoints is a collection of endpoints that implement the actual service.'),
  EndpointSlice: top('EndpointSlice represents a subset of the endpoints that implement a service. For a given service there may be multiple EndpointSlice objects, selected by labels, which must be joined to produce the full set of endpoints.'),
  Ingress: top(
    'Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend. An Ingress can be configured to give services externally-reachable urls, load balance traffic, terminate SSL, offer name based virtual hosting etc.',
    ['IngressSpec', 'spec is the desired state of the Ingress. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
    ['IngressStatus', 'status is the current state of the Ingress. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
  ),
  NetworkPolicy: top(
    'NetworkPolicy describes what network traffic is allowed for a set of Pods',
    ['NetworkPolicySpec', 'spec represents the specification of the desired behavior for this NetworkPolicy.'],
  ),
  Node: top(
    'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
    ['NodeSpec', 'Spec defines the behavior of a node. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
    ['NodeStatus', 'Most recently observed status of the node. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
  ),
  Namespace: top('Namespace provides a scope for Names. Use of multiple namespaces is optional.'),
  ConfigMap: top('ConfigMap holds configuration data for pods to consume.'),
  Secret: top('Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.'),
};

/** Wraps a description at 80 columns with a 4-space indent (the template's `wrap 76 | indent 4`). */
function wrap(text: string, indent: number, width = 80): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && pad.length + line.length + 1 + word.length > width) {
      lines.push(pad + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(pad + line);
  return lines.join('\n') + '\n';
}

function fieldsBlock(s: Schema): string {
  let out = 'FIELDS:\n';
  for (const name of Object.keys(s.fields).sort()) {
    const f = s.fields[name];
    out += `  ${name}\t<${f.type}>${f.required ? ' -required-' : ''}\n`;
    out += wrap(f.desc, 4) + '\n';
  }
  return out;
}

export function runExplain(k: Kctx): CommandOutcome {
  const arg = k.flags.positional[0];
  if (!arg) throw new KubectlError("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n");
  const [type, ...path] = arg.split('.');
  const info = resourceFor(type);
  if (!info || !isServed(info, k.store)) throw new KubectlError(`error: the server doesn't have a resource type "${type}"`);
  let schema = SCHEMAS[info.kind];
  if (!schema) throw new KubectlError(`error: couldn't find resource for "${apiVersionOf(info)}, Kind=${info.kind}"`);
  let head = `KIND:       ${info.kind}\nVERSION:    ${apiVersionOf(info)}\n\n`;
  let desc = schema.desc;
  let field: Field | undefined;
  for (const p of path) {
    field = schema.fields[p];
    if (!field) throw new KubectlError(`error: field "${p}" does not exist`);
    const next = field.ref ? SCHEMAS[field.ref] : undefined;
    desc = field.desc + (next ? '\n' + next.desc : '');
    schema = next ?? { desc: '', fields: {} };
    head = `KIND:       ${info.kind}\nVERSION:    ${apiVersionOf(info)}\n\nFIELD: ${p} <${field.type}>\n\n`;
  }
  let out = head + 'DESCRIPTION:\n' + desc.split('\n').map((d) => wrap(d, 4)).join('') + '    \n';
  if (Object.keys(schema.fields).length > 0) out += fieldsBlock(schema).replace(/\t/g, '\t');
  out = out.replace(/\n\n$/, '\n');
  return { stdout: out.replace(/\t/g, '\t'), stderr: '', exitCode: 0 };
}

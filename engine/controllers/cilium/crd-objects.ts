/**
 * The objects Cilium's agents write to the API server (cilium v1.18 branch point, 228a2936),
 * from what the simulated agent already knows (agent.ts, dataplane/cilium/identity.ts) — the
 * store holds their copy, nothing here decides anything of its own:
 *
 * - One CiliumNode per node (pkg/nodediscovery/nodediscovery.go mutateNodeResource): owned by
 *   the Node, the Node's labels, spec.addresses the InternalIP then the CiliumInternalIP (the
 *   router address on cilium_host), spec.ipam.podCIDRs the node's pod range, spec.bootid the
 *   Node's boot ID; the cloud IPAM structs, encryption, health and ingress are empty (the
 *   simulated agent runs no cilium-health endpoint: agent.ts).
 * - One CiliumEndpoint per endpoint with a pod (pkg/endpointmanager/endpointsynchronizer.go;
 *   pkg/endpoint/endpoint_status.go GetCiliumEndpointStatus): the pod's name, namespace and
 *   labels, owned by the Pod; status id (the agent's endpoint ID), external-identifiers (the CNI
 *   attachment: the sandbox ID and eth0), identity (ID and sorted labels), networking (addresses,
 *   node IP), state `ready`, encryption `{}`, named-ports (the containers' named ports by name).
 * - One CiliumIdentity per security label set in use (pkg/k8s/identitybackend/identity.go
 *   AllocateID): named by its number, security-labels the `source:key` → value map, the
 *   namespace as the io.kubernetes.pod.namespace label. Upstream the operator's identity GC
 *   deletes an unused identity after its heartbeat lapses (identity-gc-interval, 15 minutes);
 *   here it goes as soon as no endpoint holds it.
 *
 * Unstructured objects come back from the API server with their keys sorted, as written here.
 */
import type { ClusterRuntime } from '../runtime';
import type { SimModule } from '../../cluster/module';
import type { KubeObject, Manifest } from '../../cluster/types';
import type { Change } from '../../cluster/store';
import { sha256 } from '../../cluster/hash';
import { isIPv4 } from '../../cluster/ipv4';
import { sandboxSeed } from '../cni/netdev';
import { derivedUid } from '../util';
import { identityLabelMap, podIdentity } from '../../dataplane/cilium/identity';
import type { PodInfo } from '../../dataplane/topology';
import { endpointIds, routerIp } from './agent';

const API_VERSION = 'cilium.io/v2';

function sortedKeys<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

/** The CiliumNode the agent on `node` keeps. */
function ciliumNode(rt: ClusterRuntime, node: KubeObject): Manifest | undefined {
  const name = node.metadata.name;
  const info = rt.settings.nodes.find((n) => n.name === name);
  const podCIDR = String(node.spec?.podCIDR ?? info?.podCIDR ?? '');
  const internal = ((node.status?.addresses ?? []) as { type?: string; address?: string }[]).find((a) => a.type === 'InternalIP')?.address ?? info?.ip;
  if (!podCIDR || !internal) return undefined;
  const bootid = node.status?.nodeInfo?.bootID;
  return {
    apiVersion: API_VERSION,
    kind: 'CiliumNode',
    metadata: sortedKeys({
      ...(node.metadata.labels ? { labels: node.metadata.labels } : {}),
      name,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }],
    }),
    spec: sortedKeys({
      addresses: [{ ip: internal, type: 'InternalIP' }, { ip: routerIp(podCIDR), type: 'CiliumInternalIP' }],
      'alibaba-cloud': {},
      azure: {},
      ...(typeof bootid === 'string' && bootid ? { bootid } : {}),
      encryption: {},
      eni: {},
      health: {},
      ingress: {},
      ipam: { podCIDRs: [podCIDR], pools: {} },
    }),
    status: { 'alibaba-cloud': {}, azure: {}, eni: {}, ipam: { 'operator-status': {} } },
  };
}

/** models.Port per named container port, sorted by name (pkg/endpoint/api.go getNamedPortsModel). */
function namedPorts(pod: KubeObject): { name: string; port: number; protocol: string }[] {
  const byName = new Map<string, { name: string; port: number; protocol: string }>();
  for (const c of (pod.spec?.containers ?? []) as { ports?: { name?: string; containerPort?: number; protocol?: string }[] }[]) {
    for (const p of c.ports ?? []) if (p.name && !byName.has(p.name)) byName.set(p.name, { name: p.name, port: Number(p.containerPort), protocol: p.protocol ?? 'TCP' });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The CiliumEndpoint of a local pod's endpoint. */
function ciliumEndpoint(rt: ClusterRuntime, id: number, pod: PodInfo, nodeIp: string): { cep: Manifest; identity: number } {
  const ident = podIdentity(rt, pod);
  const sandbox = sha256(`sandbox/${sandboxSeed(pod.obj)}`);
  const ips = ((pod.obj.status?.podIPs ?? []) as { ip?: string }[]).map((p) => p.ip ?? '');
  const ipv6 = ips.find((ip) => ip.includes(':'));
  const ports = namedPorts(pod.obj);
  return {
    identity: ident.id,
    cep: {
      apiVersion: API_VERSION,
      kind: 'CiliumEndpoint',
      metadata: sortedKeys({
        ...(Object.keys(pod.labels).length ? { labels: pod.labels } : {}),
        name: pod.name,
        namespace: pod.namespace,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.name, uid: pod.obj.metadata.uid }],
      }),
      status: sortedKeys({
        encryption: {},
        'external-identifiers': {
          'cni-attachment-id': `${sandbox}:eth0`,
          'container-id': sandbox,
          'k8s-namespace': pod.namespace,
          'k8s-pod-name': pod.name,
          'pod-name': `${pod.namespace}/${pod.name}`,
        },
        id,
        identity: { id: ident.id, labels: ident.labels },
        ...(ports.length ? { 'named-ports': ports } : {}),
        networking: { addressing: [{ ...(isIPv4(pod.ip) ? { ipv4: pod.ip } : {}), ...(ipv6 ? { ipv6 } : {}) }], node: nodeIp },
        state: 'ready',
      }),
    },
  };
}

/** The CiliumIdentity of the pod's label set. */
function ciliumIdentity(rt: ClusterRuntime, pod: PodInfo, id: number): Manifest {
  const labels = identityLabelMap(rt, pod);
  const security = sortedKeys(Object.fromEntries(Object.entries(labels).map(([k, v]) => [`k8s:${k}`, v])));
  return {
    apiVersion: API_VERSION,
    kind: 'CiliumIdentity',
    metadata: { labels: { 'io.kubernetes.pod.namespace': pod.namespace }, name: String(id) },
    'security-labels': security,
  };
}

const KINDS = ['CiliumNode', 'CiliumEndpoint', 'CiliumIdentity'] as const;

/** What is compared to tell whether a stored object is the one wanted (the rest is the API server's). */
function content(o: Manifest | KubeObject): string {
  const m = (o.metadata ?? {}) as Record<string, unknown>;
  return JSON.stringify([m.labels, m.ownerReferences, o.spec, o.status, (o as Record<string, unknown>)['security-labels']]);
}

export class CiliumAgentObjects implements SimModule {
  readonly name = 'cilium-agent-objects';
  private dirtyNodes = new Set<string>();
  /** Pods that changed (`namespace/name`): only their endpoints, and any whose ID moved, are rebuilt outside a full pass. */
  private dirtyPods = new Set<string>();
  private full = true;
  /** The first pass over a cluster the system layer just brought up: what it writes dates from its owners (see write). */
  private booting = false;
  private unsubscribe?: () => void;

  constructor(private readonly rt: ClusterRuntime) {}

  init(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.rt.store.subscribe((c) => this.onChange(c));
    this.full = true;
    this.booting = this.rt.store.count('CiliumNode') === 0;
  }

  private onChange(c: Change): void {
    const kind = c.object.kind;
    if (kind === 'Pod') {
      for (const o of [c.object, c.old]) if (o?.spec?.nodeName) this.dirtyNodes.add(o.spec.nodeName);
      this.dirtyPods.add(`${c.object.metadata.namespace}/${c.object.metadata.name}`);
    } else if (kind === 'Node') this.dirtyNodes.add(c.object.metadata.name);
    else if (kind === 'Namespace' || kind === 'CustomResourceDefinition') this.full = true;
    else if ((KINDS as readonly string[]).includes(kind) && c.type === 'DELETED') this.full = true;
  }

  sizes(): Record<string, number> {
    return { dirtyNodes: this.dirtyNodes.size, dirtyPods: this.dirtyPods.size };
  }

  private served(kind: string): boolean {
    const plural = { CiliumNode: 'ciliumnodes', CiliumEndpoint: 'ciliumendpoints', CiliumIdentity: 'ciliumidentities' }[kind];
    return !!this.rt.store.get('CustomResourceDefinition', undefined, `${plural}.cilium.io`);
  }

  /**
   * Creates or updates `want`. The system layer brings a new cluster up before the agents run
   * here, so on the first pass a new object dates from when its agent wrote it: when its owner
   * (`since`: the Node, the Pod) came up after the CRD was registered, then, else the CRD's
   * registration. Later ones date from now.
   */
  private write(want: Manifest, have: KubeObject | undefined, since?: string): boolean {
    if (have && content(have) === content(want)) return false;
    if (!this.booting) since = this.rt.clock.iso();
    try {
      if (!have) {
        const meta = want.metadata ?? {};
        const plural = { CiliumNode: 'ciliumnodes', CiliumEndpoint: 'ciliumendpoints', CiliumIdentity: 'ciliumidentities' }[String(want.kind)];
        const crd = this.rt.store.get('CustomResourceDefinition', undefined, `${plural}.cilium.io`)?.metadata.creationTimestamp;
        const at = [since, crd].filter((t): t is string => !!t && Date.parse(t) <= this.rt.clock.now()).sort().pop() ?? this.rt.clock.iso();
        this.rt.api.create({ ...want, metadata: { ...meta, uid: derivedUid(`${want.kind}/${meta.namespace ?? ''}/${meta.name}/${at}`), creationTimestamp: at } }, { reconcile: false, keepStatus: true });
      } else {
        const { status: _status, ...rest } = want;
        void _status;
        // CiliumEndpoint has no status subresource: its status is written with the object
        this.rt.api.update({ ...have, ...(want.kind === 'CiliumEndpoint' ? want : rest), metadata: { ...have.metadata, ...want.metadata } } as KubeObject, { reconcile: false });
      }
    } catch {
      // the namespace is terminating, or someone changed the object under the agent: the next change tries again
      return false;
    }
    return true;
  }

  reconcile(): boolean {
    if (!this.full && !this.dirtyNodes.size) return false;
    const nodes = this.full ? this.rt.store.list('Node').map((n) => n.metadata.name) : [...this.dirtyNodes];
    const full = this.full;
    const dirtyPods = this.dirtyPods;
    this.full = false;
    this.dirtyNodes.clear();
    this.dirtyPods = new Set();
    let wrote = false;
    const cnOn = this.served('CiliumNode');
    const cepOn = this.served('CiliumEndpoint');
    const cidOn = this.served('CiliumIdentity');
    const identities = new Map<number, PodInfo>();
    for (const name of nodes.sort()) {
      const node = this.rt.store.get('Node', undefined, name);
      if (cnOn) {
        const want = node ? ciliumNode(this.rt, node) : undefined;
        const have = this.rt.store.get('CiliumNode', undefined, name);
        if (want) wrote = this.write(want, have, node?.metadata.creationTimestamp) || wrote;
        else if (have) {
          this.rt.api.delete('CiliumNode', undefined, name, { reconcile: false });
          wrote = true;
        }
      }
      if (!cepOn) continue;
      const nodeIp = this.rt.settings.nodes.find((n) => n.name === name)?.ip ?? '';
      const { pods } = node ? endpointIds(this.rt, name) : { pods: new Map<string, { id: number; pod: PodInfo }>() };
      for (const [key, { id, pod }] of pods) {
        const have = this.rt.store.get('CiliumEndpoint', pod.namespace, pod.name);
        if (!full && !dirtyPods.has(key) && have?.status?.id === id) continue;
        const { cep, identity } = ciliumEndpoint(this.rt, id, pod, nodeIp);
        if (!identities.has(identity)) identities.set(identity, pod);
        wrote = this.write(cep, have, pod.obj.metadata.creationTimestamp) || wrote;
      }
      // the endpoints of pods that left the node (or were deleted) go with them
      for (const cep of this.rt.store.list('CiliumEndpoint')) {
        if (cep.status?.networking?.node !== nodeIp || pods.has(`${cep.metadata.namespace}/${cep.metadata.name}`)) continue;
        this.rt.api.delete('CiliumEndpoint', cep.metadata.namespace, cep.metadata.name, { reconcile: false });
        wrote = true;
      }
    }
    if (cidOn) wrote = this.syncIdentities(identities) || wrote;
    this.booting = false;
    return wrote;
  }

  /** A CiliumIdentity for each identity an endpoint holds; the ones none holds go. */
  private syncIdentities(seen: Map<number, PodInfo>): boolean {
    let wrote = false;
    const held = new Set<number>();
    for (const cep of this.rt.store.iterate('CiliumEndpoint')) {
      const id = Number(cep.status?.identity?.id);
      if (Number.isInteger(id)) held.add(id);
    }
    for (const [id, pod] of [...seen].sort((a, b) => a[0] - b[0])) {
      if (!this.rt.store.get('CiliumIdentity', undefined, String(id))) wrote = this.write(ciliumIdentity(this.rt, pod, id), undefined, pod.obj.metadata.creationTimestamp) || wrote;
    }
    for (const cid of this.rt.store.list('CiliumIdentity')) {
      // an allocated identity is named by its number; anything else is not the allocator's
      if (!/^[0-9]+$/.test(cid.metadata.name) || held.has(Number(cid.metadata.name))) continue;
      this.rt.api.delete('CiliumIdentity', undefined, cid.metadata.name, { reconcile: false });
      wrote = true;
    }
    return wrote;
  }
}

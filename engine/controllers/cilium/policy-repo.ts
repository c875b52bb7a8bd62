/**
 * The agent's policy repository as `cilium-dbg policy get` reads it (GET /policy,
 * daemon/restapi/policy.go getPolicyHandler → pkg/policy/repository.go Search and
 * JSONMarshalRules: the api.Rules as `json.MarshalIndent(rules, "", "  ")`).
 *
 * Besides the CiliumNetworkPolicies (imported as agent.ts policyRules describes), the agent
 * imports every Kubernetes NetworkPolicy as one api.Rule, translated by
 * pkg/k8s/network_policy.go ParseNetworkPolicy (cilium/cilium v1.18 branch point,
 * 3abf4c111c^, 2025-06-26):
 *
 * - the endpointSelector is the podSelector with `io.kubernetes.pod.namespace` set to the
 *   policy's namespace (parsePodSelector), every key given the `k8s:` source
 *   (NewESFromK8sLabelSelector with LabelSourceK8sKeyPrefix; EndpointSelector.MarshalJSON
 *   writes `k8s.key` back as `k8s:key`);
 * - each `from`/`to` peer is an IngressRule/EgressRule of its own: a podSelector alone gets
 *   the namespace label; a namespaceSelector's keys become
 *   `io.cilium.k8s.namespace.labels.<key>` (an empty one: `io.kubernetes.pod.namespace`
 *   Exists), merged with the peer's podSelector as it is; an ipBlock is a CIDRRule in
 *   fromCIDRSet/toCIDRSet; no peers is the wildcard selector `{}`;
 * - ports are PortRules of one PortProtocol each (`port` as IntOrString prints it, "0"
 *   when absent; `endPort` when set; protocol TCP by default);
 * - no ingress rules and policyTypes naming Ingress (or not naming Egress) gives
 *   `"ingress": [{}]`; no egress rules and Egress in policyTypes gives `"egress": [{}]`;
 * - labels (k8sCiliumUtils.GetPolicyLabels): derived-from NetworkPolicy, name, namespace,
 *   uid, source k8s.
 *
 * v1.18 leaves `policy-default-local-cluster` off (pkg/clustermesh/types/option.go
 * DefaultPolicyConfig; it became the default in v1.19), so ParseNetworkPolicy gets
 * PolicyAnyCluster and adds no `io.cilium.k8s.policy.cluster` label to the peers.
 *
 * The repository keeps its rules in a Go map, so the real order of the list varies; here
 * the CiliumNetworkPolicies come first, then the NetworkPolicies by creation.
 */
import type { ClusterRuntime } from '../runtime';
import type { Cluster } from '../../cluster/cluster';
import type { SimModule } from '../../cluster/module';
import type { KubeObject } from '../../cluster/types';
import type { Change } from '../../cluster/store';
import { policyRules } from './agent';

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface NpPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}

const NS_LABEL = 'io.kubernetes.pod.namespace';
const NS_META = 'io.cilium.k8s.namespace.labels';

function sortedObject(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** NewESFromK8sLabelSelector("k8s.", …selectors) as EndpointSelector.MarshalJSON writes it. */
function k8sSelector(...sels: (Selector | undefined)[]): Record<string, unknown> {
  let ml: Record<string, string> | undefined;
  let me: { key: string; operator: string; values?: string[] }[] | undefined;
  for (const s of sels) {
    if (!s) continue;
    if (s.matchLabels) {
      ml ??= {};
      for (const [k, v] of Object.entries(s.matchLabels)) ml[`k8s:${k}`] = String(v);
    }
    if (s.matchExpressions) {
      me ??= [];
      for (const e of s.matchExpressions) me.push({ key: `k8s:${e.key}`, operator: e.operator, ...(e.values ? { values: [...e.values] } : {}) });
    }
  }
  const out: Record<string, unknown> = {};
  if (ml && Object.keys(ml).length) out.matchLabels = sortedObject(ml);
  if (me && me.length) out.matchExpressions = me;
  return out;
}

/** parsePodSelector: the selector with the policy's namespace added. */
function podSelector(sel: Selector | undefined, ns: string): Selector {
  return { matchLabels: { ...(sel?.matchLabels ?? {}), [NS_LABEL]: ns }, ...(sel?.matchExpressions ? { matchExpressions: sel.matchExpressions } : {}) };
}

/** parseNetworkPolicyPeer (clusterName PolicyAnyCluster). */
function peerSelector(peer: Peer, ns: string): Record<string, unknown> | undefined {
  if (peer.namespaceSelector) {
    const nsSel: Selector = { matchLabels: {} };
    for (const [k, v] of Object.entries(peer.namespaceSelector.matchLabels ?? {})) nsSel.matchLabels![`${NS_META}.${k}`] = v;
    for (const e of peer.namespaceSelector.matchExpressions ?? []) (nsSel.matchExpressions ??= []).push({ key: `${NS_META}.${e.key}`, operator: e.operator, ...(e.values ? { values: [...e.values] } : {}) });
    if (Object.keys(nsSel.matchLabels!).length === 0 && !nsSel.matchExpressions?.length) nsSel.matchExpressions = [{ key: NS_LABEL, operator: 'Exists' }];
    return k8sSelector(nsSel, peer.podSelector);
  }
  if (peer.podSelector) return k8sSelector(podSelector(peer.podSelector, ns));
  return undefined;
}

function cidrRule(b: { cidr: string; except?: string[] }): Record<string, unknown> {
  return { cidr: b.cidr, ...(b.except?.length ? { except: [...b.except] } : {}) };
}

/** parsePorts. */
function portRules(ports: NpPort[]): Record<string, unknown>[] {
  return ports.map((p) => ({
    ports: [{ port: p.port === undefined ? '0' : String(p.port), ...(p.endPort ? { endPort: p.endPort } : {}), protocol: (p.protocol ?? 'TCP').toUpperCase() }],
  }));
}

function direction(rules: { from?: Peer[]; to?: Peer[]; ports?: NpPort[] }[] | undefined, dir: 'ingress' | 'egress', ns: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const eps = dir === 'ingress' ? 'fromEndpoints' : 'toEndpoints';
  const cidrs = dir === 'ingress' ? 'fromCIDRSet' : 'toCIDRSet';
  for (const r of rules ?? []) {
    const peers = (dir === 'ingress' ? r.from : r.to) ?? [];
    const list: Record<string, unknown>[] = [];
    if (peers.length) {
      for (const peer of peers) {
        const rule: Record<string, unknown> = {};
        const sel = peerSelector(peer, ns);
        if (sel) rule[eps] = [sel];
        if (peer.ipBlock) rule[cidrs] = [cidrRule(peer.ipBlock)];
        list.push(rule);
      }
    } else list.push({ [eps]: [{}] });
    if (r.ports?.length) for (const rule of list) rule.toPorts = portRules(r.ports);
    out.push(...list);
  }
  return out;
}

/** ParseNetworkPolicy: the one api.Rule of a NetworkPolicy, in api.Rule's JSON field order. */
export function networkPolicyRule(np: KubeObject): Record<string, unknown> {
  const ns = np.metadata.namespace ?? 'default';
  const spec = (np.spec ?? {}) as { podSelector?: Selector; ingress?: { from?: Peer[]; ports?: NpPort[] }[]; egress?: { to?: Peer[]; ports?: NpPort[] }[]; policyTypes?: string[] };
  const types = spec.policyTypes ?? [];
  let ingress = direction(spec.ingress, 'ingress', ns);
  let egress = direction(spec.egress, 'egress', ns);
  if (ingress.length === 0 && (types.includes('Ingress') || !types.includes('Egress'))) ingress = [{}];
  if (egress.length === 0 && types.includes('Egress')) egress = [{}];
  const rule: Record<string, unknown> = { endpointSelector: k8sSelector(podSelector(spec.podSelector, ns)) };
  if (ingress.length) rule.ingress = ingress;
  if (egress.length) rule.egress = egress;
  // GetPolicyLabelsv1: the annotation policy.cilium.io/name (or its alias io.cilium.name) overrides the object's name
  const name = np.metadata.annotations?.['policy.cilium.io/name'] || np.metadata.annotations?.['io.cilium.name'] || np.metadata.name;
  rule.labels = [
    { key: 'io.cilium.k8s.policy.derived-from', value: 'NetworkPolicy', source: 'k8s' },
    { key: 'io.cilium.k8s.policy.name', value: name, source: 'k8s' },
    { key: 'io.cilium.k8s.policy.namespace', value: ns, source: 'k8s' },
    { key: 'io.cilium.k8s.policy.uid', value: np.metadata.uid ?? '', source: 'k8s' },
  ];
  return rule;
}

interface LabelSel {
  source: string;
  key: string;
  value: string;
}

/** labels.ParseSelectLabel: `[source:]key[=value]`, source `any` when absent. */
function parseSelectLabel(s: string): LabelSel {
  let source = 'any';
  let rest = s;
  const colon = s.indexOf(':');
  const eq = s.indexOf('=');
  if (colon > 0 && (eq < 0 || colon < eq)) {
    source = s.slice(0, colon);
    rest = s.slice(colon + 1);
  }
  const i = rest.indexOf('=');
  return i >= 0 ? { source, key: rest.slice(0, i), value: rest.slice(i + 1) } : { source, key: rest, value: '' };
}

/** LabelArray.Contains: every wanted label is in the rule's labels (an `any` source matches every source). */
function ruleHas(rule: Record<string, unknown>, wanted: LabelSel[]): boolean {
  const labels = (rule.labels ?? []) as LabelSel[];
  return wanted.every((w) => labels.some((l) => (w.source === 'any' || w.source === l.source) && l.key === w.key && l.value === w.value));
}

/**
 * The repository's revision (pkg/policy/repository.go): 1 when the agent starts, and one
 * more for every import, each a ReplaceByResource that bumps it (pkg/policy/cell
 * policy_importer.go). The policy watcher (pkg/policy/k8s) imports a NetworkPolicy on every
 * upsert and delete, and a CiliumNetworkPolicy when it is added or deleted or its
 * generation changes (a status update is not an import: cilium_network_policy.go
 * onUpsert). The policies already there when the agents started count one import each.
 */
export class CiliumPolicyRevision implements SimModule {
  readonly name = 'cilium-policy-revision';
  private imports = 0;
  private restored = false;
  private unsubscribe?: () => void;

  constructor(private readonly cluster: Cluster) {
    REVISIONS.set(cluster, this);
  }

  init(): void {
    this.unsubscribe?.();
    if (!this.restored) this.imports = this.cluster.store.list('NetworkPolicy').length + this.cluster.store.list('CiliumNetworkPolicy').length;
    this.unsubscribe = this.cluster.store.subscribe((c) => this.onChange(c));
  }

  private onChange(c: Change): void {
    const kind = c.object.kind;
    if (kind === 'NetworkPolicy') this.imports++;
    else if (kind === 'CiliumNetworkPolicy') {
      if (c.type === 'MODIFIED' && c.old && c.old.metadata.generation === c.object.metadata.generation) return;
      this.imports++;
    }
  }

  get revision(): number {
    return 1 + this.imports;
  }

  snapshot(): unknown {
    return { imports: this.imports };
  }

  restore(data: unknown): void {
    const d = data as { imports?: number } | undefined;
    if (typeof d?.imports === 'number') {
      this.imports = d.imports;
      this.restored = true;
    }
  }
}

const REVISIONS = new WeakMap<Cluster, CiliumPolicyRevision>();

/** Every rule the agent imported, those carrying all `select` labels when given, and the repository's revision. */
export function repositoryRules(rt: ClusterRuntime, select: string[] = []): { rules: Record<string, unknown>[]; revision: number } {
  const { rules: cnpRules, revision: counted } = policyRules(rt);
  const revision = REVISIONS.get(rt)?.revision ?? counted;
  const nps = rt.store
    .list('NetworkPolicy')
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  const all = [...(cnpRules as Record<string, unknown>[]), ...nps.map(networkPolicyRule)];
  const wanted = select.map(parseSelectLabel);
  return { rules: wanted.length ? all.filter((r) => ruleHas(r, wanted)) : all, revision };
}

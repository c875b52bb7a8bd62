/**
 * cilium-dbg's tables, as its commands print them (cilium/cilium cilium-dbg/cmd, v1.18):
 * every one is Go's text/tabwriter over tab-separated cells, so the widths follow the
 * widest cell of each column block.
 *
 * - `service list` (service_list.go printServiceList): tabwriter(5, 0, 3); `Frontend`,
 *   `Service Type`, `Backend`; one row per backend, `N => IP:PORT/PROTO (state)`; sorted by
 *   the frontend's address string.
 * - `bpf lb list` (bpf_lb_list.go dumpSVC + helpers.go TablePrinter): tabwriter(5, 0, 3);
 *   one row per slot of the services map, the key `IP:PORT/PROTO[/i] (slot)`; slot 0 is the
 *   master entry `0.0.0.0:0 (revNAT) (0) [flags] `; Go prints the map in hash order, here
 *   the keys are sorted.
 * - `endpoint list` (endpoint_list.go printEndpointList): tabwriter(5, 0, 3), two header
 *   lines, one row per security label.
 * - `identity list` (identity_get.go printIdentities): tabwriter(2, 0, 3), one row per label.
 * - `policy get` (policy_get.go): the rules as indented JSON, then `Revision: N`.
 * - `status` (status.go + pkg/client FormatStatusResponse): tabwriter(2, 0, 3) over the whole report.
 */
import { tabwrite } from '../kubectl/tabwriter';
import type { Identity } from '../../dataplane/cilium/identity';

/** One backend of a frontend, as the agent's maps hold it. */
export interface BackendRow {
  ip: string;
  port: number;
  proto: string;
  state: string;
}

/** One frontend of the agent's service maps (controllers/cilium/lbmap.ts LbFrontend). */
export interface FrontendRow {
  id: number;
  ip: string;
  port: number;
  proto: string;
  internal: boolean;
  type: string;
  flags: string;
  backends: readonly BackendRow[];
  slots: readonly BackendRow[];
}

/** One endpoint of the agent (controllers/cilium/agent.ts AgentEndpoint). */
export interface EndpointRow {
  id: number;
  identity: number;
  labels: readonly string[];
  ipv4: string;
  ingressEnforced: boolean;
  egressEnforced: boolean;
}

/** L3n4Addr.String(): `10.96.0.10:53/UDP`, and `/i` for a frontend's internal scope. */
export function frontendAddr(fe: { ip: string; port: number; proto: string; internal?: boolean }): string {
  return `${fe.ip}:${fe.port}/${fe.proto}${fe.internal ? '/i' : ''}`;
}

export function backendAddr(be: { ip: string; port: number; proto: string }): string {
  return `${be.ip}:${be.port}/${be.proto}`;
}

const W5 = { minwidth: 5, padding: 3 };
const W2 = { minwidth: 2, padding: 3 };
const W0 = { minwidth: 0, padding: 3 };

export function serviceList(frontends: readonly FrontendRow[]): string {
  const rows = frontends.map((fe) => ({
    id: frontendAddr(fe),
    type: fe.type,
    backends: fe.backends.map((b, i) => `${i + 1} => ${backendAddr(b)} (${b.state})`),
  }));
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let text = 'Frontend\tService Type\tBackend\t\n';
  for (const r of rows) {
    if (r.backends.length === 0) {
      text += `${r.id}\t${r.type}\t\t\n`;
      continue;
    }
    text += `${r.id}\t${r.type}\t${r.backends[0]}\t\n`;
    for (const b of r.backends.slice(1)) text += `\t\t${b}\t\n`;
  }
  return tabwrite(text, W5);
}

export function bpfLbList(frontends: readonly FrontendRow[]): string {
  const rows: [string, string][] = [];
  for (const fe of frontends) {
    const key = (slot: number) => `${frontendAddr(fe)} (${slot})`;
    rows.push([key(0), `0.0.0.0:0 (${fe.id}) (0) [${fe.flags}] `]);
    fe.slots.forEach((b, i) => rows.push([key(i + 1), `${backendAddr(b)} (${fe.id}) (${i + 1})`]));
  }
  rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let text = 'SERVICE ADDRESS\tBACKEND ADDRESS (REVNAT_ID) (SLOT)\n';
  for (const [k, v] of rows) text += `${k}\t${v}\t\n`;
  return tabwrite(text, W5);
}

export function endpointList(eps: readonly EndpointRow[], noHeaders = false): string {
  let text = '';
  if (!noHeaders) {
    text += 'ENDPOINT\tPOLICY (ingress)\tPOLICY (egress)\tIDENTITY\tLABELS (source:key[=value])\tIPv6\tIPv4\tSTATUS\t\n';
    text += '\tENFORCEMENT\tENFORCEMENT\t\t\t\t\t\n';
  }
  const mode = (on: boolean) => (on ? 'Enabled' : 'Disabled');
  for (const ep of eps) {
    const labels = ep.labels.length ? [...ep.labels].sort() : ['no labels'];
    labels.forEach((l, i) => {
      if (i === 0) text += `${ep.id}\t${mode(ep.ingressEnforced)}\t${mode(ep.egressEnforced)}\t${ep.identity}\t${l}\t\t${ep.ipv4}\tready\t\n`;
      else text += `\t\t\t\t${l}\t\t\t\t\n`;
    });
  }
  return tabwrite(text, W5);
}

export function identityList(ids: readonly Identity[]): string {
  let text = 'ID\tLABELS\n';
  for (const id of ids) {
    id.labels.forEach((l, i) => {
      text += i === 0 ? `${id.id}\t${l}\n` : `\t${l}\n`;
    });
  }
  return tabwrite(text, W2);
}

/** JSONMarshalRules (json.MarshalIndent, two spaces; encoding/json's HTML-safe escapes of <, > and &), then policy_get.go's `Revision: N`. */
export function policyGet(rules: readonly object[], revision: number): string {
  const json = JSON.stringify(rules, null, 2).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${json}\nRevision: ${revision}\n`;
}

/** What `status` reports, gathered by the command from the agent. */
export interface AgentStatus {
  kubernetesVersion: string;
  kubeProxyReplacement: boolean;
  device: { name: string; ip: string };
  version: string;
  cpus: number;
  ipam: { used: number; total: number; cidr: string; allocations: [string, string][] };
  controllers: number;
  proxy: { ip: string; redirects: number };
  nodes: { reachable: number; total: number };
  /** RFC 3339 time of the last health probe. */
  probedAt: string;
  /** The node's Hubble observer (its flow ring): flows held, ring size, flows seen since the agent started, uptime in seconds. */
  hubble?: { currentFlows: number; maxFlows: number; seenFlows: number; uptimeSec: number };
}

/** FormatStatusResponse's report (and the verbose KubeProxyReplacement details). */
export function status(s: AgentStatus, verbose: boolean): string {
  const dev = `${s.device.name} ${s.device.ip} (Direct Routing)`;
  const apis = ['EndpointSliceOrEndpoint', 'cilium/v2::CiliumClusterwideNetworkPolicy', 'cilium/v2::CiliumEndpoint', 'cilium/v2::CiliumNetworkPolicy', 'cilium/v2::CiliumNode', 'cilium/v2alpha1::CiliumCIDRGroup', 'core/v1::Namespace', 'core/v1::Pods', 'core/v1::Service', 'networking.k8s.io/v1::NetworkPolicy'];
  const minor = s.kubernetesVersion.replace(/^v/, '').split('.').slice(0, 2).join('.');
  let t = '';
  t += 'KVStore:\tDisabled\t\n';
  t += `Kubernetes:\tOk\t${minor} (${s.kubernetesVersion}) [linux/amd64]\n`;
  t += `Kubernetes APIs:\t["${apis.join('", "')}"]\n`;
  t += `KubeProxyReplacement:\t${s.kubeProxyReplacement ? 'True' : 'False'}\t${s.kubeProxyReplacement ? `[${dev}]` : ''}\n`;
  t += 'Host firewall:\tDisabled\n';
  t += 'SRv6:\tDisabled\n';
  t += 'CNI Chaining:\tnone\n';
  t += 'CNI Config file:\tsuccessfully wrote CNI configuration file to /host/etc/cni/net.d/05-cilium.conflist\n';
  t += `Cilium:\tOk   ${s.version} (v${s.version})\n`;
  t += `NodeMonitor:\tListening for events on ${s.cpus} CPUs with 64x4096 of shared memory\n`;
  t += 'Cilium health daemon:\tOk\t\n';
  t += `IPAM:\tIPv4: ${s.ipam.used}/${s.ipam.total} allocated from ${s.ipam.cidr}, \n`;
  if (verbose) {
    t += 'Allocated addresses:\n';
    for (const line of s.ipam.allocations.map(([ip, owner]) => `  ${ip} (${owner})`).sort()) t += `${line}\n`;
  }
  t += 'IPv4 BIG TCP:\tDisabled\n';
  t += 'IPv6 BIG TCP:\tDisabled\n';
  t += 'BandwidthManager:\tDisabled\n';
  t += 'Routing:\tNetwork: Tunnel [vxlan]\tHost: Legacy\n';
  t += 'Attach Mode:\tTCX\n';
  t += 'Device Mode:\tveth\n';
  t += 'Masquerading:\tIPTables [IPv4: Enabled, IPv6: Disabled]\n';
  t += `Controller Status:\t${s.controllers}/${s.controllers} healthy\n`;
  t += `Proxy Status:\tOK, ip ${s.proxy.ip}, ${s.proxy.redirects} redirects active on ports 10000-20000, Envoy: external\n`;
  t += 'Global Identity Range:\tmin 256, max 65535\n';
  // pkg/client FormatStatusResponse: state, then the observer's "Current/Max Flows: …, Flows/s: …", then "Metrics: <state>"
  if (s.hubble) {
    const h = s.hubble;
    const observer = [`Current/Max Flows: ${h.currentFlows}/${h.maxFlows} (${((h.currentFlows / h.maxFlows) * 100).toFixed(2)}%)`];
    if (h.uptimeSec > 0) observer.push(`Flows/s: ${(h.seenFlows / h.uptimeSec).toFixed(2)}`);
    t += `Hubble:\tOk\t${observer.join(', ')}\tMetrics: Disabled\n`;
  } else t += 'Hubble:\tDisabled\n';
  if (verbose) {
    t += 'KubeProxyReplacement Details:\n';
    const on = s.kubeProxyReplacement;
    let d = '';
    d += `  Status:\t${on ? 'True' : 'False'}\n`;
    d += `  Socket LB:\t${on ? 'Enabled' : 'Disabled'}\n`;
    d += `  Socket LB Tracing:\t${on ? 'Enabled' : 'Disabled'}\n`;
    d += '  Socket LB Coverage:\tFull\n';
    if (on) {
      d += `  Devices:\t${dev}\n`;
      d += '  Mode:\tSNAT\n';
      d += '  Backend Selection:\tRandom\n';
    }
    d += `  Session Affinity:\t${on ? 'Enabled' : 'Disabled'}\n`;
    d += '  Graceful Termination:\tEnabled\n';
    d += '  NAT46/64 Support:\tDisabled\n';
    if (on) d += '  XDP Acceleration:\tDisabled\n';
    d += '  Services:\n';
    d += '  - ClusterIP:\tEnabled\n';
    d += `  - NodePort:\t${on ? 'Enabled (Range: 30000-32767)' : 'Disabled'} \n`;
    d += `  - LoadBalancer:\t${on ? 'Enabled' : 'Disabled'} \n`;
    d += `  - externalIPs:\t${on ? 'Enabled' : 'Disabled'} \n`;
    d += `  - HostPort:\t${on ? 'Enabled' : 'Disabled'}\n`;
    t += tabwrite(d, W0);
  }
  t += 'Encryption:\tDisabled\t\n';
  t += `Cluster health:\t${s.nodes.reachable}/${s.nodes.total} reachable\t(${s.probedAt})\n`;
  return tabwrite(t, W2);
}

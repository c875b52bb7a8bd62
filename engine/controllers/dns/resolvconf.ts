/**
 * /etc/resolv.conf and /etc/hosts as the kubelet (and containerd) write them.
 *
 * resolv.conf — pkg/kubelet/network/dns/dns.go:
 *  - getPodDNSType: None → none; ClusterFirstWithHostNet → cluster; ClusterFirst → cluster
 *    unless hostNetwork, which falls back to Default; Default → host.
 *  - cluster: nameservers = [clusterDNS], searches = generateSearchesForDNSClusterFirst
 *    (`<ns>.svc.<domain> svc.<domain> <domain>` + the host's searches, duplicates omitted),
 *    options = [ndots:5] (the host's options are dropped).
 *  - host: the node's resolv.conf as parsed (nameservers, search, options).
 *  - pod.spec.dnsConfig is appended (appendDNSConfig: nameservers and searches deduplicated,
 *    options merged by name, later values win); formDNSConfigFitsLimits keeps 3 nameservers
 *    and 32 search domains.
 *  - containerd writes `search …`, then `nameserver …` lines, then `options …`.
 *
 * hosts — pkg/kubelet/kubelet_pods.go managedHostsFileContent / hostsEntriesFromHostAliases.
 */
import type { ClusterRuntime } from '../runtime';
import type { KubeObject } from '../../cluster/types';
import { findNode } from '../cni/topology';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], search: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search') out.search = rest.filter((d) => d !== '.');
    else if (key === 'domain' && rest[0]) out.search = rest[0] === '.' ? [] : [rest[0]];
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

export function formatResolvConf(c: ResolvConf): string {
  let s = '';
  if (c.search.length) s += `search ${c.search.join(' ')}\n`;
  for (const ns of c.nameservers) s += `nameserver ${ns}\n`;
  if (c.options.length) s += `options ${c.options.join(' ')}\n`;
  return s;
}

/**
 * systemd-resolved (249, Ubuntu 22.04) on a node: /run/systemd/resolve/resolv.conf lists the
 * uplink servers — the node's network gateway, learnt by systemd-networkd's DHCP — and no
 * search domain (`search .`); /etc/resolv.conf links to stub-resolv.conf, the stub listener
 * on 127.0.0.53 (resolved-resolv-conf.c write_uplink_resolv_conf_contents /
 * write_stub_resolv_conf_contents, their header comments verbatim). kubeadm points the
 * kubelet's resolvConf at the uplink file when systemd-resolved is active
 * (cmd/kubeadm/app/componentconfigs/kubelet.go), so a Pod with dnsPolicy Default gets the
 * uplink server, never the node-local stub it could not reach.
 */
const RESOLVED_TAIL = `#
# Third party programs should typically not access this file directly, but only
# through the symlink at /etc/resolv.conf. To manage man:resolv.conf(5) in a
# different way, replace this symlink by a static file or a different symlink.
#
# See man:systemd-resolved.service(8) for details about the supported modes of
# operation for /etc/resolv.conf.

`;

/** The uplink servers resolved uses on a node: its network's gateway. */
export function nodeUplinkServers(cluster: ClusterRuntime, node: string): string[] {
  return [findNode(cluster, node)?.gateway ?? '192.168.49.1'];
}

/** /run/systemd/resolve/resolv.conf: the file the kubelet's resolvConf names (what dnsPolicy Default copies). */
export function nodeResolvConf(cluster: ClusterRuntime, node: string): string {
  return `# This is /run/systemd/resolve/resolv.conf managed by man:systemd-resolved(8).
# Do not edit.
#
# This file might be symlinked as /etc/resolv.conf. If you're looking at
# /etc/resolv.conf and seeing this text, you have followed the symlink.
#
# This is a dynamic resolv.conf file for connecting local clients directly to
# all known uplink DNS servers. This file lists all configured search domains.
${RESOLVED_TAIL}${nodeUplinkServers(cluster, node).map((s) => `nameserver ${s}\n`).join('')}search .
`;
}

/** /run/systemd/resolve/stub-resolv.conf, which the node's /etc/resolv.conf links to. */
export const NODE_STUB_RESOLV_CONF = `# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).
# Do not edit.
#
# This file might be symlinked as /etc/resolv.conf. If you're looking at
# /etc/resolv.conf and seeing this text, you have followed the symlink.
#
# This is a dynamic resolv.conf file for connecting local clients to the
# internal DNS stub resolver of systemd-resolved. This file lists all
# configured search domains.
#
# Run "resolvectl status" to see details about the uplink DNS servers
# currently in use.
${RESOLVED_TAIL}nameserver 127.0.0.53
options edns0 trust-ad
search .
`;

/** The workstation's: systemd-resolved's stub. */
export const WORKSTATION_RESOLV_CONF = 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n';

/** kube-dns's ClusterIP: the kubelet's --cluster-dns (10th address of the service range by default). */
export function clusterDnsIp(cluster: ClusterRuntime): string {
  const svc = cluster.store.get('Service', 'kube-system', 'kube-dns');
  const ip = svc?.spec?.clusterIP;
  if (typeof ip === 'string' && ip && ip !== 'None') return ip;
  const [base] = cluster.settings.serviceCIDR.split('/');
  const p = base.split('.').map(Number);
  return `${p[0]}.${p[1]}.${p[2]}.${p[3] + 10}`;
}

function omitDuplicates(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** The DNS config the kubelet hands the runtime for a pod. */
export function podDnsConfig(cluster: ClusterRuntime, pod: KubeObject): ResolvConf {
  const policy: string = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const hostNetwork = !!pod.spec?.hostNetwork;
  const host = parseResolvConf(nodeResolvConf(cluster, pod.spec?.nodeName ?? ''));
  let type: 'cluster' | 'host' | 'none';
  if (policy === 'None') type = 'none';
  else if (policy === 'ClusterFirstWithHostNet') type = 'cluster';
  else if (policy === 'ClusterFirst') type = hostNetwork ? 'host' : 'cluster';
  else type = 'host';
  let c: ResolvConf;
  if (type === 'cluster') {
    const d = cluster.settings.clusterDomain;
    const ns = pod.metadata.namespace ?? 'default';
    c = { nameservers: [clusterDnsIp(cluster)], search: omitDuplicates([`${ns}.svc.${d}`, `svc.${d}`, d, ...host.search]), options: ['ndots:5'] };
  } else if (type === 'host') {
    c = { ...host };
  } else {
    c = { nameservers: [], search: [], options: [] };
  }
  const dc = pod.spec?.dnsConfig as { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] } | undefined;
  if (dc) {
    c = {
      nameservers: omitDuplicates([...c.nameservers, ...(dc.nameservers ?? [])]),
      search: omitDuplicates([...c.search, ...(dc.searches ?? [])]),
      options: mergeOptions(c.options, dc.options ?? []),
    };
  }
  // formDNSConfigFitsLimits
  if (c.nameservers.length > 3) c.nameservers = c.nameservers.slice(0, 3);
  if (c.search.length > 32) c.search = c.search.slice(0, 32);
  return c;
}

/** appendOptions: options keyed by name; a later value replaces an earlier one in place. */
function mergeOptions(existing: string[], add: { name: string; value?: string }[]): string[] {
  const order: string[] = [];
  const values = new Map<string, string | undefined>();
  for (const o of existing) {
    const [name, value] = o.split(':');
    if (!values.has(name)) order.push(name);
    values.set(name, value);
  }
  for (const o of add) {
    if (!values.has(o.name)) order.push(o.name);
    values.set(o.name, o.value);
  }
  return order.map((n) => (values.get(n) !== undefined && values.get(n) !== '' ? `${n}:${values.get(n)}` : n));
}

/** /etc/resolv.conf inside a pod. */
export function resolvConf(cluster: ClusterRuntime, pod: KubeObject): string {
  return formatResolvConf(podDnsConfig(cluster, pod));
}

/** /etc/hosts inside a pod (host-network pods see the node's file, which the kubelet leaves alone). */
export function hostsFile(cluster: ClusterRuntime, pod: KubeObject): string {
  if (pod.spec?.hostNetwork) return nodeHostsFile(pod.spec?.nodeName ?? '');
  let s = '# Kubernetes-managed hosts file.\n';
  s += '127.0.0.1\tlocalhost\n';
  s += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  s += 'fe00::0\tip6-localnet\n';
  s += 'fe00::0\tip6-mcastprefix\n';
  s += 'fe00::1\tip6-allnodes\n';
  s += 'fe00::2\tip6-allrouters\n';
  const ips: string[] = ((pod.status?.podIPs as { ip: string }[] | undefined)?.map((x) => x.ip)) ?? (pod.status?.podIP ? [pod.status.podIP] : []);
  const hostname: string = pod.spec?.hostname ?? pod.metadata.name;
  const sub: string | undefined = pod.spec?.subdomain;
  for (const ip of ips) {
    if (sub) s += `${ip}\t${hostname}.${sub}.${pod.metadata.namespace}.svc.${cluster.settings.clusterDomain}\t${hostname}\n`;
    else s += `${ip}\t${hostname}\n`;
  }
  const aliases = (pod.spec?.hostAliases ?? []) as { ip: string; hostnames?: string[] }[];
  if (aliases.length) {
    s += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) s += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return s;
}

export function nodeHostsFile(node: string): string {
  return `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n127.0.1.1\t${node}\n`;
}

/** /etc/hosts entries as getaddrinfo reads them: name → addresses (IPv4 only). */
export function hostsLookup(text: string, name: string): string[] {
  const out: string[] = [];
  const n = name.toLowerCase().replace(/\.$/, '');
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [ip, ...names] = line.split(/\s+/);
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) continue;
    if (names.some((x) => x.toLowerCase() === n) && !out.includes(ip)) out.push(ip);
  }
  return out;
}

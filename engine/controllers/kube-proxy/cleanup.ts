/**
 * kube-proxy's conntrack reconciliation after each sync, in every proxy mode
 * (pkg/proxy/conntrack/cleanup.go CleanStaleEntries, v1.34, called at the end of
 * syncProxyRules by the iptables, IPVS and nftables proxiers): a UDP entry whose original
 * destination is a UDP Service's frontend (ClusterIP, load-balancer or external IP, and the
 * Service port; or the NodePort on any address) and whose reply source is not one of that
 * port's serving endpoints (IP and port) is deleted, so the next datagram on the flow is
 * translated anew instead of following a binding to an endpoint that left. A Service port
 * without serving endpoints is skipped ("does not require to clean"). TCP entries are left
 * alone: a connection to a gone endpoint fails on its own. IPv4 only here (the IPv6
 * proxier's table entries are kept).
 */
import type { ServiceViews } from './changetracker';
import type { ConntrackEntry, ConntrackTable } from './conntrack';

export function cleanStaleEntries(nodes: Iterable<ConntrackTable>, views: ServiceViews): number {
  const tables = [...nodes];
  const udp: ConntrackEntry[][] = [];
  for (const ct of tables) {
    const list = ct.entries.filter((e) => e.proto === 'udp' && !e.dst.includes(':'));
    udp.push(list);
  }
  if (!udp.some((l) => l.length)) return 0;
  const frontends = new Map<string, Set<string>>();
  const nodePorts = new Map<number, Set<string>>();
  for (const key of views.serviceKeys()) {
    const v = views.view(key);
    if (!v) continue;
    v.ports.forEach((sp, i) => {
      if (sp.protocol !== 'udp') return;
      const eps = new Set(v.endpoints[i].filter((e) => e.serving).map((e) => `${e.ip}:${e.port}`));
      if (eps.size === 0) return;
      for (const ip of [sp.clusterIP, ...sp.lbIPs, ...sp.externalIPs]) frontends.set(`${ip}:${sp.port}`, eps);
      if (sp.nodePort) nodePorts.set(sp.nodePort, eps);
    });
  }
  let n = 0;
  let i = 0;
  for (const ct of tables) {
    const stale = new Set<ConntrackEntry>();
    for (const e of udp[i++]) {
      const reply = `${e.replySrc}:${e.replySport}`;
      const a = frontends.get(`${e.dst}:${e.dport}`);
      const b = nodePorts.get(e.dport);
      if ((a && !a.has(reply)) || (b && !b.has(reply))) stale.add(e);
    }
    if (!stale.size) continue;
    n += stale.size;
    ct.entries = ct.entries.filter((e) => !stale.has(e));
  }
  return n;
}

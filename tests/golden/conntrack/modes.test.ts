/**
 * Conntrack and the proxy modes: the same walk (nf_conntrack_in, then the NAT the entry binds)
 * in nftables mode and in IPVS mode, where IPVS's own connection table decides too.
 *
 * Sources (Linux 6.8; kubernetes v1.34 pkg/proxy):
 *   - net/netfilter/nf_conntrack_core.c nf_conntrack_in (priority NF_IP_PRI_CONNTRACK -200,
 *     after raw, before mangle -150 and nat -100: include/uapi/linux/netfilter_ipv4.h);
 *     nf_nat_core.c nf_nat_inet_fn (a connection with its binding skips every NAT chain,
 *     iptables-nft's and nftables' alike) and nf_nat_packet;
 *   - nftables mode: kube-proxy writes no mangle chains (pkg/proxy/nftables/proxier.go), but
 *     Felix's cali-PREROUTING/cali-POSTROUTING still hang off iptables-nft's mangle base
 *     chains (priority -150), so `iptables -t mangle -L -v` counts the walk's packets;
 *   - net/netfilter/ipvs/ip_vs_core.c ip_vs_in_hook: ip_vs_conn_in_get first; with
 *     conn_reuse_mode 1 a SYN on a TIME_WAIT connection expires it (is_new_conn_expected) and
 *     is scheduled anew; a connection whose real server left is expired and its packet dropped
 *     (sysctl expire_nodest_conn, which kube-proxy sets to 1); ip_vs_xmit.c ip_vs_nat_xmit →
 *     ip_vs_update_conntrack (net.ipv4.vs.conntrack=1, kube-proxy's): the entry's reply tuple
 *     is IPVS's, without a NAT binding, so `conntrack -D` does not move a connection IPVS
 *     still holds; ip_vs_ops4: ip_vs_local_request4 at LOCAL_OUT (NF_IP_PRI_NAT_DST + 1);
 *   - kubernetes v1.34 pkg/proxy/conntrack/cleanup.go CleanStaleEntries: after each sync, a UDP
 *     entry to a Service frontend whose reply source is no serving endpoint is deleted.
 */
import { describe, it } from 'vitest';
import { golden } from '../../unit/dns/golden';
import { createSimulation, type Simulation } from '../../../engine';
import { SCENARIO, type } from '../tcpdump/scenario';

/** The tcpdump goldens' cluster, with a second web Pod (web-local) on node-1 behind its own Service. */
const LOCAL = `
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-local, labels: { app: web-local } }
    spec:
      nodeName: node-1
      containers: [{ name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web-local }
    spec: { selector: { app: web-local }, ports: [{ port: 80, targetPort: 80 }] }
`;

function transcript(mode: string, lines: string[]): string {
  const sim: Simulation = createSimulation(SCENARIO.replace('proxyMode: iptables', `proxyMode: ${mode}`) + LOCAL, { seed: 7, interactive: true });
  let s = '';
  for (const l of lines) s += `$ ${l}\n` + type(sim, l);
  return s;
}

describe('conntrack in nftables and IPVS modes', () => {
  it('nftables mode reuses a tracked connection\'s NAT binding; Felix\'s mangle chains run through iptables-nft', () => {
    golden('conntrack/nftables.txt', transcript('nftables', [
      'kubectl get svc web',
      'ssh node-1 conntrack -I -p tcp -s 10.244.0.3 -d 10.110.1.210 --sport 40000 --dport 80 --state ESTABLISHED -t 300 -u SEEN_REPLY,ASSURED --dst-nat 10.244.0.99:80',
      'kubectl exec client -- nc -zv -w 2 -p 40000 web 80',
      'ssh node-1 conntrack -L -p tcp --sport 40000',
      'ssh node-1 conntrack -D -p tcp --sport 40000 -d 10.110.1.210',
      'kubectl exec client -- nc -zv -w 2 -p 40000 web 80',
      'kubectl exec client -- curl -s -o /dev/null web',
      'kubectl exec client -- curl -s -o /dev/null web-local',
      'ssh node-1 conntrack -L -p tcp --dport 80',
      'ssh node-1 iptables -t mangle -L PREROUTING -v -n',
      'ssh node-1 iptables -t mangle -L POSTROUTING -v -n',
    ]));
  });

  it('IPVS mode: its connection table decides, conntrack follows', () => {
    golden('conntrack/ipvs.txt', transcript('ipvs', [
      'kubectl scale deploy -n kube-system coredns --replicas=2',
      'kubectl exec client -- nc -uzv -w 1 -p 5353 10.96.0.10 53',
      'ssh node-1 ipvsadm -Lnc',
      'ssh node-1 conntrack -L -p udp --sport 5353',
      // conntrack -D: IPVS still holds the connection, so its next packet goes to the same real server
      'ssh node-1 conntrack -D -p udp --sport 5353',
      'kubectl exec client -- nc -uzv -w 1 -p 5353 10.96.0.10 53',
      'ssh node-1 conntrack -L -p udp --sport 5353',
      'ssh node-1 ipvsadm -Lnc',
      // its real server leaves: the next packet expires the connection and is dropped, the one after is scheduled anew
      'kubectl delete pod -n kube-system coredns-7788dbc5b-s84g4',
      // kube-proxy's CleanStaleEntries (pkg/proxy/conntrack/cleanup.go) deletes the UDP entry bound to it
      'ssh node-1 conntrack -L -p udp --sport 5353',
      'kubectl exec client -- nc -uzv -w 1 -p 5353 10.96.0.10 53',
      'ssh node-1 ipvsadm -Lnc',
      'kubectl exec client -- nc -uzv -w 1 -p 5353 10.96.0.10 53',
      'ssh node-1 ipvsadm -Lnc',
      // a TCP connection in TIME_WAIT: the next SYN on its tuple is scheduled anew, one entry in each table
      'kubectl exec client -- nc -zv -w 2 -p 40000 web 80',
      'kubectl exec client -- nc -zv -w 2 -p 40000 web 80',
      'ssh node-1 ipvsadm -Lnc',
      'ssh node-1 conntrack -L -p tcp --dport 80',
      // the endpoint on the client's own node, and the node itself calling a ClusterIP (IPVS at LOCAL_OUT)
      'kubectl exec client -- curl -s -o /dev/null -w "%{http_code} %{remote_ip}\\n" web-local',
      'kubectl get svc web-local',
      'ssh node-1 curl -s -o /dev/null -w "%{http_code}\\n" 10.105.105.40',
      'ssh node-1 ipvsadm -Lnc',
      'ssh node-1 conntrack -L -p tcp --dport 80',
      'ssh node-1 ipvsadm -Ln --stats -t 10.110.1.210:80',
    ]));
  });
});

import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { NODEPORT, type } from '../tcpdump/scenario';

/**
 * Host endpoints and the failsafe chains, and the mangle table executed at its hooks.
 *
 * - felix/rules/endpoints.go HostEndpointToFilterChains (cali-th-/cali-fh- with the failsafe
 *   jump, cali-thfw-/cali-fhfw- with "Allow forwarded traffic by default"),
 *   HostEndpointToMangleEgressChains (RETURN as the allow action: the conntrack rule sets the
 *   accept bit first), endpointIptablesChain, appendConntrackRules;
 * - felix/rules/dispatch.go hostDispatchChains (applyOnForward for filter; mangle's to-host
 *   dispatch only; no pre-DNAT policy, so mangle's cali-from-host-endpoint stays empty);
 * - felix/rules/static.go failsafeInChain / failsafeOutChain over config_params.go's
 *   FailsafeInboundHostPorts `tcp:22,udp:68,tcp:179,tcp:2379,tcp:2380,tcp:5473,tcp:6443,tcp:6666,tcp:6667`
 *   and FailsafeOutboundHostPorts `udp:53,udp:67,tcp:179,…`; static_test.go expFailsafeIn
 *   (l. 189-194: `Protocol("tcp").DestPorts(…)`, ACCEPT); felix/iptables/table.go renders a
 *   chain only once a rendered chain refers to it, so the failsafe chains come and go with the
 *   node's first HostEndpoint;
 * - the hooks' table order (include/uapi/linux/netfilter_ipv4.h: mangle -150 before nat -100
 *   and filter 0): `iptables -t mangle -L -v` counts the walk's packets.
 */
describe('Felix host endpoints: failsafe ports, and the mangle table on the walk', () => {
  it('a HostEndpoint on eth0 locks node-1 down to the failsafe ports; NodePort traffic is forwarded; deleting it restores', () => {
    const sim = createSimulation(NODEPORT, { seed: 3, interactive: true });
    let out = '';
    for (const l of [
      'nc -zv -w 2 192.168.49.2 10250',
      "cat > hep.yaml <<'EOF'\napiVersion: crd.projectcalico.org/v1\nkind: HostEndpoint\nmetadata:\n  name: node-1-eth0\nspec:\n  node: node-1\n  interfaceName: eth0\n  expectedIPs: [\"192.168.49.2\"]\nEOF",
      'kubectl apply -f hep.yaml',
      'kubectl get hostendpoints',
      'nc -zv -w 2 192.168.49.2 10250',
      'nc -zv -w 2 192.168.49.2 22',
      'curl -s -o /dev/null -w "%{http_code}\\n" http://192.168.49.2:30080',
      'ssh node-1 iptables-save -t filter',
      'ssh node-1 iptables-save -t mangle',
      'ssh node-1 iptables -L cali-fh-eth0 -v -n',
      'ssh node-1 iptables -t mangle -L PREROUTING -v -n',
      'kubectl delete hostendpoint node-1-eth0',
      'nc -zv -w 2 192.168.49.2 10250',
      'ssh node-1 iptables -L cali-failsafe-in -n',
    ]) out += `$ ${l}\n` + type(sim, l);
    golden('cni/felix-static/host-endpoint-failsafe.txt', out);
  });
});

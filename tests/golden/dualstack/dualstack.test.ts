/**
 * A dual-stack cluster, whole outputs pinned. Upstream behaviour each golden follows:
 * - kubectl get/describe (kubectl pkg/describe/describe.go describeService: "IP Family Policy",
 *   "IP Families", "IP", "IPs", Endpoints from the EndpointSlices of both families through
 *   formatEndpointSlices/net.JoinHostPort; pkg/printers/internalversion/printers.go printService:
 *   CLUSTER-IP is ClusterIPs[0], printPod: IP is PodIPs[0], printEndpointSlice);
 * - the API server's choice of families and ClusterIPs (pkg/registry/core/service/storage/alloc.go
 *   initIPFamilyFields, allocClusterIPs) and the EndpointSlice controller's one slice set per
 *   address type (pkg/controller/endpointslice reconciler, getAddressTypesForService);
 * - CoreDNS plugin/kubernetes + plugin/backend_lookup.go (A answers IPv4 hosts, AAAA IPv6
 *   hosts, a name without the family is NODATA; endpointHostname dashes an IPv6 address);
 *   bind nslookup/dig/host (bin/dig);
 * - iproute2 ip/ipaddress.c and ip/iproute.c print_route (IPv6: metric always, `pref medium`),
 *   the kernel's fib6 dump order (children before the covering prefix, default last);
 * - curl 8.x lib/connect.c verbose resolution lines ("IPv6: …", "IPv4: …"), happy eyeballs
 *   trying the AAAA answer first (lib/cf-ip-happy.c), "Trying [%s]:%d..." (lib/cf-socket.c);
 *   the IPv6 walk itself is pinned in walk6.test.ts;
 * - flannel's dual-stack node (backend/vxlan: flannel-v6.<VNI>, its VTEP neighbours and fdb
 *   entries; pkg/subnet WriteSubnetFile's FLANNEL_IPV6_* lines), the kubelet's hosts file with
 *   a line per Pod IP (pkg/kubelet/kubelet_pods.go managedHostsFileContent);
 * - a patch that swaps a dual-stack Service's families: ValidateServiceUpdate runs
 *   validateUpgradeDowngradeIPFamilies (every change reported on ipFamilies[0], the value
 *   printed as []core.IPFamily) before ValidateService's clusterIPs-family checks.
 * - kubeadm's dual-stack flags and kube-proxy config: comma-separated pairs in --cluster-cidr,
 *   --service-cluster-ip-range and clusterCIDR (cmd/kubeadm/app/phases/controlplane/manifests.go).
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { DUAL_STACK } from './scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('dual-stack cluster', () => {
  const sim = createSimulation(DUAL_STACK, { seed: 1 });
  const cases: [string, string][] = [
    ['get-svc-wide.txt', 'kubectl get svc -o wide'],
    ['get-pods-wide.txt', 'kubectl get pods -o wide'],
    ['pod-ips.txt', "kubectl get pod client -o jsonpath='{range .status.podIPs[*]}{.ip}{\"\\n\"}{end}'"],
    ['node-addresses.txt', "kubectl get node node-1 -o jsonpath='{.status.addresses}{\"\\n\"}{.spec.podCIDRs}{\"\\n\"}'"],
    ['describe-svc-dual.txt', 'kubectl describe svc web-dual'],
    ['describe-svc-v6.txt', 'kubectl describe svc web-v6'],
    ['describe-svc-headless.txt', 'kubectl describe svc web-headless'],
    ['get-endpointslices.txt', 'kubectl get endpointslices'],
    ['svc-dual-yaml.txt', 'kubectl get svc web-dual -o yaml'],
    ['nslookup-dual.txt', 'kubectl exec client -- nslookup web-dual'],
    ['nslookup-aaaa-dual.txt', 'kubectl exec client -- nslookup -type=AAAA web-dual'],
    ['nslookup-aaaa-single.txt', 'kubectl exec client -- nslookup -type=AAAA web-single'],
    ['nslookup-aaaa-headless.txt', 'kubectl exec client -- nslookup -type=AAAA web-headless'],
    ['dig-aaaa-v6.txt', 'kubectl exec client -- dig +short AAAA web-v6.default.svc.cluster.local'],
    ['dig-srv-dual.txt', 'kubectl exec client -- dig +noall +answer +additional SRV web-dual.default.svc.cluster.local'],
    ['dig-aaaa-headless-pod.txt', 'kubectl exec client -- dig +short AAAA fd00-10-244-1--4.web-headless.default.svc.cluster.local'],
    ['host-dual.txt', 'kubectl exec client -- host web-dual'],
    ['ptr-v6.txt', 'kubectl exec client -- dig +short -x fd00:10:96::b:8610'],
    ['ptr-v6-endpoint.txt', 'kubectl exec client -- dig +short -x fd00:10:244:2::3'],
    ['pod-ip-6-addr.txt', 'kubectl exec client -- ip -6 addr'],
    ['pod-ip-6-route.txt', 'kubectl exec client -- ip -6 route'],
    ['pod-ip-addr-eth0.txt', 'kubectl exec client -- ip addr show eth0'],
    ['curl-v-dual.txt', 'kubectl exec client -- curl -sv -o /dev/null http://web-dual'],
    ['curl-v6-only.txt', 'kubectl exec client -- curl -s http://web-v6'],
    ['curl-6.txt', 'kubectl exec client -- curl -6 http://web-dual'],
    ['curl-v6-literal.txt', 'kubectl exec client -- curl -s http://[fd00:10:244:2::3]/'],
    ['node-ip-6-addr.txt', 'ssh node-1 ip -6 addr'],
    ['node-ip-6-route.txt', 'ssh node-1 ip -6 route'],
    ['node-ip6tables.txt', 'ssh node-1 ip6tables -t nat -S'],
    ['node-ip-6-neigh.txt', 'ssh node-1 ip -6 neigh'],
    ['node-fdb-v6.txt', 'ssh node-1 bridge fdb show dev flannel-v6.1'],
    ['node-subnet-env.txt', 'ssh node-1 cat /run/flannel/subnet.env'],
    ['pod-etc-hosts.txt', 'kubectl exec client -- cat /etc/hosts'],
    ['describe-node.txt', 'kubectl describe node node-1'],
    ['control-plane-ranges.txt', 'kubectl -n kube-system get pod kube-controller-manager-control-plane kube-apiserver-control-plane -o yaml | grep -e cidr= -e range='],
    ['kube-proxy-config.txt', 'kubectl -n kube-system get configmap kube-proxy -o yaml | grep clusterCIDR'],
    ['describe-pod-ips.txt', 'kubectl describe pod client | grep -A 3 "^IP"'],
    ['kube-proxy-nodeips.txt', 'kubectl -n kube-system logs ds/kube-proxy | grep NodeIPs'],
    // ValidateServiceUpdate: validateUpgradeDowngradeIPFamilies before ValidateService
    ['patch-swap-families.txt', `kubectl patch svc web-dual -p '{"spec":{"ipFamilies":["IPv6","IPv4"]}}'`],
  ];
  for (const [file, line] of cases) it(line, () => golden(`dualstack/${file}`, out(sim.run(line))));
});

/**
 * Whole outputs of ip/bridge on nodes and in pods, per CNI plugin, pinned as golden files.
 * Formats: iproute2 ip/ipaddress.c (print_linkinfo, print_addrinfo), ip/iproute.c
 * (print_route), bridge/link.c, bridge/fdb.c (print_fdb: a learned entry ends `master cni0 `
 * with an empty state; `dev DEV` is left out when filtered on; the kernel's rtnl_fdb_dump
 * walks devices in order, a port's bridge entries before its own `self` ones); busybox networking/libiproute/ipaddress.c and iproute.c.
 * Plugin wiring: flannel (backend/vxlan, cni bridge plugin), calico (cni-plugin
 * linux_dataplane.go, libcalico-go VethNameForWorkload, confd/BIRD routes), cilium, weave,
 * aws-vpc-cni (cni/driver: GenerateHostVethName). Config files: see engine/controllers/cni/config.ts.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { calicoNodeEnv, scenario } from '../../unit/dns/scenario';
import { on, pod, node } from '../../unit/dns/run';
import { golden } from '../../unit/dns/golden';
import { crossNodePath, nodeCniFiles } from '../../../engine/controllers/cni';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('flannel (vxlan)', () => {
  const sim = createSimulation(scenario('flannel'));
  const cases: [string, ReturnType<typeof node>, string][] = [
    ['flannel/node-1-ip-addr.txt', node('node-1'), 'ip addr'],
    ['flannel/node-1-ip-link.txt', node('node-1'), 'ip link show'],
    ['flannel/node-1-ip-route.txt', node('node-1'), 'ip route'],
    ['flannel/node-1-ip-br-addr.txt', node('node-1'), 'ip -br addr'],
    ['flannel/node-1-ip-br-link.txt', node('node-1'), 'ip -br link'],
    ['flannel/node-1-ip-4-addr.txt', node('node-1'), 'ip -4 a'],
    ['flannel/node-1-ip-d-link-flannel.1.txt', node('node-1'), 'ip -d link show flannel.1'],
    ['flannel/node-1-ip-link-type-bridge.txt', node('node-1'), 'ip link show type bridge'],
    ['flannel/node-1-ip-neigh.txt', node('node-1'), 'ip neigh'],
    ['flannel/node-1-bridge-link.txt', node('node-1'), 'bridge link show'],
    ['flannel/node-1-bridge-fdb.txt', node('node-1'), 'bridge fdb show'],
    ['flannel/node-1-bridge-fdb-br-cni0.txt', node('node-1'), 'bridge fdb show br cni0'],
    ['flannel/node-1-bridge-fdb-dynamic.txt', node('node-1'), 'bridge fdb show dynamic'],
    ['flannel/node-1-bridge-fdb-br-nope.txt', node('node-1'), 'bridge fdb show br nope'],
    ['flannel/node-1-ip-link-master-cni0.txt', node('node-1'), 'ip link show master cni0'],
    ['flannel/node-1-ip-route-get.txt', node('node-1'), 'ip route get 10.244.1.7'],
    ['flannel/node-1-ip-6-route.txt', node('node-1'), 'ip -6 route'],
    ['flannel/node-1-ip-o-4-addr.txt', node('node-1'), 'ip -o -4 addr'],
    ['flannel/node-1-ip-o-link.txt', node('node-1'), 'ip -o link show eth0'],
    ['flannel/busybox-pod-ip-addr.txt', pod('default', 'client'), 'ip addr'],
    ['flannel/busybox-pod-ip-route.txt', pod('default', 'client'), 'ip route'],
    ['flannel/netshoot-pod-ip-addr.txt', pod('default', 'tools'), 'ip addr'],
    ['flannel/netshoot-pod-ip-route.txt', pod('default', 'tools'), 'ip route'],
    ['flannel/error-no-device.txt', node('node-1'), 'ip addr show dev foo'],
    ['flannel/error-unknown-object.txt', node('node-1'), 'ip foo'],
    ['flannel/error-unknown-command.txt', node('node-1'), 'ip route foo'],
    ['flannel/busybox-error-no-device.txt', pod('default', 'client'), 'ip link show foo'],
    ['flannel/pod-ip-link-add.txt', pod('default', 'tools'), 'ip link add dummy0 type dummy'],
  ];
  for (const [file, host, line] of cases) it(`${line} (${file})`, () => golden(`cni/${file}`, out(on(sim, host, line))));
});

describe('calico (IPIP)', () => {
  const sim = createSimulation(scenario('calico'));
  const cases: [string, ReturnType<typeof node>, string][] = [
    ['calico/node-2-ip-addr.txt', node('node-2'), 'ip addr'],
    ['calico/node-2-ip-route.txt', node('node-2'), 'ip route'],
    ['calico/node-1-ip-route.txt', node('node-1'), 'ip route'],
    ['calico/node-2-ip-route-get.txt', node('node-2'), 'ip route get 10.244.0.5'],
    ['calico/node-2-bridge-link.txt', node('node-2'), 'bridge link show'],
    ['calico/node-2-bridge-fdb.txt', node('node-2'), 'bridge fdb show'],
    ['calico/busybox-pod-ip-addr.txt', pod('default', 'client'), 'ip addr'],
    ['calico/busybox-pod-ip-route.txt', pod('default', 'client'), 'ip route'],
    ['calico/netshoot-pod-ip-addr.txt', pod('default', 'tools'), 'ip addr'],
  ];
  for (const [file, host, line] of cases) it(`${line} (${file})`, () => golden(`cni/${file}`, out(on(sim, host, line))));
});

describe('cilium, weave, aws-vpc-cni, ipvs', () => {
  for (const cni of ['cilium', 'weave', 'aws-vpc-cni']) {
    const sim = createSimulation(scenario(cni));
    it(`${cni} node ip addr`, () => golden(`cni/${cni}/node-1-ip-addr.txt`, out(on(sim, node('node-1'), 'ip addr'))));
    it(`${cni} node ip route`, () => golden(`cni/${cni}/node-1-ip-route.txt`, out(on(sim, node('node-1'), 'ip route'))));
    it(`${cni} pod ip addr + route`, () => golden(`cni/${cni}/netshoot-pod.txt`, out(on(sim, pod('default', 'tools'), 'ip addr')) + out(on(sim, pod('default', 'tools'), 'ip route'))));
  }
  it('kube-ipvs0 carries every ClusterIP in IPVS mode', () => {
    const sim = createSimulation(scenario('flannel', '', 'ipvs'));
    golden('cni/ipvs/node-1-ip-addr-kube-ipvs0.txt', out(on(sim, node('node-1'), 'ip addr show kube-ipvs0')));
  });
});

describe('/etc/cni/net.d', () => {
  for (const cni of ['calico', 'flannel', 'cilium', 'weave', 'aws-vpc-cni']) {
    it(cni, () => {
      const sim = createSimulation(scenario(cni));
      const files = nodeCniFiles(sim.cluster, 'node-2');
      golden(`cni/net.d/${cni}.txt`, Object.entries(files).map(([p, c]) => `==> ${p} <==\n${c}${c.endsWith('\n') ? '' : '\n'}`).join(''));
    });
  }
});

describe('ip netns on a node', () => {
  it('lists the sandboxes newest first and runs ip inside one', () => {
    const sim = createSimulation(scenario('flannel'));
    const list = on(sim, node('node-1'), 'ip netns list');
    const first = list.stdout.split('\n')[0].split(' ')[0];
    golden('cni/flannel/node-1-ip-netns.txt', out(list) + out(on(sim, node('node-1'), `ip netns exec ${first} ip addr show eth0`)) + out(on(sim, node('node-1'), 'ip netns exec cni-nope ip addr')));
  });
});

describe('ss (misc/ss.c layout)', () => {
  it('a node\'s listening sockets, with and without -p', () => {
    const sim = createSimulation(scenario('calico'));
    golden('cni/ss/node-1-tlnp.txt', out(on(sim, node('node-1'), 'ss -tlnp')) + out(on(sim, node('node-1'), 'ss -tln')));
  });
  it('the sockets inside a CoreDNS pod and an nginx pod', () => {
    const sim = createSimulation(scenario('calico'));
    golden('cni/ss/pods-tulpn.txt', out(on(sim, pod('kube-system', 'coredns-7db6d8ff4d-x2x4w', 'coredns'), 'ss -tulpn')) + out(on(sim, pod('default', 'web-0', 'nginx'), 'ss -tlnp')));
  });
});

describe("flanneld's node annotations", () => {
  it("publish each node's VTEP MAC and address (flannel pkg/subnet/kube: backend-data, backend-type, kube-subnet-manager, public-ip)", () => {
    const sim = createSimulation(scenario('flannel'));
    const r = sim.run("kubectl get node node-2 -o jsonpath='{.metadata.annotations}'");
    const a = JSON.parse(r.stdout);
    const mac = JSON.parse(a['flannel.alpha.coreos.com/backend-data']).VtepMAC;
    const ip = sim.run("kubectl get node node-2 -o jsonpath='{.status.addresses[0].address}'").stdout;
    expect(a).toMatchObject({
      'flannel.alpha.coreos.com/backend-type': 'vxlan',
      'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
      'flannel.alpha.coreos.com/public-ip': ip,
    });
    // node-1's neighbour and fdb entries for node-2's range use that MAC, toward that address
    expect(on(sim, node('node-1'), 'bridge fdb show dev flannel.1').stdout).toContain(`${mac} dst ${ip} self permanent`);
    expect(on(sim, node('node-1'), 'ip neigh show dev flannel.1').stdout).toContain(`lladdr ${mac} PERMANENT`);
  });
});

describe('plugin configuration read from the cluster', () => {
  it('flannel host-gw (kube-flannel-cfg net-conf.json): plain routes via the other nodes, no flannel.1', () => {
    const sim = createSimulation(scenario('flannel', `
  - apiVersion: v1
    kind: Namespace
    metadata: { name: kube-flannel }
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: kube-flannel-cfg, namespace: kube-flannel }
    data:
      net-conf.json: |
        {
          "Network": "10.244.0.0/16",
          "Backend": {
            "Type": "host-gw"
          }
        }
`));
    golden('cni/flannel-host-gw/node-1.txt', out(on(sim, node('node-1'), 'ip -br link')) + out(on(sim, node('node-1'), 'ip route')) + out(on(sim, pod('default', 'tools'), 'ip link show eth0')));
    expect(crossNodePath(sim.cluster, 'node-1', 'node-2')).toMatchObject({ mode: 'host-gw', device: 'eth0', mtu: 1500, overhead: 0 });
  });
  for (const [name, env] of [
    ['calico-vxlan', '[{ name: CALICO_IPV4POOL_IPIP, value: Never }, { name: CALICO_IPV4POOL_VXLAN, value: Always }]'],
    ['calico-bgp', '[{ name: CALICO_IPV4POOL_IPIP, value: Never }, { name: CALICO_IPV4POOL_VXLAN, value: Never }]'],
    ['calico-ipip-1440', '[{ name: CALICO_IPV4POOL_IPIP, value: Always }, { name: FELIX_IPINIPMTU, value: "1440" }]'],
  ] as const) {
    it(`${name} (calico-node env)`, () => {
      const sim = createSimulation(scenario('calico', calicoNodeEnv(env)));
      golden(`cni/${name}/node-1.txt`, out(on(sim, node('node-1'), 'ip -br link')) + out(on(sim, node('node-1'), 'ip route')) + out(on(sim, pod('default', 'tools'), 'ip link show eth0')));
    });
  }
});

/**
 * net.ipv4.ip_forward = 0 on a node stops it routing between interfaces: Linux
 * net/ipv4/route.c ip_route_input_slow hands a packet for another host to ip_error when
 * the input device's IN_DEV_FORWARD is off, and ip_error counts it and drops it without an
 * ICMP error — the sender times out. A Pod on node-1 reaching the nginx Pod on node-2
 * (directly or through the Service web) crosses both nodes; node-1's own processes are not
 * forwarded by node-1, only by node-2; the Pod's own loopback needs no forwarding.
 * busybox 1.36 wget's timeout text: networking/wget.c ("download timed out").
 */
import { expect, it } from 'vitest';
import { cluster, type } from '../catalog/scenario';

it('ip_forward=0 on the destination node, then on the source node, then back to 1', () => {
  const sim = cluster('calico');
  const steps = [
    'kubectl exec bb -- wget -T 2 -qO- web | grep title',
    'ssh node-2 sysctl -w net.ipv4.ip_forward=0',
    'kubectl exec bb -- wget -T 2 -qO- web',
    "ssh node-1 curl -m 2 -s -o /dev/null -w '%{http_code}\\n' $(kubectl get pod web -o jsonpath='{.status.podIP}')",
    'kubectl exec web -c tools -- wget -T 2 -qO- localhost | grep title',
    'ssh node-2 sysctl -w net.ipv4.ip_forward=1',
    'kubectl exec bb -- wget -T 2 -qO- web | grep title',
    'ssh node-1 sysctl -w net.ipv4.conf.all.forwarding=0',
    'kubectl exec bb -- ping -c 1 -W 1 8.8.8.8',
    'ssh node-1 sysctl -w net.ipv4.ip_forward=1',
    'kubectl exec bb -- ping -c 1 -W 1 8.8.8.8 | grep -c seq=0',
  ];
  expect(steps.map((l) => `$ ${l}\n${type(sim, l)}`).join('')).toBe(`$ kubectl exec bb -- wget -T 2 -qO- web | grep title
<title>Welcome to nginx!</title>
[exit 0]
$ ssh node-2 sysctl -w net.ipv4.ip_forward=0
net.ipv4.ip_forward = 0
[exit 0]
$ kubectl exec bb -- wget -T 2 -qO- web
wget: download timed out
command terminated with exit code 1
[exit 1]
$ ssh node-1 curl -m 2 -s -o /dev/null -w '%{http_code}\\n' $(kubectl get pod web -o jsonpath='{.status.podIP}')
000
[exit 28]
$ kubectl exec web -c tools -- wget -T 2 -qO- localhost | grep title
<title>Welcome to nginx!</title>
[exit 0]
$ ssh node-2 sysctl -w net.ipv4.ip_forward=1
net.ipv4.ip_forward = 1
[exit 0]
$ kubectl exec bb -- wget -T 2 -qO- web | grep title
<title>Welcome to nginx!</title>
[exit 0]
$ ssh node-1 sysctl -w net.ipv4.conf.all.forwarding=0
net.ipv4.conf.all.forwarding = 0
[exit 0]
$ kubectl exec bb -- ping -c 1 -W 1 8.8.8.8
PING 8.8.8.8 (8.8.8.8): 56 data bytes

--- 8.8.8.8 ping statistics ---
1 packets transmitted, 0 packets received, 100% packet loss
command terminated with exit code 1
[exit 1]
$ ssh node-1 sysctl -w net.ipv4.ip_forward=1
net.ipv4.ip_forward = 1
[exit 0]
$ kubectl exec bb -- ping -c 1 -W 1 8.8.8.8 | grep -c seq=0
1
[exit 0]
`);
});

it('the packet trace names the node that stopped forwarding', async () => {
  const sim = cluster('calico');
  type(sim, 'ssh node-2 sysctl -w net.ipv4.ip_forward=0');
  const { connect } = await import('../../../engine/dataplane/walk');
  const ip = sim.run("kubectl get pod web -o jsonpath='{.status.podIP}'").stdout;
  const r = connect(sim.cluster, { kind: 'pod', namespace: 'default', pod: 'bb', container: 'bb' }, ip, 80);
  expect(r.outcome).toBe('timeout');
  expect(r.hops.at(-1)).toMatchObject({ where: 'node node-2', verdict: 'drop', stage: 'route' });
  expect(r.hops.at(-1)!.what).toMatch(/^net\.ipv4\.ip_forward = 0: node-2 does not route 10\.\d+\.\d+\.\d+ → 10\.\d+\.\d+\.\d+ from one interface to another; dropped$/);
});

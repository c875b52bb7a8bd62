/**
 * A server typed in a node's own shell (`ssh node-1`, then `nc -lk -p 9000 &`) listens in the
 * node's network namespace for as long as it runs (dataplane/started.ts `node`,
 * commands/net/traffic/serve.ts): the walk delivers the node's own connections to it, ss -p
 * names it by the PID bash announced for the job (misc/ss.c `users:(("nc",pid=N,fd=3))`: the
 * listen socket is OpenBSD netcat's first descriptor after stdio), a second bind on the port is
 * netcat's err(1) "Address in use", and `kill %1` (bash jobs.c `Terminated`) closes the socket.
 * The node image (kindest/node) has no python3, so `python3 -m http.server` is bash's "command
 * not found". Snapshots keep no hand-started process (started.ts: a restored lab is a new
 * terminal session). A hostNetwork Pod's container shares the node's network namespace but not
 * its PID namespace: its `iperf3 -s -D` (iperf 3.17.1 main.c daemon(): the parent's PID burnt)
 * listens on the node's address, ss -p in the Pod names it by the Pod's PID, on the node by a
 * node PID, and a client on another node reaches it over the node network.
 */
import { it } from 'vitest';
import { golden } from '../../unit/dns/golden';
import { createSimulation } from '../../../engine';
import { cluster, SCENARIO, type } from '../tcpdump/scenario';

it('a server started in a node\'s shell listens on the node until it is killed', () => {
  const sim = cluster('calico');
  let s = '';
  for (const l of [
    'ssh node-1',
    'nc -lk -p 9000 &',
    'ss -ltnp | grep 9000',
    'curl -s -m 2 -o /dev/null http://192.168.49.2:9000/',
    'nc -l -p 9000',
    'jobs',
    'kill %1',
    'ss -ltn | grep 9000',
    'curl -s -m 2 http://192.168.49.2:9000/; echo $?',
    'python3 -m http.server 8000',
    'exit',
  ]) s += `$ ${l}\n` + type(sim, l);
  golden('traffic/listeners/node-shell.txt', s);
});

it('a server started in a hostNetwork Pod listens on its node', () => {
  const sim = createSimulation(SCENARIO + `
  - apiVersion: v1
    kind: Pod
    metadata: { name: hn }
    spec:
      nodeName: node-2
      hostNetwork: true
      containers: [{ name: shoot, image: "nicolaka/netshoot:v0.13", command: [sleep, infinity] }]
`, { seed: 7, interactive: true });
  let s = '';
  for (const l of [
    'kubectl exec -it hn -- bash',
    'iperf3 -s -D',
    'ss -ltnp | grep 5201',
    'exit',
    'kubectl exec client -- iperf3 -c 192.168.49.3 -t 2',
    "ssh node-2 'ss -ltnp | grep 5201'",
  ]) s += `$ ${l}\n` + type(sim, l);
  golden('traffic/listeners/hostnetwork.txt', s);
});

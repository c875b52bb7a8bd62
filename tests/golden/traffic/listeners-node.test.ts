/**
 * A server typed in a node's own shell (`ssh node-1`, then `nc -lk -p 9000 &`) listens in the
 * node's network namespace for as long as it runs (dataplane/started.ts `node`,
 * commands/net/traffic/serve.ts): the walk delivers the node's own connections to it, ss -p
 * names it by the PID bash announced for the job (misc/ss.c `users:(("nc",pid=N,fd=3))`: the
 * listen socket is OpenBSD netcat's first descriptor after stdio), a second bind on the port is
 * netcat's err(1) "Address in use", and `kill %1` (bash jobs.c `Terminated`) closes the socket.
 * The node image (kindest/node) has no python3, so `python3 -m http.server` is bash's "command
 * not found". Snapshots keep no hand-started process (started.ts: a restored lab is a new
 * terminal session).
 */
import { it } from 'vitest';
import { golden } from '../../unit/dns/golden';
import { cluster, type } from '../tcpdump/scenario';

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

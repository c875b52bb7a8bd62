/**
 * Servers typed in a container's shell listen for as long as they run (dataplane/started.ts,
 * commands/net/traffic/serve.ts), at an interactive terminal as a learner types them: the
 * packet walk (Services, NetworkPolicy) delivers to them, ss/netstat//proc/net/tcp list their
 * sockets, ps their process; Ctrl+C, `kill %N`, `kill PID` and the SIGHUP bash sends its jobs
 * when the exec session ends close them; a `-D` daemon outlives the session.
 *
 * Texts:
 * - iperf 3.17.1 (github:esnet/iperf at tag 3.17.1): src/iperf_server_api.c
 *   iperf_server_listen ("Server listening on %d (test #%d)" between dashed lines, the number
 *   counting tests), src/main.c run() (daemon(1, 0): stdio to /dev/null; `-1` breaks the loop
 *   after one test; iperf_run_server's -2 → iperf_err "error - %s" then iperf_errexit "exiting"),
 *   src/iperf_error.c IELISTEN "unable to start listener for connections" + strerror (musl:
 *   "Address in use"), IESERVERTERM "the server has terminated" (iperf_got_sigend; the exit is
 *   iperf3's own, so bash reports `Exit 1`), iperf_api.c iperf_open_logfile (--logfile);
 * - bash jobs.c (`[1] PID`, `[1]+  Exit 1`, `Terminated`, `Done`), kill.def;
 * - OpenBSD netcat as Debian/Alpine patch it (`Listening on 0.0.0.0 PORT`, `Connection received
 *   on ADDR PORT`, err(1) "Address in use"); socat's xio-listen.c (backlog 5, fork) and its
 *   sycls.c bind trace; ss (misc/ss.c) and net-tools netstat's PID/Program name.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import { Rng } from '../../../engine/cluster/rng';
import { golden } from '../../unit/dns/golden';
import { dnsLayer, pod, scenario, svc } from '../../unit/dataplane/fixtures';

const SHOOT = 'nicolaka/netshoot:v0.13';

function cluster(): Simulation {
  const s = createSimulation(
    scenario({ cni: 'calico', proxyMode: 'iptables' }, [
      ...dnsLayer(),
      pod('default', 'near', 'node-1', '10.244.0.42', SHOOT, { app: 'near' }, { containers: [{ name: 'main', image: SHOOT, command: ['sleep', 'infinity'] }] }),
      pod('default', 'shoot', 'node-2', '10.244.1.62', SHOOT, { app: 'shoot' }, { containers: [{ name: 'main', image: SHOOT, command: ['sleep', 'infinity'] }] }),
      pod('default', 'bb', 'node-2', '10.244.1.63', 'busybox:1.36', {}, { containers: [{ name: 'bb', image: 'busybox:1.36', command: ['sleep', '3600'] }] }),
      ...svc('default', 'perf', '10.96.52.9', [['10.244.0.42', 'node-1', 'near']], [{ port: 5201, targetPort: 5201 }]),
    ]),
    { seed: 1, interactive: true },
  );
  s.rng.setState(new Rng(7936).state());
  return s;
}

/** One line at terminal `n`, stepped `steps` times, then Ctrl+C if it still runs; its transcript. */
function term(s: Simulation, n: number, text: string, steps = 0): string {
  const ex = s.start(text, n);
  let k = 0;
  while (ex.running && k++ < steps) ex.step();
  if (ex.running) ex.interrupt();
  return `[${n}]$ ${text}\n${ex.takeOutput().map((c) => c.text).join('')}(exit ${ex.exitCode})\n`;
}

function session(s: Simulation, lines: [number, string, number?][]): string {
  return lines.map(([n, text, steps]) => term(s, n, text, steps)).join('');
}

describe('servers started in a shell', () => {
  it('iperf3 -s &: a job the walk reaches, ss/ps/netstat//proc/net/tcp list, kill %1 closes', () => {
    const s = cluster();
    golden('traffic/listeners/iperf3-job.txt', session(s, [
      [0, 'kubectl exec -it near -- bash'],
      [0, 'iperf3 -s &'],
      [0, 'ss -ltnp'],
      [0, 'netstat -tlnp'],
      // iperf3's `*` socket is AF_INET6 (dual-stack): /proc/net/tcp6 lists it, tcp does not
      [0, 'cat /proc/net/tcp6'],
      [0, 'ps'],
      [1, 'kubectl exec shoot -- iperf3 -c perf -t 2'],
      // the server's side of the test reaches its terminal as the job streams after the next line
      [0, 'jobs -l'],
      [0, 'iperf3 -s'],
      [0, 'kill %1'],
      [0, 'ss -ltn'],
      [1, 'kubectl exec shoot -- iperf3 -c perf -t 1'],
    ]));
  });

  it('a foreground server ends with Ctrl+C; -1 ends after one test; leaving the shell hangs its jobs up', () => {
    const s = cluster();
    golden('traffic/listeners/iperf3-foreground.txt', session(s, [
      [0, 'kubectl exec -it near -- bash'],
      [0, 'iperf3 -s -p 5300', 2],
      [0, 'iperf3 -s -1 &'],
      [1, 'kubectl exec shoot -- iperf3 -c 10.244.0.42 -t 1 -P 2'],
      [0, 'jobs'],
      [0, 'iperf3 -s &'],
      [0, 'exit'],
      [0, 'kubectl exec near -- ss -ltn'],
      [1, 'kubectl exec shoot -- iperf3 -c 10.244.0.42 -t 1'],
    ]));
  });

  it('iperf3 -s -D outlives the session; --logfile gets each test; kill PID stops it', () => {
    const s = cluster();
    golden('traffic/listeners/iperf3-daemon.txt', session(s, [
      [0, 'kubectl exec -it near -- bash'],
      [0, 'iperf3 -s -D --logfile /tmp/iperf3.log'],
      [0, 'iperf3 -s'],
      [0, 'exit'],
      [0, 'kubectl exec near -- ps'],
      [1, 'kubectl exec shoot -- iperf3 -c perf -t 1 -R'],
      [0, 'kubectl exec near -- cat /tmp/iperf3.log'],
      [0, 'kubectl exec -it near -- bash'],
      [0, 'kill 9'],
      [0, 'kill 9'],
      [1, 'kubectl exec shoot -- iperf3 -c perf -t 1'],
    ]));
  });

  it('a NetworkPolicy isolating the Pod drops what reaches the hand-started server', () => {
    const s = cluster();
    term(s, 0, 'kubectl exec -it near -- bash');
    term(s, 0, 'iperf3 -s -D');
    term(s, 0, 'exit');
    expect(s.run("cat <<'EOF' | kubectl apply -f -\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector:\n    matchLabels:\n      app: near\n  policyTypes: [Ingress]\nEOF").exitCode).toBe(0);
    const before = s.cluster.clock.now();
    const r = s.run('kubectl exec shoot -- iperf3 -c perf -t 1');
    expect(r.stderr).toBe('iperf3: error - unable to connect to server - server may have stopped running or use a different port, firewall issue, etc.: Operation timed out\ncommand terminated with exit code 1\n');
    expect(s.cluster.clock.now() - before).toBeGreaterThanOrEqual(127_000);
    // the same server answers once the policy lets shoot in
    expect(s.run("cat <<'EOF' | kubectl apply -f -\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-shoot\nspec:\n  podSelector:\n    matchLabels:\n      app: near\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          app: shoot\nEOF").exitCode).toBe(0);
    expect(s.run('kubectl exec shoot -- iperf3 -c perf -t 1').stdout).toMatch(/iperf Done\.\n$/);
  });

  it('nc -l and socat TCP-LISTEN: what clients send reaches the terminal; bind errors; netstat names them', () => {
    const s = cluster();
    golden('traffic/listeners/nc-socat.txt', session(s, [
      [0, 'kubectl exec -it near -- bash'],
      [0, 'nc -lk -p 9000 &'],
      [0, 'socat TCP-LISTEN:8080,fork,reuseaddr - &'],
      [0, 'nc -lv 7000 &'],
      [0, 'ss -ltnp'],
      [0, 'netstat -tlnp'],
      [1, 'kubectl exec shoot -- curl -sS -d hi 10.244.0.42:9000/a'],
      [1, 'kubectl exec shoot -- curl -sS 10.244.0.42:7000/c'],
      [0, 'jobs'],
      [0, 'nc -l -p 9000'],
      [0, 'socat TCP-LISTEN:8080 -'],
      [0, 'kill %1'],
      [0, 'exit'],
      [0, 'kubectl exec near -- ss -ltn'],
      [0, 'kubectl exec -it bb -- sh'],
      [0, 'nc -l -p 8000 &'],
      [0, 'nc -l -p 8000'],
      [0, 'netstat -tln'],
    ]));
  });
});

describe('musl strerror in netshoot', () => {
  it("telnet's and socat's timeouts say Operation timed out", () => {
    const s = cluster();
    expect(s.run('kubectl exec shoot -- telnet 10.96.200.200 80').stderr).toBe("telnet: can't connect to remote host (10.96.200.200): Operation timed out\ncommand terminated with exit code 1\n");
    expect(s.run('kubectl exec bb -- telnet 10.96.200.200 80').stderr).toBe("telnet: can't connect to remote host (10.96.200.200): Connection timed out\ncommand terminated with exit code 1\n");
  });
});

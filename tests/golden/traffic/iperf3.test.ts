/**
 * Golden outputs of iperf3 as nicolaka/netshoot v0.13 ships it (iperf 3.17.1; github:esnet/iperf
 * at tag 3.17.1), run through `kubectl exec` as a learner types it:
 * - src/iperf_locale.c: report_connecting "Connecting to host %s, port %d", report_reverse,
 *   report_connected "[%3d] local %s port %d connected to %s port %d", the interval headers
 *   (report_bw_retrans_cwnd_header, report_bw_header, report_bw_udp_sender_header,
 *   report_bw_udp_header) and formats ("[%3d]%s %6.2f-%-6.2f sec  %ss  %ss/sec  %3u   %ss       %s",
 *   …), report_bw_separator, report_sum_bw_*_format, report_done "iperf Done.", report_cpu,
 *   test_start_time, usage_shortstr;
 * - src/iperf_api.c: iperf_parse_arguments (the range checks behind each parameter error),
 *   iperf_on_connect (Time, Cookie, "TCP MSS: %d (default)"), connect_msg,
 *   print_interval_results / iperf_print_intermediate ([SUM] lines only with -P > 1),
 *   iperf_print_results (sender and receiver lines, which side's clock each uses; CPU use
 *   only when the local side sends), iperf_json_start / iperf_json_finish (start, intervals,
 *   end; the keys in the order they are added);
 * - src/iperf_client_api.c iperf_connect ("Control connection MSS %d") and main.c
 *   ("iperf3: error - %s", "iperf3: parameter error - %s" then an empty line and the usage);
 * - src/iperf_error.c iperf_strerror (IECONNECT's text, strerror / gai_strerror appended);
 * - src/iperf_server_api.c: "Server listening on %d (test #%d)" between dashed lines, flushed
 *   with the test at its end (so `kubectl logs` shows nothing before the first test);
 * - src/units.c unit_snprintf (1024-based bytes, 1000-based bits, four places);
 * - musl (Alpine): getopt_long's "unrecognized option: %s" / "option requires an argument: %s",
 *   strerror's "Connection refused" / "Operation timed out", gai_strerror's "Name does not resolve";
 * - curl 8's lib/http.c: bytes that cannot start "HTTP/" are HTTP/0.9, refused (exit 1).
 * Throughput follows the path: across nodes the node link (10000 Mb/s) less each segment's
 * headers, Calico's IPIP 20 bytes (Flannel's VXLAN 50) and Ethernet framing, MSS = MTU − 52.
 */
import { describe, it, expect } from 'vitest';
import { golden } from '../../unit/dns/golden';
import { dnsLayer, pod, sim, svc } from '../../unit/dataplane/fixtures';
import type { Simulation } from '../../../engine/index';

const SHOOT = 'nicolaka/netshoot:v0.13';

function cluster(cni: 'calico' | 'flannel') {
  const a = cni === 'calico' ? '10.244.0' : '10.244.0';
  const b = cni === 'calico' ? '10.244.1' : '10.244.1';
  return sim({ cni, proxyMode: 'iptables' }, [
    ...dnsLayer(),
    pod('default', 'srv', 'node-1', `${a}.40`, SHOOT, { app: 'srv' }, { containers: [{ name: 'srv', image: SHOOT, args: ['iperf3', '-s'] }] }),
    pod('default', 'alt', 'node-1', `${a}.41`, SHOOT, {}, { containers: [{ name: 'alt', image: SHOOT, command: ['sh', '-c', 'iperf3 -s -p 5300'] }] }),
    pod('default', 'near', 'node-1', `${a}.42`, SHOOT, {}, { containers: [{ name: 'main', image: SHOOT, command: ['sleep', 'infinity'] }] }),
    pod('default', 'shoot', 'node-2', `${b}.62`, SHOOT, {}, { containers: [{ name: 'main', image: SHOOT, command: ['sleep', 'infinity'] }] }),
    pod('default', 'web', 'node-2', `${b}.55`, 'nginx:1.27.3', { app: 'web' }),
    pod('default', 'relay', 'node-2', `${b}.56`, SHOOT, {}, { containers: [{ name: 'relay', image: SHOOT, command: ['socat', 'TCP-LISTEN:9000,fork,reuseaddr', 'EXEC:cat'] }] }),
    pod('default', 'srv2', 'node-1', `${a}.45`, SHOOT, { app: 'srv' }, { containers: [{ name: 'srv', image: SHOOT, args: ['iperf3', '-s'] }] }),
    pod('default', 'ncl', 'node-1', `${a}.43`, SHOOT, {}, { containers: [{ name: 'ncl', image: SHOOT, command: ['sh', '-c', 'nc -lk 7000'] }] }),
    pod('default', 'bbl', 'node-1', `${a}.44`, 'busybox:1.36', {}, { containers: [{ name: 'bbl', image: 'busybox:1.36', command: ['nc', '-lk', '-p', '7001'] }] }),
    ...svc('default', 'srv', '10.96.52.1', [[`${a}.40`, 'node-1', 'srv']], [{ name: 'tcp', port: 5201, targetPort: 5201 }, { name: 'udp', port: 5201, targetPort: 5201, protocol: 'UDP' }]),
    // TCP only: iperf3 -u's datagrams have no rule to follow
    ...svc('default', 'srv-tcp', '10.96.52.2', [[`${a}.40`, 'node-1', 'srv']], [{ port: 5201, targetPort: 5201 }]),
    // two iperf3 servers behind one Service: each connection is balanced on its own
    ...svc('default', 'pair', '10.96.52.3', [[`${a}.40`, 'node-1', 'srv'], [`${a}.45`, 'node-1', 'srv2']], [{ port: 5201, targetPort: 5201 }]),
  ]);
}

function show(s: Simulation, line: string): string {
  const r = s.run(line);
  return `$ ${line}\n${r.stdout}${r.stderr ? `[stderr]\n${r.stderr}` : ''}[exit ${r.exitCode}]\n`;
}

describe('iperf3 3.17.1 over the walk (Calico IPIP)', () => {
  // One simulation, the commands in order: the clock and the seeded stream advance as in a session.
  const s = cluster('calico');
  const cases: [string, string[]][] = [
    ['server-log-before.txt', ['kubectl logs srv']],
    ['tcp-cross-node.txt', ['kubectl exec shoot -- iperf3 -c srv', 'kubectl logs srv']],
    ['tcp-same-node-parallel.txt', ['kubectl exec near -- iperf3 -c srv -t 3 -P 2']],
    ['tcp-reverse.txt', ['kubectl exec shoot -- iperf3 -c 10.244.0.40 -R -t 3', 'kubectl logs srv --tail=12']],
    ['tcp-verbose.txt', ['kubectl exec shoot -- iperf3 -c srv -t 2 -V']],
    ['tcp-json.txt', ['kubectl exec shoot -- iperf3 -c srv -t 2 -J']],
    ['udp.txt', ['kubectl exec shoot -- iperf3 -c srv -u -t 3', 'kubectl exec shoot -- iperf3 -c srv -u -b 100M -l 1000 -t 2 -f m', 'kubectl exec shoot -- iperf3 -c srv -u -R -V -t 2', 'kubectl exec shoot -- iperf3 -c srv -u -l 8000 -b 10M -t 1']],
    ['udp-json.txt', ['kubectl exec shoot -- iperf3 -c srv -u -t 1 -J']],
    ['tcp-reverse-json.txt', ['kubectl exec near -- iperf3 -c srv -R -J -P 2 -t 1 -i 0']],
    ['port-and-mss.txt', ['kubectl exec shoot -- iperf3 -c 10.244.0.41 -p 5300 -t 2 -M 1000 -i 2']],
    ['errors-connect.txt', [
      'kubectl exec shoot -- iperf3 -c 10.244.0.42 -t 1',
      'kubectl exec shoot -- iperf3 -c nope',
      'kubectl exec shoot -- iperf3 -c srv -p 5202 --connect-timeout 2000',
      'kubectl exec shoot -- iperf3 -c 10.244.1.55 -p 80',
      'kubectl exec shoot -- iperf3 -c 10.244.1.55 -p 80 -J',
      'kubectl exec shoot -- iperf3 -c srv-tcp -u -t 1',
      'kubectl exec shoot -- iperf3 -c pair -t 1 -P 4',
      'kubectl exec shoot -- iperf3 -c pair -t 1 -P 4 -J',
    ]],
    ['errors-arguments.txt', [
      'kubectl exec shoot -- iperf3',
      'kubectl exec shoot -- iperf3 --foo',
      'kubectl exec shoot -- iperf3 -x',
      'kubectl exec shoot -- iperf3 -c',
      'kubectl exec shoot -- iperf3 -c srv -p 70000',
      'kubectl exec shoot -- iperf3 -c srv -t 90000',
      'kubectl exec shoot -- iperf3 -c srv -P 200',
      'kubectl exec shoot -- iperf3 -c srv -M 10000',
      'kubectl exec shoot -- iperf3 -c srv -u -l 8',
      'kubectl exec shoot -- iperf3 -c srv -i 100',
      'kubectl exec shoot -- iperf3 -c srv -f x',
      'kubectl exec shoot -- iperf3 -s -c srv',
      'kubectl exec shoot -- iperf3 -s -t 5',
      'kubectl exec shoot -- iperf3 -c srv -D',
      'kubectl exec shoot -- iperf3 -c srv --tim=1',
      'kubectl exec shoot -- iperf3 -c srv --udp=1',
      'kubectl exec shoot -- iperf3 -c srv --por',
      'kubectl exec shoot -- iperf3 -c srv -n 1M -t 2',
      'kubectl exec shoot -- iperf3 -c srv -O 61',
      'kubectl exec shoot -- iperf3 -c srv -w 1G',
      'kubectl exec shoot -- iperf3 --par 2 -c srv --time 1 -i 0 --conn 500',
    ]],
    ['listeners.txt', [
      'kubectl exec srv -- ss -ltnp',
      'kubectl exec alt -- netstat -ltn',
      'kubectl exec relay -- ss -ltnp',
      'kubectl exec shoot -- nmap -p 5201,5300,9000 10.244.0.40',
      'kubectl exec shoot -- curl -sS 10.244.0.40:5201',
      'kubectl exec shoot -- nc -zv 10.244.1.56 9000',
      'kubectl exec shoot -- curl -sS 10.244.1.56:9000',
      'kubectl exec shoot -- curl -sS 10.244.0.43:7000',
      'kubectl logs ncl',
      'kubectl exec shoot -- curl -sS -d hello 10.244.0.44:7001/x',
      'kubectl logs bbl',
      'kubectl exec ncl -- ss -ltnp',
    ]],
    // iperf_api.c: -v's printf("%s (cJSON %s)\n%s\n%s\n"), -h's usage_long (iperf_locale.c
    // usage_longstr), -n/-k (test_start_bytes / test_start_blocks; the test ends when the bytes
    // are out), -w (iperf_tcp.c: SO_SNDBUF/SO_RCVBUF read back as twice min(w, rmem_max 212992);
    // more than that: IESETBUF2 "socket buffer size not set correctly"), -O (report_omitted
    // "(omitted)" on the pre-test's intervals, left out of the summary), -T (iperf_printf's
    // "%s:  " before each line); UDP above the node link's rate loses the excess at the node
    ['options.txt', [
      'kubectl exec shoot -- iperf3 -v',
      'kubectl exec shoot -- iperf3 --help',
      'kubectl exec shoot -- iperf3 -c srv -n 3G',
      'kubectl exec shoot -- iperf3 -c srv -k 100 -l 1M -V',
      'kubectl exec shoot -- iperf3 -c srv -t 2 -w 64K',
      'kubectl exec shoot -- iperf3 -c srv -t 2 -w 512K',
      'kubectl exec shoot -- iperf3 -c srv -t 2 -O 2',
      'kubectl exec shoot -- iperf3 -c srv -t 2 -u -b 20G',
      'kubectl exec near -- iperf3 -c srv -t 1 -u -b 20G',
      'kubectl exec shoot -- iperf3 -c srv -t 1 -T web',
      // -t 0: until interrupted (kubectl exec without a terminal gives a streaming command its bounded steps, then Ctrl+C)
      'kubectl exec shoot -- iperf3 -c srv -t 0 -i 2',
      'kubectl exec shoot -- iperf3 -c srv -t 0 -R -T x',
    ]],
  ];
  for (const [file, lines] of cases) {
    it(`${file}: ${lines.join(' ; ')}`, () => {
      golden(`traffic/iperf3/${file}`, lines.map((l) => show(s, l)).join(''));
    });
  }
});

describe('iperf3 across a Flannel VXLAN overlay', () => {
  it('pays 50 bytes of VXLAN per segment on a 1450-byte MTU', () => {
    const s = cluster('flannel');
    golden('traffic/iperf3/flannel-vxlan.txt', show(s, 'kubectl exec shoot -- iperf3 -c srv -t 2 -V'));
  });
});

describe('iperf3: properties', () => {
  it('cross-node TCP is slower than same-node, and the overlay costs what its header does', () => {
    const rate = (s: Simulation, from: string) => {
      const j = JSON.parse(s.run(`kubectl exec ${from} -- iperf3 -c srv -t 1 -J -i 0`).stdout) as { end: { sum_sent: { bits_per_second: number } } };
      return j.end.sum_sent.bits_per_second;
    };
    const calico = cluster('calico');
    const flannel = cluster('flannel');
    const cross = rate(calico, 'shoot');
    expect(rate(calico, 'near')).toBeGreaterThan(cross * 3);
    // IPIP: 20 bytes on a 1440-byte MTU; VXLAN: 50 bytes on 1450 — both near 9.1–9.3 Gbit/s, never the link's 10
    expect(cross).toBeLessThan(1e10);
    expect(rate(flannel, 'shoot')).toBeLessThan(1e10);
  });

  it('a NetworkPolicy that drops the control connection times it out, and the clock moves by the SYN retries', () => {
    const s = cluster('calico');
    expect(s.run("cat <<'EOF' | kubectl apply -f -\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector:\n    matchLabels:\n      app: srv\n  policyTypes: [Ingress]\nEOF").exitCode).toBe(0);
    const before = s.cluster.clock.now();
    const r = s.run('kubectl exec shoot -- iperf3 -c srv -t 1');
    expect(r.stderr).toBe('iperf3: error - unable to connect to server - server may have stopped running or use a different port, firewall issue, etc.: Operation timed out\ncommand terminated with exit code 1\n');
    expect(s.cluster.clock.now() - before).toBeGreaterThanOrEqual(127_000);
  });

  it('iperf3 -s typed in a shell runs until interrupted', () => {
    const s = cluster('calico');
    golden('traffic/iperf3/foreground-server.txt', show(s, 'kubectl exec shoot -- iperf3 -s') + show(s, 'kubectl exec shoot -- iperf3 -s -D'));
  });
});

/**
 * --bidir (iperf_api.c mode BIDIRECTIONAL, 3.17.1): iperf_client_api.c creates the -P sending
 * streams then as many receiving ones; iperf_print_intermediate and iperf_print_results go mode
 * by mode (the client TX then RX, the server RX then TX) with the role after the id
 * (`sprintf(mbuf, "[%s-%s]", …)`), the `_bidir` headers of iperf_locale.c, zbuf's blank column
 * in the UDP sender lines, every summary line timed by the first stream; the server prints only
 * its own side of each stream. -R with --bidir is IEREVERSEBIDIR.
 */
describe('iperf3 --bidir', () => {
  const s = cluster('calico');
  const cases: [string, string[]][] = [
    ['bidir-tcp.txt', ['kubectl exec shoot -- iperf3 -c srv --bidir -t 3', 'kubectl logs srv --tail=17']],
    ['bidir-parallel.txt', ['kubectl exec shoot -- iperf3 -c srv --bidir -t 2 -P 2', 'kubectl exec near -- iperf3 -c srv --bidir -t 1 -V']],
    ['bidir-udp.txt', ['kubectl exec shoot -- iperf3 -c srv --bidir -u -b 50M -t 2', 'kubectl logs srv --tail=12']],
    ['bidir-errors.txt', ['kubectl exec shoot -- iperf3 -c srv --bidir -R', 'kubectl exec shoot -- iperf3 -c srv -R --bidir', 'kubectl exec shoot -- iperf3 -c srv --bidir -J', 'kubectl exec shoot -- iperf3 -s --bidir']],
  ];
  for (const [file, lines] of cases) {
    it(`${file}: ${lines.join(' ; ')}`, () => {
      golden(`traffic/iperf3/${file}`, lines.map((l) => show(s, l)).join(''));
    });
  }

  it('each direction moves less than one direction alone across nodes (the other direction\'s ACKs share the wire), both together more', () => {
    const t = cluster('calico');
    const uni = (JSON.parse(t.run('kubectl exec shoot -- iperf3 -c srv -t 2 -J -i 0').stdout) as { end: { sum_sent: { bits_per_second: number } } }).end.sum_sent.bits_per_second;
    const out = t.run('kubectl exec shoot -- iperf3 -c srv --bidir -t 2 -i 0').stdout;
    const gbps = (role: string) => Number(new RegExp(`\\]\\[${role}\\].* ([\\d.]+) Gbits/sec .* sender`).exec(out)![1]) * 1e9;
    for (const role of ['TX-C', 'RX-C']) {
      expect(gbps(role)).toBeLessThan(uni);
      expect(gbps(role)).toBeGreaterThan(uni * 0.9);
    }
    expect(gbps('TX-C') + gbps('RX-C')).toBeGreaterThan(1.5 * uni);
  });
});

/**
 * nmap 7.95, TCP port scans (github:nmap/nmap at its 7.95 merge, 95b974b10): nmap.cc's banner "Starting %s %s ( %s ) at %s"
 * (strftime "%Y-%m-%d %H:%M %Z"), output.cc write_host_header ("Nmap scan report for %s" with
 * Target::NameIP — the name as typed, else the reverse DNS name, then the address; "rDNS
 * record for %s: %s" when they differ), write_host_status ("Host is up (%ss latency)." with
 * num_to_string_sigdigits(srtt, 2)), printportoutput (the PORT STATE SERVICE table, "Not
 * shown: %d %s %s %s%s (%s)" for a state with more than 25 ports — portlist.cc
 * isIgnoredState — "All %d scanned ports on %s are in ignored states."), printfinaloutput
 * ("Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn", "Nmap
 * done: %u %s (%u %s up) scanned in %.2f seconds"); scan_lists.cc's port-spec errors.
 *
 * Each port's state is decided by the walk of a probe to it, the way `nc -z` decides (connect):
 * an answer is open (syn-ack), a RST — a closed port, kube-proxy's REJECT of a Service without
 * endpoints — closed (reset under -sS, conn-refused under -sT), a drop (a NetworkPolicy, a
 * ClusterIP port nothing DNATs) filtered (no-response). Host discovery is nmap's root default:
 * ICMP echo, TCP SYN to 443, TCP ACK to 80 (a RST to it says "up"); -Pn skips it. Without -p
 * the scan is nmap-services' top 1000 TCP ports (nmap-services.ts). A CIDR target is expanded
 * up to 256 addresses; a wider range is refused here rather than walked. -sU is not simulated.
 * Service names come from that top-1000 table only: a -p port outside it prints "unknown"
 * even where nmap-services names it (6443 sun-sr-https). No "MAC Address:" line is printed.
 */
import type { CommandOutcome } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { connect } from '../../../dataplane/walk';
import { corednsAnswer, resolve } from '../../../controllers/dns';
import { TOP_TCP_PORTS } from './nmap-services';

const MAX_ADDRESSES = 256;
const SYNTAX_EXAMPLE = '-100,200-1024,T:3000-4000,U:60000-';
const SERVICE = new Map(TOP_TCP_PORTS.map((p) => [p.port, p.name]));

type State = 'open' | 'closed' | 'filtered';

const fatal = (msg: string, stdout = ''): CommandOutcome => ({ stdout, stderr: `${msg}\nQUITTING!\n`, exitCode: 1 });

/** The name a reverse lookup gives `ip` from a Pod (CoreDNS's PTR answer), as tcpdump's. */
function ptrName(ctx: CommandContext, ip: string): string | undefined {
  if (ctx.host.kind !== 'pod') return undefined;
  const rev = ip.split('.').reverse().join('.') + '.in-addr.arpa.';
  try {
    const m = corednsAnswer(ctx.cluster, rev, 'PTR', 0);
    const ptr = m.answer.find((r) => r.type === 'PTR');
    return ptr ? ptr.data.replace(/\.$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** scan_lists.cc getpts_aux, TCP only: "N", "N-M", "-M", "N-", "-" (all), comma-separated. */
function parsePorts(spec: string): number[] | string {
  const out = new Set<number>();
  for (const item of spec.split(',')) {
    const m = /^(\d*)(-?)(\d*)$/.exec(item);
    if (!m || item === '') return `Error #485: Your port specifications are illegal.  Example of proper form: "${SYNTAX_EXAMPLE}"`;
    const lo = m[1] === '' ? (m[2] ? 1 : NaN) : Number(m[1]);
    const hi = m[2] ? (m[3] === '' ? 65535 : Number(m[3])) : lo;
    if (Number.isNaN(lo)) return `Error #485: Your port specifications are illegal.  Example of proper form: "${SYNTAX_EXAMPLE}"`;
    if (lo > 65535 || hi > 65535) return 'Ports specified must be between 0 and 65535 inclusive';
    if (hi < lo) return `Your port range ${lo}-${hi} is backwards. Did you mean ${hi}-${lo}?`;
    for (let p = lo; p <= hi; p++) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}

/** output.cc num_to_string_sigdigits: `d` rounded to `digits` significant digits. */
function sigDigits(d: number, digits: number): string {
  if (d === 0) return d.toFixed(digits);
  const shift = Math.floor(Math.log10(Math.abs(d))) - digits + 1;
  const v = Math.floor(d / 10 ** shift + 0.5) * 10 ** shift;
  return v.toFixed(Math.max(0, -shift));
}

function dottedToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

function intToDotted(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** nmap's strftime "%Y-%m-%d %H:%M %Z" in the container's UTC. */
function startTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const nmapCommand: CommandSpec = {
  name: 'nmap',
  summary: 'network exploration tool and security / port scanner (TCP scans)',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const cluster = ctx.cluster;
    let portSpec: string | undefined;
    let connectScan = false;
    let skipPing = false;
    let noDns = false;
    const targets: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-p') {
        if (args[i + 1] === undefined) return fatal('nmap: option requires an argument -- \'p\'');
        portSpec = args[++i];
      } else if (a.startsWith('-p')) portSpec = a.slice(2);
      else if (a === '-sT') connectScan = true;
      else if (a === '-sS') connectScan = false;
      else if (a === '-Pn') skipPing = true;
      else if (a === '-n') noDns = true;
      else if (a.startsWith('-')) return { stdout: '', stderr: `netlab: nmap ${a} is not simulated here (TCP port scans are: nmap [-p PORTS] [-sS|-sT] [-Pn] [-n] HOST|CIDR)\n`, exitCode: 1 };
      else targets.push(a);
    }
    let ports: number[];
    if (portSpec === undefined) ports = TOP_TCP_PORTS.map((p) => p.port);
    else {
      const p = parsePorts(portSpec === '-' ? '1-65535' : portSpec);
      if (typeof p === 'string') return fatal(p);
      ports = p;
    }
    const t0 = cluster.clock.now();
    let out = `Starting Nmap 7.95 ( https://nmap.org ) at ${startTime(t0)}\n`;
    let err = '';
    // the addresses to scan, each with the name it was given by
    const scan: { ip: string; name?: string; others?: string[] }[] = [];
    for (const t of targets) {
      const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(t);
      if (cidr) {
        const bits = Number(cidr[2]);
        const size = 2 ** (32 - Math.min(bits, 32));
        if (size > MAX_ADDRESSES) return { stdout: '', stderr: `netlab: nmap here scans at most ${MAX_ADDRESSES} addresses (a /24); ${t} has ${size}\n`, exitCode: 1 };
        const base = dottedToInt(cidr[1]) - (dottedToInt(cidr[1]) % size);
        for (let k = 0; k < size; k++) scan.push({ ip: intToDotted(base + k) });
        continue;
      }
      if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
        scan.push({ ip: t });
        continue;
      }
      const res = resolve(cluster, ctx.host, t);
      if (res.addresses.length === 0) {
        err += `Failed to resolve "${t}".\n`;
        continue;
      }
      // the first address is scanned; the others are named in the report (Target unscanned_addrs)
      scan.push({ ip: res.addresses[0], name: t, others: res.addresses.slice(1) });
    }
    if (scan.length === 0) err += 'WARNING: No targets were specified, so 0 hosts scanned.\n';
    const probe = (ip: string, port: number, proto: 'tcp' | 'icmp') => connect(cluster, ctx.host, ip, port, proto, { command: ['nmap', ...args].join(' ') });
    let up = 0;
    let elapsed = 0.02 + cluster.rng.next() * 0.02;
    for (const target of scan) {
      // host discovery: ICMP echo, SYN to 443, ACK to 80 — any answer, a RST included
      let srtt: number | undefined;
      if (!skipPing) {
        for (const [port, proto] of [[0, 'icmp'], [443, 'tcp'], [80, 'tcp']] as const) {
          const r = probe(target.ip, port, proto);
          if (r.outcome === 'delivered' || (proto === 'tcp' && r.outcome === 'refused')) {
            srtt = 2 * (r.latencyMs ?? 0.05) + cluster.rng.next() * 0.04;
            break;
          }
        }
        if (srtt === undefined) {
          elapsed += scan.length === 1 ? 2 + cluster.rng.next() : 0.01;
          continue;
        }
      }
      up++;
      const states = new Map<number, State>();
      const why = new Map<number, string>();
      for (const port of ports) {
        const r = probe(target.ip, port, 'tcp');
        // a RST is closed; an ICMP error (REJECT's port-unreachable) is closed for connect(),
        // whose errno is ECONNREFUSED, but filtered for a SYN scan (scan_engine: ICMP type 3)
        const icmp = r.rejectedWith !== undefined && r.rejectedWith !== 'tcp-reset';
        const s: State = r.outcome === 'delivered' ? 'open' : r.outcome === 'refused' && (connectScan || !icmp) ? 'closed' : 'filtered';
        states.set(port, s);
        if (s === 'filtered' && r.outcome !== 'timeout') why.set(port, r.outcome === 'refused' ? 'port-unreach' : 'host-unreach');
        if (s !== 'filtered' && srtt === undefined) srtt = 2 * (r.latencyMs ?? 0.05) + cluster.rng.next() * 0.04;
      }
      const hostName = noDns ? undefined : ptrName(ctx, target.ip);
      const nameIp = target.name ? `${target.name} (${target.ip})` : hostName ? `${hostName} (${target.ip})` : target.ip;
      out += `Nmap scan report for ${nameIp}\n`;
      out += srtt === undefined ? 'Host is up.\n' : `Host is up (${sigDigits(srtt / 1000, 2)}s latency).\n`;
      if (target.name && target.others?.length) out += `Other addresses for ${target.name} (not scanned): ${target.others.join(' ')}\n`;
      if (target.name && hostName && target.name !== hostName) out += `rDNS record for ${target.ip}: ${hostName}\n`;
      const counts = { open: 0, closed: 0, filtered: 0 };
      for (const s of states.values()) counts[s]++;
      // a state with more than 25 ports is summarized; the summary lists larger counts first
      const ignored = (['closed', 'filtered'] as const).filter((s) => counts[s] > 25).sort((a, b) => counts[b] - counts[a]);
      const reason = (s: State) => (s === 'filtered' ? 'no-response' : connectScan ? 'conn-refused' : 'reset');
      const hidden = ignored.reduce((n, s) => n + counts[s], 0);
      if (ignored.length) {
        if (hidden === ports.length) out += `All ${ports.length} scanned ports on ${nameIp} are in ignored states.\n`;
        // get_state_reason_summary: one entry per reason within a state, the commonest first
        const parts: string[] = [];
        for (const st of ignored) {
          const byReason = new Map<string, number>();
          for (const [p, s] of states) if (s === st) byReason.set(why.get(p) ?? reason(s), (byReason.get(why.get(p) ?? reason(s)) ?? 0) + 1);
          for (const [rsn, n] of [...byReason].sort((a, b) => b[1] - a[1])) parts.push(`${n} ${st} tcp port${counts[st] === 1 ? '' : 's'} (${rsn})`);
        }
        out += `Not shown: ${parts.join(', ')}`;
      }
      // printportoutput ends the "Not shown" line, or writes an empty one
      out += '\n';
      const shown = [...states].filter(([, s]) => !ignored.includes(s as 'closed' | 'filtered')).sort((a, b) => a[0] - b[0]);
      if (shown.length) {
        const rows = [['PORT', 'STATE', 'SERVICE'], ...shown.map(([p, s]) => [`${p}/tcp`, s, SERVICE.get(p) ?? 'unknown'])];
        const w = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
        out += rows.map((r) => `${r[0].padEnd(w[0])} ${r[1].padEnd(w[1])} ${r[2]}`).join('\n') + '\n';
      }
      // nmap.cc: an empty line after each host's report
      out += '\n';
      // a filtered port waits out its retransmissions; the rest answer in a round trip
      elapsed += 0.01 + (counts.filtered ? 1 + counts.filtered * 0.02 : 0) + ports.length * 0.00002;
    }
    if (scan.length === 1 && up === 0) out += 'Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn\n';
    out += `Nmap done: ${scan.length} IP address${scan.length === 1 ? '' : 'es'} (${up} host${up === 1 ? '' : 's'} up) scanned in ${elapsed.toFixed(2)} seconds\n`;
    cluster.advance(Math.round(elapsed * 1000));
    return { stdout: out, stderr: err, exitCode: 0 };
  },
};

/**
 * tcpdump 4.99 (libpcap 1.10) on a node or in a Pod that ships it (nicolaka/netshoot):
 * `tcpdump [-i IFACE|any] [-n] [-e] [-S] [-c N] [-v] [-D] [-A|-X|-x] [-w FILE] [-r FILE] [expression]` prints the
 * packets the walk put on that interface (wire.ts), filtered by a pcap-filter subset
 * (filter.ts), in tcpdump's format (print.ts).
 *
 * tcpdump.c: the banner on stderr (`tcpdump: verbose output suppressed, use -v[v]... for
 * full protocol decode` and `listening on eth0, link-type EN10MB (Ethernet), snapshot
 * length 262144 bytes`), the statistics of info(1) at the end (`N packets captured`,
 * `N packets received by filter`, `0 packets dropped by kernel`, each on its own line),
 * after a newline on stdout when Ctrl+C ends it (cleanup's putchar('\n')); `-c N` ends
 * it after N packets; error("invalid packet count %s"); `-D` lists the devices as
 * `1.eth0 [Up, Running, Connected]`. libpcap: `IFACE: No such device exists` and
 * `(SIOCGIFHWADDR: No such device)` for an unknown interface; `any` is LINUX_SLL2
 * (Linux cooked v2), tunl0 RAW (Raw IP), every other device EN10MB (Ethernet).
 *
 * It streams one step a second; each step prints what the walks of the command lines in
 * between put on the interface. -v prints the IP header's fields (print-ip.c) and verifies
 * the checksums from the packet's bytes (bytes.ts): TCP's `cksum 0x… (correct)`, UDP's
 * `[udp sum ok] ` (over IPv4 with -vv only), ICMPv6's `[icmp6 sum ok] `; -vv also every
 * TCP seq and a DNS response's question. -K (--dont-verify-checksums) leaves out the IPv4,
 * TCP and UDP checks, as print-ip.c/print-tcp.c/print-udp.c do (print-icmp.c and
 * print-icmp6.c check regardless).
 *
 * -X/-x/-A (doubled: from the link header) dump each packet's bytes, built from the same
 * model the line is printed from (bytes.ts, ascii.ts). -w FILE writes a savefile into the
 * host's filesystem (savefile.ts: its size that of the real pcap, stdio's buffering, at most
 * SAVEFILE_MAX packets); -r FILE prints one back, filtered, as the capture would have, with
 * libpcap's errors for a missing, empty, foreign or cut-short file. `-w -`/`-r -` (a
 * savefile through a pipe) are not simulated and say so.
 */
import type { CommandOutcome, Streaming } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import type { NetLink, NetNamespace } from '../../../dataplane/netns';
import { hostNamespace } from '../../../controllers/cni';
import { corednsAnswer } from '../../../controllers/dns';
import { hostProfile } from '../../../hosts/hosts';
import { findPod } from '../../../dataplane/topology';
import { captureHub } from './capture';
import { FilterError, matches, parseFilter, type FilterExpr } from './filter';
import { formatEvent, type PrintOptions, type SeqState } from './print';
import type { WireEvent } from './wire';
import { frameBytes, type LinkName } from './bytes';
import { packetDump, type DumpFlags } from './ascii';
import { LINK_TEXT, MIN_WHOLE_SNAPLEN, readSavefile, SAVEFILE_MAX, SavefileWriter, SNAPLEN } from './savefile';
import { byteLength, dirname, homeOf, resolvePath } from '../../../hosts/vfs';

const VERSION = 'tcpdump version 4.99.5\nlibpcap version 1.10.5 (with TPACKET_V3)\nOpenSSL 3.3.2 3 Sep 2024\n';

const USAGE =
  'Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]\n' +
  '\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n' +
  '\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]\n' +
  '\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]\n' +
  '\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]\n' +
  '\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]\n' +
  '\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]\n' +
  '\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]\n';

/** Options that take an argument (tcpdump.c SHORTOPTS). */
const WITH_ARG = new Set(['B', 'c', 'C', 'E', 'F', 'G', 'i', 'j', 'm', 'M', 'r', 's', 'T', 'V', 'w', 'W', 'y', 'z', 'Z', 'Q']);
/** Flags without an argument that change only what this simulation does not model: accepted, no effect. */
const HARMLESS = new Set(['l', 'p', 'N', 'O', 'u', 'I', 'b', '#', 'H', 'f', 'L', 'J']);
const NOT_SIMULATED: Record<string, string> = { q: '-q', t: '-t', d: '-d', V: '-V', C: '-C', G: '-G', W: '-W', z: '-z', F: '-F', y: '-y', E: '-E', T: '-T', M: '-M', j: '-j', m: '-m' };

/** Why a form is not simulated, where the reason is the simulation's own. */
const WHY_NOT: Record<string, string> = {
  '-w -': ': the terminal shows text, and a savefile on standard output is binary (write it to a file and read it with -r)',
  '-r -': ': a savefile on standard input is binary, and the simulated shell pipes text (read the file with -r FILE)',
  '-s': `: a snapshot shorter than ${MIN_WHOLE_SNAPLEN} bytes would cut packets short, and the printers' truncation marks ([|tcp]) are not modelled`,
};

interface Opts {
  iface?: string;
  count?: number;
  numeric: boolean;
  link: boolean;
  absolute: boolean;
  list: boolean;
  version: boolean;
  expr: string[];
  /** -v count. */
  verbose: number;
  /** -K: no checksum verification. */
  noChecksums: boolean;
  /** -X, -x, -A counts (the packet dumps). */
  dump: DumpFlags;
  /** -w FILE, -r FILE. */
  write?: string;
  read?: string;
  /** -U: flush the savefile after every packet. */
  packetBuffered: boolean;
  /** -s: the snapshot length (0: 262144). */
  snaplen: number;
}

type Parsed = { ok: Opts } | { err: string; code: number };

function parseArgs(args: string[], musl: boolean): Parsed {
  const o: Opts = { numeric: false, link: false, absolute: false, list: false, version: false, expr: [], verbose: 0, noChecksums: false, dump: { X: 0, x: 0, A: 0 }, packetBuffered: false, snaplen: SNAPLEN };
  const bad = (c: string): Parsed => ({ err: (musl ? `tcpdump: unrecognized option: ${c}\n` : `tcpdump: invalid option -- '${c}'\n`) + VERSION + USAGE, code: 1 });
  const missing = (c: string): Parsed => ({ err: (musl ? `tcpdump: option requires an argument: ${c}\n` : `tcpdump: option requires an argument -- '${c}'\n`) + VERSION + USAGE, code: 1 });
  let notSim: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      o.expr.push(...args.slice(i + 1));
      break;
    }
    if (a === '--version') {
      o.version = true;
      continue;
    }
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0];
      if (name === 'count') continue;
      if (name === 'dont-verify-checksums') {
        o.noChecksums = true;
        continue;
      }
      if (['immediate-mode', 'number', 'print', 'micro', 'nano', 'list-interfaces'].includes(name)) {
        if (name === 'list-interfaces') o.list = true;
        continue;
      }
      if (name === 'interface') {
        const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
        if (v === undefined) return missing('interface');
        o.iface = v;
        continue;
      }
      return { err: (musl ? `tcpdump: unrecognized option: ${name}\n` : `tcpdump: unrecognized option '${a}'\n`) + VERSION + USAGE, code: 1 };
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        if (WITH_ARG.has(c)) {
          let v = a.slice(k + 1);
          if (v === '') {
            if (i + 1 >= args.length) return missing(c);
            v = args[++i];
          }
          if (c === 'i') o.iface = v;
          else if (c === 'c') {
            const n = parseInt(v, 10);
            if (!(n > 0)) return { err: `tcpdump: invalid packet count ${v}\n`, code: 1 };
            o.count = n;
          } else if (c === 'w') {
            o.write = v;
            if (v === '-') notSim ??= '-w -';
          } else if (c === 'r') {
            o.read = v;
            if (v === '-') notSim ??= '-r -';
          } else if (c === 's') {
            // tcpdump.c: strtol(optarg, &end, 0); 0 is MAXIMUM_SNAPLEN
            const n = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : /^0[0-7]*$/.test(v) ? parseInt(v, 8) : /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
            if (!(n >= 0 && n <= SNAPLEN)) return { err: `tcpdump: invalid snaplen ${v} (must be >= 0 and <= ${SNAPLEN})\n`, code: 1 };
            o.snaplen = n || SNAPLEN;
            // a snapshot shorter than the longest frame would cut packets, and the printers' [|tcp] marks are not modelled
            if (o.snaplen < MIN_WHOLE_SNAPLEN) notSim ??= '-s';
          } else if (c === 'B' || c === 'Q') {
            // buffer size, direction: accepted
          } else notSim ??= NOT_SIMULATED[c] ?? `-${c}`;
          break;
        }
        if (c === 'n') o.numeric = true;
        else if (c === 'v') o.verbose++;
        else if (c === 'K') o.noChecksums = true;
        else if (c === 'e') o.link = true;
        else if (c === 'S') o.absolute = true;
        else if (c === 'X') o.dump.X++;
        else if (c === 'x') o.dump.x++;
        else if (c === 'A') o.dump.A++;
        else if (c === 'U') o.packetBuffered = true;
        else if (c === 'D') o.list = true;
        else if (c === 'h') return { err: VERSION + USAGE, code: 0 };
        else if (HARMLESS.has(c)) continue;
        else if (NOT_SIMULATED[c]) notSim ??= NOT_SIMULATED[c];
        else return bad(c);
      }
      continue;
    }
    o.expr.push(a);
  }
  if (notSim && !o.version && !o.list) return { err: `tcpdump: ${notSim} is not simulated here${WHY_NOT[notSim] ?? ''}\n`, code: 1 };
  return { ok: o };
}

/** The capture's network namespace id and its interfaces. */
function captureNamespace(ctx: CommandContext): { id: string; ns: NetNamespace } | undefined {
  const host = ctx.host;
  const ns = hostNamespace(ctx.cluster, host);
  if (!ns) return undefined;
  if (host.kind === 'node') return { id: `node/${host.node}`, ns };
  if (host.kind === 'pod') {
    const p = findPod(ctx.cluster, host.namespace, host.pod);
    if (!p) return undefined;
    return { id: p.hostNetwork ? `node/${p.node}` : `pod/${p.namespace}/${p.name}`, ns };
  }
  return undefined;
}

function linkType(l: NetLink | undefined): LinkName {
  if (!l) return 'LINUX_SLL2';
  if (l.linkType === 'ipip') return 'RAW';
  return 'EN10MB';
}

/**
 * `tcpdump -D` (show_devices_and_exit): `N.NAME [FLAGS]`, the flags Up, Running, Loopback
 * joined by ", " (or `none`), then an Ethernet device's link state (Connected/Disconnected;
 * other link types have none to show). Up devices first, then `any`, lo, the rest.
 */
function listDevices(ns: NetNamespace): string {
  const isUp = (l: NetLink) => l.flags.includes('UP');
  const rows: string[] = [];
  const flags = (l: NetLink) => {
    const running = isUp(l) && (l.flags.includes('LOWER_UP') || l.state === 'UNKNOWN');
    const f = [...(isUp(l) ? ['Up'] : []), ...(running ? ['Running'] : [])];
    const link = l.linkType === 'ether' ? (running ? ', Connected' : ', Disconnected') : '';
    return `[${f.join(', ') || 'none'}${link}]`;
  };
  for (const l of ns.links.filter((x) => x.name !== 'lo' && isUp(x))) rows.push(`${l.name} ${flags(l)}`);
  rows.push('any (Pseudo-device that captures on all interfaces) [Up, Running]');
  if (ns.links.some((l) => l.name === 'lo')) rows.push('lo [Up, Running, Loopback]');
  for (const l of ns.links.filter((x) => x.name !== 'lo' && !isUp(x))) rows.push(`${l.name} ${flags(l)}`);
  return rows.map((r, i) => `${i + 1}.${r}\n`).join('');
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export const tcpdumpCommand: CommandSpec = {
  name: 'tcpdump',
  summary: 'dump traffic on a network',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const musl = hostProfile(ctx.cluster, ctx.host)?.family === 'netshoot';
    const parsed = parseArgs(args, musl);
    if ('err' in parsed) return { stdout: '', stderr: parsed.err, exitCode: parsed.code };
    const o = parsed.ok;
    if (o.version) return { stdout: VERSION, stderr: '', exitCode: 0 };
    const where = captureNamespace(ctx);
    if (!where) return { stdout: '', stderr: 'tcpdump: socket: Operation not permitted\n', exitCode: 1 };
    if (o.list) return { stdout: listDevices(where.ns), stderr: '', exitCode: 0 };
    if (o.read !== undefined) return readFile(ctx, o, where.ns);
    // no -i: the first device pcap_findalldevs lists that is up and not loopback
    const iface = o.iface ?? where.ns.links.find((l) => l.name !== 'lo' && l.flags.includes('UP'))?.name ?? 'any';
    const link = iface === 'any' ? undefined : where.ns.links.find((l) => l.name === iface);
    if (iface !== 'any' && !link) return { stdout: '', stderr: `tcpdump: ${iface}: No such device exists\n(SIOCGIFHWADDR: No such device)\n`, exitCode: 1 };
    if (link && !link.flags.includes('UP')) return { stdout: '', stderr: `tcpdump: ${iface}: That device is not up\n`, exitCode: 1 };

    const cluster = ctx.cluster;
    const lt = linkType(link);
    const f = compileFilter(ctx, o, lt);
    if ('err' in f) return { stdout: '', stderr: f.err, exitCode: 1 };
    const filter = f.filter;
    // -w: pcap_dump_open creates (truncates) the file before the capture starts
    let dump: Dumper | undefined;
    if (o.write !== undefined) {
      const d = openDump(ctx, o.write, lt, o.snaplen, musl ? 'musl' : 'glibc', o.packetBuffered);
      if (typeof d === 'string') return { stdout: '', stderr: d, exitCode: 1 };
      dump = d;
    }

    const popts = printOptions(ctx, o, iface === 'any');
    const hub = captureHub(cluster);
    const session = hub.open({ netns: where.id, iface, filter });
    const seqs: SeqState = new Map();
    let captured = 0;
    let closed = false;
    const stats = (): string => {
      if (!closed) {
        closed = true;
        hub.close(session);
        dump?.close();
      }
      return `${dump?.note() ?? ''}${plural(captured, 'packet')} captured\n${plural(session.received, 'packet')} received by filter\n${plural(session.dropped, 'packet')} dropped by kernel\n`;
    };
    const drain = (): { stdout: string; done: boolean } => {
      hub.flush();
      let out = '';
      let done = false;
      while (session.queue.length) {
        const e = session.queue.shift()!;
        if (dump) dump.add(e);
        else out += formatEvent(e, popts, seqs) + dumpOf(e, o.dump, lt) + '\n';
        captured++;
        if (o.count !== undefined && captured >= o.count) {
          done = true;
          break;
        }
      }
      dump?.sync();
      return { stdout: out, done };
    };
    // tcpdump.c: the "verbose output suppressed" hint only without -v or -w; otherwise the listening line is prefixed
    const listening = `listening on ${iface}, link-type ${LINK_TEXT[lt]}, snapshot length ${o.snaplen} bytes\n`;
    const banner =
      o.verbose || dump
        ? `tcpdump: ${listening}`
        : `tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n${listening}`;
    // -v with -w: once a second, print_packets_captured's "Got N\r" when the count changed (and the first time)
    let reported = -1;
    const got = (): string => {
      if (!dump || !o.verbose || reported === captured) return '';
      reported = captured;
      return `Got ${captured}\r`;
    };
    const stream: Streaming = {
      streaming: true,
      stdout: '',
      stderr: banner,
      intervalMs: 1000,
      step() {
        const d = drain();
        if (d.done) return { stdout: d.stdout, stderr: stats(), done: true, exitCode: 0 };
        const g = got();
        return g ? { stdout: d.stdout, stderr: g } : { stdout: d.stdout };
      },
      interrupt() {
        const d = drain();
        if (d.done) return { stdout: d.stdout, stderr: stats(), exitCode: 0 };
        // cleanup(): a newline on stdout when printing (not when writing a savefile), then the statistics
        return { stdout: d.stdout + (dump ? '' : '\n'), stderr: stats(), exitCode: 0 };
      },
      // tcpdump.c sets cleanup() for SIGHUP too (unless started under nohup): a hung-up capture prints its counts
      hangup: () => stream.interrupt(),
    };
    return stream;
  },
};

function printOptions(ctx: CommandContext, o: Opts, any: boolean): PrintOptions {
  return {
    numeric: o.numeric,
    link: o.link,
    absolute: o.absolute,
    any,
    // without -n: a reverse lookup through the host's resolver — CoreDNS in a Pod; a node's resolver does not know the cluster's names
    hostName: ctx.host.kind === 'pod' ? (ip) => ptrName(ctx, ip) : undefined,
    verbose: o.verbose,
    checksums: !o.noChecksums,
  };
}

function compileFilter(ctx: CommandContext, o: Opts, link: LinkName): { filter: FilterExpr | undefined } | { err: string } {
  try {
    return {
      filter: parseFilter(o.expr.join(' '), {
        link,
        resolve: (name) => ctx.cluster.resolver.resolve(ctx.host, name).addresses[0],
      }),
    };
  } catch (e) {
    if (e instanceof FilterError) return { err: `tcpdump: ${e.message}\n` };
    throw e;
  }
}

/** -X/-x/-A: the packet's bytes after its line (print-ascii.c), or nothing when the model lacks a payload's bytes. */
function dumpOf(e: WireEvent, flags: DumpFlags, link: LinkName): string {
  if (!flags.X && !flags.x && !flags.A) return '';
  const frame = frameBytes(e, link);
  return frame ? packetDump(flags, frame) : '';
}

/** An open savefile (pcap_dump_open): the records written, what stdio has flushed to disk. */
interface Dumper {
  add(e: WireEvent): void;
  /** Writes the file as it stands (the records, the size on disk). */
  sync(): void;
  /** pcap_dump_close: everything flushed. */
  close(): void;
  /** A netlab line when packets beyond SAVEFILE_MAX were not kept. */
  note(): string;
}

function savefilePath(ctx: CommandContext, name: string): string {
  return resolvePath(ctx.cwd, name, ctx.env.HOME ?? homeOf(ctx.host));
}

/** fopen(name, "w") as pcap_dump_open does it, with its errno text (`tcpdump: NAME: No such file or directory`). */
function openDump(ctx: CommandContext, name: string, link: LinkName, snaplen: number, libc: 'glibc' | 'musl', packetBuffered: boolean): Dumper | string {
  const fs = ctx.cluster.fs;
  const path = savefilePath(ctx, name);
  if (fs.isDir(ctx.host, path)) return `tcpdump: ${name}: Is a directory\n`;
  const parent = dirname(path);
  if (!fs.isDir(ctx.host, parent)) return `tcpdump: ${name}: ${fs.isFile(ctx.host, parent) ? 'Not a directory' : 'No such file or directory'}\n`;
  const w = new SavefileWriter(link, snaplen, libc, packetBuffered);
  let dirty = true;
  const write = () => fs.writeBinary(ctx.host, path, w.content(), { size: w.size, format: 'pcap' });
  write();
  return {
    add(e) {
      if (w.add(e)) dirty = true;
    },
    sync() {
      if (dirty) write();
      dirty = false;
    },
    close() {
      w.close();
      write();
    },
    note() {
      const n = w.dropped;
      return n ? `netlab: a simulated savefile keeps ${SAVEFILE_MAX} packets; the ${plural(n, 'packet')} after them ${n === 1 ? 'was' : 'were'} not written\n` : '';
    },
  };
}

/**
 * `tcpdump -r FILE`: pcap_open_offline's checks (the file, its magic number, its header),
 * "reading from file …" on stderr (and, for Linux cooked v2, that interface names come from
 * this host's interface indexes), then every record the filter passes, printed as a live
 * capture prints it; a record cut short ends it with pcap_loop's error. With -w the records
 * go to the other file instead.
 */
function readFile(ctx: CommandContext, o: Opts, ns: NetNamespace): CommandOutcome {
  const fs = ctx.cluster.fs;
  const name = o.read!;
  const path = savefilePath(ctx, name);
  const fail = (why: string) => ({ stdout: '', stderr: `tcpdump: ${why}\n`, exitCode: 1 });
  if (fs.isDir(ctx.host, path)) return fail('error reading dump file: Is a directory');
  if (!fs.isFile(ctx.host, path)) return fail(`${name}: No such file or directory`);
  const wb = fs.writtenBinary(ctx.host, path);
  const bin = fs.binaryAt(ctx.host, path);
  // a text file, or a program (an ELF's magic): no pcap or pcapng magic number
  const r = wb && wb.meta.format === 'pcap' ? readSavefile(wb.content, wb.meta.size) : readSavefile('', bin ? bin.size : byteLength(fs.read(ctx.host, path) ?? ''));
  if (!r.ok) return fail(r.error);
  const f = compileFilter(ctx, o, r.link);
  if ('err' in f) return { stdout: '', stderr: f.err, exitCode: 1 };
  let stderr = `reading from file ${name}, link-type ${LINK_TEXT[r.link]}, snapshot length ${r.snaplen}\n`;
  if (r.link === 'LINUX_SLL2') stderr += 'Warning: interface names might be incorrect\n';
  let dump: Dumper | undefined;
  if (o.write !== undefined) {
    const d = openDump(ctx, o.write, r.link, r.snaplen, 'glibc', o.packetBuffered);
    if (typeof d === 'string') return { stdout: '', stderr: stderr + d, exitCode: 1 };
    dump = d;
  }
  const popts = printOptions(ctx, o, r.link === 'LINUX_SLL2');
  const seqs: SeqState = new Map();
  let out = '';
  let n = 0;
  for (const rec of r.records) {
    if (f.filter && !matches(f.filter, rec)) continue;
    if (dump) dump.add(rec);
    else {
      // sll2_if_print names the interface by its index, through if_indextoname on this host
      const e = r.link === 'LINUX_SLL2' ? { ...rec, iface: ns.links.find((l) => l.ifindex === rec.ifindex)?.name ?? '?' } : rec;
      out += formatEvent(e, popts, seqs) + dumpOf(rec, o.dump, r.link) + '\n';
    }
    if (o.count !== undefined && ++n >= o.count) break;
  }
  dump?.close();
  // the "reading from file" lines come before the packets; pcap_loop's error after them
  if (r.error && !(o.count !== undefined && n >= o.count)) return { stdout: out, stderr: stderr + `tcpdump: pcap_loop: ${r.error}\n`, exitCode: 1, stderrLead: stderr.length };
  return { stdout: out, stderr, exitCode: 0, stderrLead: stderr.length };
}

/** The name a reverse lookup gives `ip` from a Pod (CoreDNS's PTR answer), or undefined. */
function ptrName(ctx: CommandContext, ip: string): string | undefined {
  const rev = ip.split('.').reverse().join('.') + '.in-addr.arpa.';
  try {
    const m = corednsAnswer(ctx.cluster, rev, 'PTR', 0);
    const ptr = m.answer.find((r) => r.type === 'PTR');
    return ptr ? ptr.data.replace(/\.$/, '') : undefined;
  } catch {
    return undefined;
  }
}

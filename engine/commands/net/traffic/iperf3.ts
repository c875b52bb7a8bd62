/**
 * iperf3 — iperf 3.17.1, the version nicolaka/netshoot v0.13 carries (its Dockerfile adds
 * Alpine's edge repositories and runs `apk upgrade` before `apk add iperf3`; edge had 3.17.1
 * when the image was built). Read in github:esnet/iperf at tag 3.17.1:
 *
 * - Arguments: iperf_api.c iperf_parse_arguments (optstring and long options, the range checks
 *   and their i_errno), printed by main.c as `iperf3: parameter error - %s`, an empty line and
 *   usage_shortstr (iperf_locale.c), exit 1. Unknown options and missing arguments are musl's
 *   getopt_long messages (`iperf3: unrecognized option: foo`, `iperf3: option requires an
 *   argument: c`) — netshoot is Alpine — then the same empty line and usage.
 * - The client: the control connection is walked like any TCP connect (Services, DNAT,
 *   NetworkPolicy, the app that listens: hosts/images.ts gives `iperf3 -s` Pods their
 *   listener); a failure is main.c's `iperf3: error - %s` with iperf_error.c's IECONNECT text and
 *   strerror (or musl's gai_strerror for a name that does not resolve). Then one walk per
 *   stream, on_connect's `Connecting to host`, connect_msg's `[%3d] local … connected to …`, the
 *   interval table (print_interval_results), the summary (iperf_print_results), `iperf Done.`.
 *   -J builds the same objects iperf_json_start/… add, in their order, printed as cJSON does.
 * - The numbers come from the path, not a table: the sending socket's MSS is the path MTU (the
 *   Pod's eth0, the walk's narrowest link) minus 40 bytes of IP and TCP headers and 12 of the
 *   timestamp option Linux adds (what TCP_MAXSEG reports); across nodes the wire is the node's
 *   eth0 at the speed ethtool reports for it (a veth: 10000 Mb/s), each segment paying its
 *   headers, the CNI's encapsulation (Calico IPIP 20 bytes, VXLAN 50) and Ethernet's 38 bytes
 *   of framing (header, FCS, preamble, gap); on one node the two veths cost a memory copy,
 *   modelled as 40 Gbit/s. Each interval draws up to 2% below that from the cluster's seeded
 *   stream; the virtual clock moves by the test's length.
 * - The server: a Pod whose command is `iperf3 -s` listens on its port (5201, -p); each test a
 *   client runs against it writes the server's side of the report to the container's log, as
 *   iperf3 flushes its stdout at the end of each test (iperf_server_api.c iflush) — so `kubectl
 *   logs` is empty until the first test. `iperf3 -s` typed in a container's shell listens for
 *   as long as it runs (serve.ts, dataplane/started.ts): in the foreground until Ctrl+C, as a
 *   job (`&`) until `kill` or the exec session's SIGHUP, as a `-D` daemon until killed by PID;
 *   each test's server side goes to its terminal (line-buffered: the next test's banner follows
 *   at once), its --logfile, or nowhere; `-1` exits after one test.
 * - `-t 0` runs until Ctrl+C, an interval per step; iperf_got_sigend prints the results so far
 *   (the other side's never came: 0 bytes) and exits 1 with IECLIENTTERM.
 * - `--bidir` (iperf_api.c mode BIDIRECTIONAL): -P streams each way, the `[ ID][Role]` columns
 *   and `[TX-C]`/`[RX-C]` (`[RX-S]`/`[TX-S]` on the server) blocks of iperf_print_intermediate
 *   and iperf_print_results; each direction's rate from the path as PathModel.bidirTcpBps says.
 * - Not simulated: `--bidir` with -J, -n/-k or -t 0, `-t 0` with -J or -O, and the options that need more
 *   than the path model (-B, --cport, -Z, -F, -A, -C, -S, --dscp, authentication, …).
 */
import type { CommandOutcome, HostRef, RunResult, Streaming } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { connect, ipv6NotSimulated } from '../../../dataplane/walk';
import { findPod, type PodInfo } from '../../../dataplane/topology';
import { crossNodePath, hostNamespace } from '../../../controllers/cni';
import { hostName } from '../../../hosts/hosts';
import { NODE_KERNEL_RELEASE, NODE_KERNEL_VERSION } from '../../../cluster/release';
import { listenerOn } from '../../../dataplane/apps';
import { iperf3ServerPort as iperf3Port } from '../../../hosts/images';
import { cjsonPrint, fixed, fmtG, interval, unitSnprintf, type JObject } from './iperf3-format';
import { startServer } from './serve';
import { IPERF3_USAGE_LONG } from './iperf3-usage';
import { startedProcesses } from '../../../dataplane/started';

const VERSION = 'iperf 3.17.1';
const USAGE = "Usage: iperf3 [-s|-c host] [options]\nTry `iperf3 --help' for more information.\n";
const SEPARATOR = '- - - - - - - - - - - - - - - - - - - - - - - - -\n';
const DASHES = '-----------------------------------------------------------\n';

/** iperf.h limits. */
const MAX_TIME = 86400;
const MAX_STREAMS = 128;
const MAX_MSS = 9 * 1024;
const MAX_BLOCKSIZE = 1024 * 1024;
const MAX_TCP_BUFFER = 512 * 1024 * 1024;
/** net.core.wmem_max and rmem_max: the kernel's default SK_WMEM_MAX / SK_RMEM_MAX (the nodes' sysctls). */
const SOCK_BUF_MAX = 212992;
/** get_optional_features() of a Linux build with OpenSSL and pthreads, without SCTP (iperf_util.c). */
const OPTIONAL_FEATURES = "Optional features available: CPU affinity setting, IPv6 flow label, TCP congestion algorithm setting, sendfile / zerocopy, socket pacing, authentication, bind to device, support IPv4 don't fragment, POSIX threads";
const MIN_UDP_BLOCKSIZE = 4 + 4 + 8;
const MAX_UDP_BLOCKSIZE = 65535 - 8 - 20;
const DEFAULT_TCP_BLKSIZE = 128 * 1024;
const UDP_RATE = 1024 * 1024;
const PORT = 5201;

/** The wire a cross-node stream rides: the node's eth0, a veth, at the speed ethtool reports (drivers/net/veth.c). */
const NODE_LINK_BPS = 10_000_000_000;
/** Two veths on one node: no wire, GSO-sized copies through the kernel — a modelling choice, not a measurement. */
const VETH_COPY_BPS = 40_000_000_000;
/** Ethernet's per-frame cost on the wire: 14 header + 4 FCS + 8 preamble + 12 inter-frame gap. */
const ETHERNET_FRAMING = 38;

interface Opts {
  role?: 's' | 'c';
  host?: string;
  port: number;
  format: string;
  interval: number;
  duration: number;
  udp: boolean;
  rate?: number;
  blksize: number;
  streams: number;
  reverse: boolean;
  /** --bidir: -P streams each way at once (iperf_api.c mode BIDIRECTIONAL). */
  bidir: boolean;
  mss?: number;
  json: boolean;
  verbose: boolean;
  family?: 4 | 6;
  connectTimeout?: number;
  daemon: boolean;
  oneOff: boolean;
  /** --logfile: where a server's (or client's) output goes instead of stdout. */
  logfile?: string;
  /** -n / -k: the test ends after this many bytes or blocks instead of after -t. */
  bytes: number;
  blocks: number;
  durationFlag: boolean;
  /** -w: SO_SNDBUF/SO_RCVBUF asked for (0: the kernel's autotuning). */
  window: number;
  /** -O: seconds of pre-test whose intervals are printed `(omitted)` and left out of the summary. */
  omit: number;
  /** -T: prefix of every line iperf_printf writes. */
  title?: string;
}

/** `long name → [short key, takes an argument]` for the options this simulation reads; the rest are in UNMODELLED_LONG. */
const LONG: Record<string, [string, boolean]> = {
  port: ['p', true], format: ['f', true], interval: ['i', true], daemon: ['D', false], 'one-off': ['1', false], verbose: ['V', false], json: ['J', false],
  version: ['v', false], server: ['s', false], client: ['c', true], udp: ['u', false], bitrate: ['b', true], bandwidth: ['b', true], time: ['t', true],
  length: ['l', true], parallel: ['P', true], reverse: ['R', false], 'set-mss': ['M', true], version4: ['4', false], version6: ['6', false],
  'connect-timeout': ['connect-timeout', true], forceflush: ['forceflush', false], help: ['h', false], 'no-delay': ['N', false],
  logfile: ['logfile', true], bidir: ['bidir', false], bytes: ['n', true], blockcount: ['k', true], window: ['w', true], omit: ['O', true], title: ['T', true],
};
/**
 * Options iperf3 accepts that change what this simulation would have to model (and does not).
 * With LONG, the longopts table of a Linux build with OpenSSL (HAVE_SO_BINDTODEVICE,
 * HAVE_FLOWLABEL, HAVE_CPU_AFFINITY, HAVE_TCP_CONGESTION, HAVE_DONT_FRAGMENT, HAVE_SSL) and
 * without SCTP headers (no --sctp, --nstreams, --xbind).
 */
const UNMODELLED_LONG: Record<string, boolean> = {
  'json-stream': false, 'server-bitrate-limit': true, bind: true, 'bind-dev': true, cport: true,
  tos: true, dscp: true, 'extra-data': true, flowlabel: true, zerocopy: false, file: true, 'repeating-payload': false, timestamps: false,
  affinity: true, congestion: true, 'linux-congestion': true, pidfile: true,
  'get-server-output': false, 'udp-counters-64bit': false, 'no-fq-socket-pacing': false, 'dont-fragment': false, username: true, 'rsa-public-key-path': true,
  'rsa-private-key-path': true, 'authorized-users-path': true, 'time-skew-threshold': true, 'use-pkcs1-padding': false, 'fq-rate': true,
  'pacing-timer': true, 'idle-timeout': true, 'rcv-timeout': true, 'snd-timeout': true, debug: false,
};
/** iperf_parse_arguments' optstring: a letter followed by `:` takes an argument. */
const OPTSTRING = 'p:f:i:D1VJvsc:ub:t:n:k:l:P:Rw:B:M:N46S:L:ZO:F:A:T:C:dI:hX:';

type Parsed = { opts: Opts } | { result: RunResult };

function paramError(msg: string): RunResult {
  return { stdout: '', stderr: `iperf3: parameter error - ${msg}\n\n${USAGE}`, exitCode: 1 };
}

function getoptError(msg: string): RunResult {
  // musl's __getopt_msg, then iperf_parse_arguments' default case: "\n" and usage()
  return { stdout: '', stderr: `iperf3: ${msg}\n\n${USAGE}`, exitCode: 1 };
}

function notSimulated(what: string): RunResult {
  return { stdout: '', stderr: `netlab: iperf3 ${what} is not simulated here\n`, exitCode: 1 };
}

/** C's atoi: leading blanks, a sign, digits; anything else ends it (0 if none). */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Math.trunc(Number(m[1])) | 0 : 0;
}

/** units.c unit_atoi: `%lf%c`, K/M/G/T multiply by 1024ⁿ. */
function unitAtoi(s: string): number {
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(.?)/.exec(s);
  if (!m) return 0;
  const mult: Record<string, number> = { k: 1024, K: 1024, m: 1024 ** 2, M: 1024 ** 2, g: 1024 ** 3, G: 1024 ** 3, t: 1024 ** 4, T: 1024 ** 4 };
  return Math.trunc(Number(m[1]) * (mult[m[2]] ?? 1));
}

/** units.c unit_atof: `%lf%c`, K/M/G/T multiply by 1024ⁿ (a double). */
function unitAtof(s: string): number {
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(.?)/.exec(s);
  if (!m) return 0;
  const mult: Record<string, number> = { k: 1024, K: 1024, m: 1024 ** 2, M: 1024 ** 2, g: 1024 ** 3, G: 1024 ** 3, t: 1024 ** 4, T: 1024 ** 4 };
  return Number(m[1]) * (mult[m[2]] ?? 1);
}

/** units.c unit_atof_rate: K/M/G/T multiply by 1000ⁿ (a rate in bits/s). */
function unitAtofRate(s: string): number {
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(.?)/.exec(s);
  if (!m) return 0;
  const mult: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9, t: 1e12, T: 1e12 };
  return Number(m[1]) * (mult[m[2]] ?? 1);
}

/** musl getopt_long over iperf3's options (unique prefixes of long names allowed), then iperf_parse_arguments' checks. */
function parse(args: string[], ctx: CommandContext): Parsed {
  const o: Opts = { port: PORT, format: 'a', interval: 1, duration: 10, udp: false, blksize: 0, streams: 1, reverse: false, bidir: false, json: false, verbose: false, daemon: false, oneOff: false, bytes: 0, blocks: 0, durationFlag: false, window: 0, omit: 0 };
  let clientFlag = false;
  let serverFlag = false;
  let rateFlag = false;
  let bidir = false;
  const pos: string[] = [];
  const apply = (key: string, arg: string | undefined): RunResult | undefined => {
    switch (key) {
      case 'p': {
        const n = atoi(arg!);
        if (n < 1 || n > 65535) return paramError('port number must be between 1 and 65535 inclusive');
        o.port = n;
        return undefined;
      }
      case 'f':
        if (!/^[kKmMgGtT]/.test(arg!)) return paramError('bad format specifier (valid formats are in the set [kmgtKMGT])');
        o.format = arg![0];
        return undefined;
      case 'i': {
        const v = Number.parseFloat(arg!) || 0;
        if ((v < 0.1 || v > 60) && v !== 0) return paramError('invalid report interval (min = 0.1, max = 60 seconds)');
        o.interval = v;
        return undefined;
      }
      case 'D': o.daemon = true; serverFlag = true; return undefined;
      case '1': o.oneOff = true; serverFlag = true; return undefined;
      case 'V': o.verbose = true; return undefined;
      case 'J': o.json = true; return undefined;
      // `%s (cJSON %s)\n%s\n%s\n`: version, cJSON_Version(), get_system_info() (uname), get_optional_features() of Alpine's build
      case 'v': return { stdout: `${VERSION} (cJSON 1.7.15)\n${systemInfo(ctx)}\n${OPTIONAL_FEATURES}\n`, stderr: '', exitCode: 0 };
      case 's':
        if (o.role === 'c') return paramError('cannot be both server and client');
        o.role = 's';
        return undefined;
      case 'c':
        if (o.role === 's') return paramError('cannot be both server and client');
        o.role = 'c';
        o.host = arg!;
        return undefined;
      case 'u': o.udp = true; clientFlag = true; return undefined;
      case 'b': {
        const slash = arg!.indexOf('/');
        if (slash >= 0) return notSimulated('-b RATE/BURST (bursts)');
        o.rate = unitAtofRate(arg!);
        rateFlag = true;
        clientFlag = true;
        return undefined;
      }
      case 't': {
        const n = atoi(arg!);
        if (n > MAX_TIME || n < 0) return paramError(`test duration valid values are 0 to ${MAX_TIME} seconds`);
        o.duration = n;
        o.durationFlag = true;
        clientFlag = true;
        return undefined;
      }
      case 'n': o.bytes = unitAtoi(arg!); clientFlag = true; return undefined;
      case 'k': o.blocks = unitAtoi(arg!); clientFlag = true; return undefined;
      case 'w': {
        // unit_atof, checked as a double against MAX_TCP_BUFFER (512 MB) before the int cast
        const f = unitAtof(arg!);
        if (f > MAX_TCP_BUFFER) return paramError(`socket buffer size too large (maximum = ${MAX_TCP_BUFFER} bytes)`);
        o.window = Math.trunc(f);
        clientFlag = true;
        return undefined;
      }
      case 'O': {
        const n = atoi(arg!);
        if (n < 0 || n > 60) return paramError('bogus value for --omit');
        o.omit = n;
        clientFlag = true;
        return undefined;
      }
      case 'T': o.title = arg!; clientFlag = true; return undefined;
      case 'l': o.blksize = unitAtoi(arg!); clientFlag = true; return undefined;
      case 'P': {
        const n = atoi(arg!);
        if (n > MAX_STREAMS) return paramError(`number of parallel streams too large (maximum = ${MAX_STREAMS})`);
        o.streams = n;
        clientFlag = true;
        return undefined;
      }
      case 'R':
        if (bidir) return paramError('cannot be both reverse and bidirectional');
        o.reverse = true;
        clientFlag = true;
        return undefined;
      case 'bidir':
        if (o.reverse) return paramError('cannot be both reverse and bidirectional');
        bidir = true;
        clientFlag = true;
        return undefined;
      case 'M': {
        const n = atoi(arg!);
        if (n > MAX_MSS) return paramError(`TCP MSS too large (maximum = ${MAX_MSS} bytes)`);
        o.mss = n;
        clientFlag = true;
        return undefined;
      }
      case 'N': clientFlag = true; return undefined;
      case '4': o.family = 4; return undefined;
      case '6': o.family = 6; return undefined;
      case 'connect-timeout': o.connectTimeout = unitAtoi(arg!); clientFlag = true; return undefined;
      case 'forceflush': return undefined;
      case 'logfile': o.logfile = arg!; return undefined;
      case 'h': return { stdout: IPERF3_USAGE_LONG, stderr: '', exitCode: 0 };
      default: return undefined;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      pos.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const all = [...Object.keys(LONG), ...Object.keys(UNMODELLED_LONG)];
      const exact = all.find((n) => n === name);
      const matches = exact ? [exact] : all.filter((n) => n.startsWith(name));
      // musl getopt_long: an exact name wins; otherwise a prefix must match exactly one entry of
      // longopts (two names for one option — --bitrate, --bandwidth — still count as two)
      if (!name || matches.length === 0) return { result: getoptError(`unrecognized option: ${a.slice(2)}`) };
      if (matches.length > 1) return { result: getoptError(`option is ambiguous: ${a.slice(2)}`) };
      const full = matches[0];
      const takes = LONG[full] ? LONG[full][1] : UNMODELLED_LONG[full];
      let arg: string | undefined;
      if (takes) {
        if (eq >= 0) arg = a.slice(eq + 1);
        else if (i + 1 < args.length) arg = args[++i];
        else return { result: getoptError(`option requires an argument: ${full}`) };
      } else if (eq >= 0) return { result: getoptError(`option does not take an argument: ${full}`) };
      if (!LONG[full]) return { result: notSimulated(`--${full}`) };
      const r = apply(LONG[full][0], arg);
      if (r) return { result: r };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        const at = OPTSTRING.indexOf(c);
        if (at < 0 || c === ':') return { result: getoptError(`unrecognized option: ${c}`) };
        const takes = OPTSTRING[at + 1] === ':';
        let arg: string | undefined;
        if (takes) {
          if (k + 1 < a.length) arg = a.slice(k + 1);
          else if (i + 1 < args.length) arg = args[++i];
          else return { result: getoptError(`option requires an argument: ${c}`) };
        }
        if (!'pfiD1VJvscubtlPRM46NhnkwOT'.includes(c)) return { result: notSimulated(`-${c}`) };
        const r = apply(c, arg);
        if (r) return { result: r };
        if (takes) break;
      }
      continue;
    }
    pos.push(a);
  }
  if (o.role === 'c' && serverFlag) return { result: paramError('some option you are trying to set is server only') };
  if (o.role === 's' && clientFlag) return { result: paramError('some option you are trying to set is client only') };
  let blk = o.blksize;
  if (blk === 0) blk = o.udp ? 0 : DEFAULT_TCP_BLKSIZE;
  if ((!o.udp && blk <= 0) || blk > MAX_BLOCKSIZE) return { result: paramError(`block size too large (maximum = ${MAX_BLOCKSIZE} bytes)`) };
  if (o.udp && blk > 0 && (blk < MIN_UDP_BLOCKSIZE || blk > MAX_UDP_BLOCKSIZE)) return { result: paramError(`block size invalid (minimum = ${MIN_UDP_BLOCKSIZE} bytes, maximum = ${MAX_UDP_BLOCKSIZE} bytes)`) };
  o.blksize = blk;
  if (!rateFlag) o.rate = o.udp ? UDP_RATE : 0;
  if ((o.bytes !== 0 || o.blocks !== 0) && !o.durationFlag) o.duration = 0;
  if ((o.durationFlag && o.bytes !== 0) || (o.durationFlag && o.blocks !== 0) || (o.bytes !== 0 && o.blocks !== 0)) return { result: paramError('only one test end condition (-t, -n, -k) may be specified') };
  if (o.role !== 'c' && o.role !== 's') return { result: paramError('must either be a client (-c) or server (-s)') };
  if (bidir && o.role === 'c') {
    if (o.json) return { result: notSimulated('--bidir with -J') };
    if (o.bytes || o.blocks) return { result: notSimulated('--bidir with -n or -k') };
    if (o.duration === 0) return { result: notSimulated('--bidir with -t 0') };
    o.bidir = true;
  }
  // getopt_long (musl permutes) leaves operands at the end; iperf3 never reads them
  if (pos.length && !o.role) return { result: paramError('must either be a client (-c) or server (-s)') };
  return { opts: o };
}

// ---- the path -----------------------------------------------------------------------------

interface PathModel {
  /** Bytes of payload per TCP segment (TCP_MAXSEG: MTU − 40 − 12 of timestamps). */
  mss: number;
  /** Bits per second a stream's payload can move. */
  tcpBps: number;
  udpBps: (blk: number) => number;
  /**
   * --bidir: what each direction moves while the other runs. Across nodes each wire direction
   * also carries the other direction's ACKs (a pure ACK, one per two segments, pays the headers
   * and framing a data segment does); on one node the two directions' copies share the
   * 40 Gbit/s (a modelling choice, like the figure itself).
   */
  bidirTcpBps: number;
  bidirUdpBps: (blk: number) => number;
  rttMs: number;
  mtu: number;
}

function linkMtu(ctx: CommandContext, host: HostRef): number {
  const ns = hostNamespace(ctx.cluster, host);
  return ns?.links.find((l) => l.name === 'eth0')?.mtu ?? 1500;
}

function pathModel(ctx: CommandContext, clientNode: string | undefined, serverNode: string | undefined, walkMtu: number, latencyMs: number, mssOpt: number | undefined): PathModel {
  const mtu = Math.min(linkMtu(ctx, ctx.host), walkMtu);
  const mss = Math.min(mssOpt && mssOpt > 0 ? mssOpt : Infinity, mtu - 40) - 12;
  const local = !clientNode || !serverNode || clientNode === serverNode;
  const overhead = local ? 0 : crossNodePath(ctx.cluster, clientNode, serverNode).overhead;
  const tcpBps = local ? VETH_COPY_BPS : (NODE_LINK_BPS * mss) / (mss + 52 + overhead + ETHERNET_FRAMING);
  const udpBps = (blk: number) => {
    // a datagram over the MTU leaves in IP fragments, each paying its own headers and framing
    const frags = Math.ceil((blk + 8) / (mtu - 20));
    return local ? VETH_COPY_BPS : (NODE_LINK_BPS * blk) / (blk + 8 + frags * (20 + overhead + ETHERNET_FRAMING));
  };
  const headers = 52 + overhead + ETHERNET_FRAMING;
  const bidirTcpBps = local ? VETH_COPY_BPS / 2 : (NODE_LINK_BPS * mss) / (mss + headers + headers / 2);
  const bidirUdpBps = (blk: number) => (local ? VETH_COPY_BPS / 2 : udpBps(blk));
  return { mss, tcpBps, udpBps, bidirTcpBps, bidirUdpBps, rttMs: Math.max(0.05, 2 * latencyMs), mtu };
}

// ---- the test -----------------------------------------------------------------------------

interface Interval {
  st: number;
  et: number;
  bytes: number;
  retr: number;
  cwnd: number;
  packets: number;
  lost: number;
  jitter: number;
  /** An interval of -O's pre-test: printed `(omitted)`, left out of the summary. */
  omitted?: boolean;
}

interface StreamRun {
  fd: number;
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  /** The sender's intervals (the client's when it sends, the server's with -R). */
  send: Interval[];
  /** The receiver's intervals. */
  recv: Interval[];
  bytes: number;
  packets: number;
  lost: number;
  jitter: number;
  maxCwnd: number;
  /** --bidir: the client sends on it (TX-C, the server's RX-S) or receives (RX-C, TX-S). */
  tx?: boolean;
}

function intervalsOf(duration: number, step: number): [number, number][] {
  if (step <= 0) return [[0, duration]];
  const out: [number, number][] = [];
  for (let t = 0; t < duration - 1e-9; t += step) out.push([t, Math.min(duration, t + step)]);
  return out;
}

export const iperf3Command: CommandSpec = {
  name: 'iperf3',
  summary: 'measure TCP and UDP throughput between two hosts (iperf 3.17.1)',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const p = parse(args, ctx);
    if ('result' in p) return p.result;
    const o = p.opts;
    if (o.role === 's') return server(o, ctx, args);
    const r = client(o, ctx, args);
    // iperf_open_logfile: the client's output (and its errors, iperf_err) go to the file too
    if (o.logfile && !('streaming' in r)) {
      const res = r as RunResult;
      ctx.cluster.fs.append(ctx.host, o.logfile, res.stdout + res.stderr);
      return { stdout: '', stderr: '', exitCode: res.exitCode };
    }
    return r;
  },
};

/** iperf_server_listen's banner for test number `n`. */
function banner(o: Opts, n: number): string {
  return o.json ? '' : `${DASHES}Server listening on ${o.port} (test #${n})\n${DASHES}`;
}

/**
 * `iperf3 -s` typed in a container's shell: main.c run() — `-D` daemon(1, 0) (stdio to
 * /dev/null: nothing is seen unless --logfile), iperf_server_listen's socket on the port (a
 * dual-stack `*`; taken already: IELISTEN's `unable to start listener for connections:
 * Address in use` — musl's EADDRINUSE — and iperf_errexit's `exiting`), then the banner; each
 * test a client runs against it (iperf3's client, iperfTestServed) writes the server's side.
 * SIGINT/SIGTERM/SIGHUP with no test running: iperf_got_sigend → IESERVERTERM, exit 1.
 */
function server(o: Opts, ctx: CommandContext, args: string[]): CommandOutcome {
  const term = 'interrupt - the server has terminated';
  return startServer(ctx, {
    comm: 'iperf3',
    argv: ['iperf3', ...args],
    listeners: [{ port: o.port, proto: 'tcp', app: 'iperf3', description: 'iperf3 -s', params: { oneOff: o.oneOff ? '1' : '', json: o.json ? '1' : '' } }],
    banner: banner(o, 1),
    daemon: o.daemon,
    sink: o.logfile ? { file: o.logfile } : o.daemon ? 'null' : undefined,
    addressInUse: () => ({ stdout: '', stderr: 'iperf3: error - unable to start listener for connections: Address in use\niperf3: exiting\n', exitCode: 1 }),
    permissionDenied: () => ({ stdout: '', stderr: 'iperf3: error - unable to start listener for connections: Permission denied\niperf3: exiting\n', exitCode: 1 }),
    interrupted: () => (o.json ? { stdout: `{\n\t"start":\t{\n\t\t"connected":\t[]\n\t},\n\t"intervals":\t[],\n\t"end":\t{\n\t},\n\t"error":\t"${term}"\n}\n`, exitCode: 1, exited: true } : { stderr: `iperf3: ${term}\n`, exitCode: 1, exited: true }),
    notHere: () => notSimulated('-s typed on a node or in a hostNetwork Pod (a hand-started server listens in a Pod\'s own network namespace)'),
  });
}

function client(o: Opts, ctx: CommandContext, args: string[]): CommandOutcome {
  const cluster = ctx.cluster;
  const host = o.host!;
  const command = ['iperf3', ...args].join(' ');
  if (o.duration === 0 && !o.bytes && !o.blocks && (o.json || o.omit > 0)) return notSimulated(`-t 0 with ${o.json ? '-J' : '-O'}`);
  if (o.streams < 1) return notSimulated(`-P ${o.streams}`);
  const fail = (msg: string): RunResult => {
    if (o.json) return { stdout: cjsonPrint({ start: { connected: [], version: VERSION, system_info: systemInfo(ctx) }, intervals: [], end: {}, error: msg }) + '\n', stderr: '', exitCode: 1 };
    return { stdout: '', stderr: `iperf3: error - ${msg}\n`, exitCode: 1 };
  };
  const IECONNECT = 'unable to connect to server - server may have stopped running or use a different port, firewall issue, etc.';
  const ctrl = connect(cluster, ctx.host, host, o.port, 'tcp', { command, family: o.family });
  if (ctrl.ipv6) return { stdout: '', stderr: ipv6NotSimulated('iperf3', host), exitCode: 1 };
  // netdial: getaddrinfo's failure is herr with gai_strerror; a failed connect is perr with
  // strerror — musl's words (src/network/gai_strerror.c, src/errno/__strerror.h): netshoot is Alpine
  if (ctrl.outcome === 'nxdomain') return fail(`${IECONNECT}: ${ctrl.dnsTimeout ? 'Try again' : 'Name does not resolve'}`);
  if (ctrl.outcome === 'refused') return fail(`${IECONNECT}: Connection refused`);
  if (ctrl.outcome === 'unreachable') {
    cluster.advance(3000);
    return fail(`${IECONNECT}: Host is unreachable`);
  }
  if (ctrl.outcome === 'timeout') {
    // net.c timeout_connect with --connect-timeout: poll() gives up and sets ETIMEDOUT; without
    // it, a blocking connect waits out the kernel's SYN retries (tcp_syn_retries 6: about 127 s)
    cluster.advance(o.connectTimeout !== undefined && o.connectTimeout > 0 ? o.connectTimeout : 127_000);
    return fail(`${IECONNECT}: Operation timed out`);
  }
  const server = ctrl.server;
  const serverPod = server && server.host.kind === 'pod' ? findPod(cluster, server.host.namespace, server.host.pod) : undefined;
  // an iperf3 -s typed in a node's shell or a hostNetwork Pod listens on the node (dataplane/started.ts)
  const serverNode = server && server.host.kind === 'node' ? server.host.node : serverPod?.node;
  const app = serverPod
    ? listenerOn(cluster, { kind: 'pod', pod: serverPod }, server!.port, 'tcp')?.app
    : serverNode ? listenerOn(cluster, { kind: 'node', node: serverNode }, server!.port, 'tcp')?.app : undefined;
  if (app !== 'iperf3') {
    // The client sends its 37-byte cookie and waits for a state byte. nginx waits for the rest of
    // a request line until client_header_timeout (60 s), then closes without a reply: the read
    // gets end-of-file (iperf_handle_message_client: IECTRLCLOSE).
    if (app === 'nginx') {
      cluster.advance(60_000);
      return fail('control socket has closed unexpectedly');
    }
    return notSimulated(`against ${ctrl.address}:${o.port}, where the server is not iperf3 (what it does with the client's cookie is not modelled)`);
  }
  const clientPod = ctx.host.kind === 'pod' ? findPod(cluster, ctx.host.namespace, ctx.host.pod) : undefined;
  const localIp = clientPod?.ip ?? '127.0.0.1';
  const remoteIp = ctrl.address ?? host;
  const model = pathModel(ctx, clientPod?.node, serverNode, ctrl.mtu, ctrl.latencyMs ?? 0.1, o.mss);
  const cookie = [...Array(36)].map(() => 'abcdefghijklmnopqrstuvwxyz234567'[cluster.rng.int(32)]).join('');
  const t0 = cluster.clock.now();

  const blk = o.udp ? (o.blksize || model.mss) : o.blksize;
  const test: TestRun = { o, ctx, host, remoteIp, localIp, cookie, t0, model, streams: [], blk, remoteExtra: 0, ivs: [], secs: o.duration };

  // One connection per stream, each walked like the control connection — through a Service,
  // each is load-balanced on its own. iperf_create_streams: a TCP stream that cannot connect is
  // IESTREAMCONNECT; a UDP stream writes UDP_CONNECT_MSG and waits (SO_RCVTIMEO 30 s) for the
  // server's reply on the port it has just bound (iperf_udp.c iperf_udp_connect: IESTREAMREAD).
  // --bidir: iperf_create_streams(test, 1) then (test, 0) — the -P sending streams, then as many receiving ones
  for (let k = 0; k < o.streams * (o.bidir ? 2 : 1); k++) {
    const w = connect(cluster, ctx.host, remoteIp, o.port, o.udp ? 'udp' : 'tcp', { command, record: false });
    const stream: StreamRun = { fd: 5 + 2 * k, localIp, localPort: w.sourcePort ?? 40000 + k, remoteIp, remotePort: o.port, send: [], recv: [], bytes: 0, packets: 0, lost: 0, jitter: 0, maxCwnd: 0, ...(o.bidir ? { tx: k < o.streams } : {}) };
    const dst = w.facts?.translated?.ip ?? w.address;
    if (!o.udp) {
      if (w.outcome !== 'delivered') {
        if (w.outcome === 'timeout') cluster.advance(127_000);
        if (w.outcome === 'unreachable') cluster.advance(3000);
        return streamFailure(test, `unable to connect stream: ${w.outcome === 'refused' ? 'Connection refused' : w.outcome === 'timeout' ? 'Operation timed out' : 'Host is unreachable'}`);
      }
      test.streams.push(stream);
      // another endpoint of the Service took this stream: that iperf3 server reads its cookie as
      // a new test's and waits for parameters, while this test's server waits for the stream
      if (w.server?.ip !== server!.ip) return stalled(test, o.streams);
    } else {
      if (dst !== server!.ip) {
        // a datagram to an address with no UDP socket on the port: ICMP port unreachable, read as ECONNREFUSED
        if (w.outcome === 'timeout') {
          cluster.advance(30_000);
          return streamFailure(test, 'unable to read from stream socket: Resource temporarily unavailable');
        }
        return streamFailure(test, 'unable to read from stream socket: Connection refused');
      }
      test.streams.push(stream);
    }
  }
  const streams = test.streams;
  const rtt = model.rttMs / 1000;
  // the receiver's clock runs from when its end saw the test start until the end message arrives
  const remoteExtra = Math.round((rtt + 0.03 + cluster.rng.next() * 0.02) * 100) / 100;
  test.remoteExtra = remoteExtra;
  const capacity = o.bidir ? (o.udp ? model.bidirUdpBps(blk) : model.bidirTcpBps) : o.udp ? model.udpBps(blk) : model.tcpBps;
  // -w: the socket buffers are fixed (SO_SNDBUF/SO_RCVBUF; autotuning off). The kernel doubles
  // the value for its bookkeeping, capped at twice net.core.{w,r}mem_max (212992): a request
  // above that cap reads back smaller and iperf_tcp.c fails with IESETBUF2. The receiver then
  // advertises half its buffer (tcp_adv_win_scale 1), the value asked for, and a stream moves at
  // most one window per round trip.
  if (!o.udp && o.window > 0) {
    const actual = Math.min(2 * o.window, 2 * SOCK_BUF_MAX);
    if (o.window > actual) {
      // the first stream's socket fails before it connects
      test.streams = [];
      return streamFailure(test, 'socket buffer size not set correctly');
    }
    test.sockBuf = actual;
  }
  const share = capacity / o.streams;
  // the window each receiver advertises: half the buffer it got (the value asked for, up to rmem_max)
  const win = test.sockBuf ? test.sockBuf / 2 : 0;
  const streamCap = win > 0 ? Math.min(share, (win * 8) / rtt) : share;
  // -n / -k: the test lasts until that many bytes (blocks of -l) have gone out, over all streams
  const total = o.bytes || o.blocks * blk;
  if (total > 0) {
    const rate = o.udp ? Math.min(o.rate || UDP_RATE, VETH_COPY_BPS) : streamCap * o.streams;
    test.secs = Math.max(0.01, Math.round(((total * 8) / (rate * 0.99)) * 100) / 100);
  }
  // -O: the pre-test's intervals, timed from 0 before the timer restarts for the test
  const ivs: [number, number, boolean][] = [...(o.omit > 0 ? intervalsOf(o.omit, o.interval) : []).map(([a, b]): [number, number, boolean] => [a, b, true]), ...intervalsOf(test.secs, o.interval).map(([a, b]): [number, number, boolean] => [a, b, false])];
  test.ivs = ivs.map(([a, b]) => [a, b]);
  test.omitted = ivs.map(([, , om]) => om);
  const perStreamTarget = total > 0 ? Math.ceil(total / o.streams / blk) * blk : Infinity;
  /**
   * One interval [st, et) of one stream: what the sender put out and the receiver took in.
   * `last`: the test's final interval (-n/-k hand it whatever is left).
   */
  const gen = (s: StreamRun, st8: { carried: number; sentSoFar: number }, st: number, et: number, omitted: boolean, i: number, last: boolean): void => {
    const len = et - st;
    const want = o.rate && o.rate > 0 ? Math.min(o.rate / o.streams, o.udp ? Number.POSITIVE_INFINITY : streamCap) : streamCap;
    const r = want * (1 - 0.02 * cluster.rng.next()) * (i === 0 && !o.udp ? 0.97 : 1);
    if (o.udp) {
      // iperf_check_throttle: a datagram goes out whenever the bits sent so far are below rate × elapsed
      // — but no faster than its own veth takes them (a full device queue holds the socket's
      // buffer, so sendto waits). Across nodes the node's link is narrower: what arrives
      // there above its rate overflows its queue and is lost — forwarded packets have no
      // socket to hold back.
      const paced = Math.min(o.rate! / o.streams, (VETH_COPY_BPS / o.streams) * (1 - 0.02 * cluster.rng.next()));
      const before = Math.ceil((paced * st) / 8 / blk);
      const after = Math.ceil((paced * et) / 8 / blk);
      let sent = after - before;
      if (!omitted && total > 0) {
        const left = Math.max(0, Math.ceil((perStreamTarget - st8.sentSoFar) / blk));
        sent = last ? left : Math.min(sent, left);
      }
      const room = Math.ceil((share * et) / 8 / blk) - Math.ceil((share * st) / 8 / blk);
      const lost = Math.max(0, sent - room);
      const jitter = (0.004 + cluster.rng.next() * 0.03) / 1000;
      s.send.push({ st, et, bytes: sent * blk, retr: 0, cwnd: 0, packets: sent, lost: 0, jitter: 0, omitted });
      s.recv.push({ st, et, bytes: (sent - lost) * blk, retr: 0, cwnd: 0, packets: sent, lost, jitter, omitted });
      if (omitted) return;
      st8.sentSoFar += sent * blk;
      s.packets += sent;
      s.lost += lost;
      s.bytes += sent * blk;
      s.jitter = jitter;
    } else {
      let bytes = Math.max(blk, Math.round((r * len) / 8 / blk) * blk);
      if (!omitted && total > 0) bytes = last ? Math.max(0, perStreamTarget - st8.sentSoFar) : Math.min(bytes, Math.max(0, perStreamTarget - st8.sentSoFar));
      const bdp = (streamCap / 8) * rtt;
      const segs = Math.max(10, Math.round(((bdp * (1.6 + 0.5 * cluster.rng.next())) / model.mss) * (i === 0 ? 0.6 : 1)));
      // a fixed window bounds what is in flight
      const cwnd = win > 0 ? Math.min(segs * model.mss, Math.max(10 * model.mss, win)) : segs * model.mss;
      s.maxCwnd = Math.max(s.maxCwnd, cwnd);
      // what is still in flight at the interval's end reaches the receiver in the next one
      const inflight = Math.min(bytes, Math.round(bdp));
      s.send.push({ st, et, bytes, retr: 0, cwnd, packets: 0, lost: 0, jitter: 0, omitted });
      s.recv.push({ st, et, bytes: omitted ? bytes : bytes - inflight + st8.carried, retr: 0, cwnd: 0, packets: 0, lost: 0, jitter: 0, omitted });
      if (omitted) return;
      st8.carried = inflight;
      st8.sentSoFar += bytes;
      s.bytes += bytes;
    }
  };
  // -t 0: the test runs until Ctrl+C, one interval per step of the terminal's clock
  if (o.duration === 0 && total === 0) {
    const step = o.interval > 0 ? o.interval : 1;
    const st8s = streams.map(() => ({ carried: 0, sentSoFar: 0 }));
    let k = 0;
    const clientIp = ctrl.seenSource ?? localIp;
    const live: Streaming = {
      streaming: true,
      stdout: o.title !== undefined ? titled(textHead(test), o.title) : textHead(test),
      stderr: '',
      intervalMs: step * 1000,
      step: () => {
        const st = k * step;
        const et = st + step;
        streams.forEach((s, j) => gen(s, st8s[j], st, et, false, k, false));
        test.ivs.push([st, et]);
        test.secs = et;
        const out = o.interval > 0 ? textInterval(test, k) : '';
        k++;
        return { stdout: o.title !== undefined ? titled(out, o.title) : out };
      },
      // iperf_got_sigend: the results so far (the other side's never came: 0 bytes over the
      // local side's time), then iperf_errexit with IECLIENTTERM; the server prints its side
      interrupt: () => {
        serverSide(test, serverPod, serverNode, server!.ip, clientIp, ctrl.sourcePort ?? 40000);
        test.remoteExtra = 0;
        for (const s of streams) {
          if (o.reverse) {
            s.bytes = 0;
            s.packets = 0;
          } else s.recv = [];
        }
        const tail = test.secs > 0 ? textTail(test, true) : '';
        return { stdout: o.title !== undefined ? titled(tail, o.title) : tail, stderr: 'iperf3: interrupt - the client has terminated\n', exitCode: 1 };
      },
    };
    return live;
  }
  for (const s of streams) {
    const st8 = { carried: 0, sentSoFar: 0 };
    ivs.forEach(([st, et, omitted], i) => gen(s, st8, st, et, omitted, i, !omitted && i === ivs.length - 1));
    if (!o.udp && st8.carried > 0) s.recv.push({ st: test.secs, et: test.secs + remoteExtra, bytes: st8.carried, retr: 0, cwnd: 0, packets: 0, lost: 0, jitter: 0 });
  }
  cluster.advance((o.omit + test.secs) * 1000 + Math.round(remoteExtra * 1000));
  // -T: iperf_printf writes the title before each thing it prints (one line each here); JSON gets a "title" key
  const out = o.json ? jsonReport(test) : o.title !== undefined ? titled(textReport(test), o.title) : textReport(test);
  // iperf_connect: a datagram bigger than the control connection's MSS is warned about (warning() → stderr)
  const warn = o.udp && blk > model.mss ? `warning: UDP block size ${blk} exceeds TCP MSS ${model.mss}, may result in fragmentation / drops\n` : '';
  serverSide(test, serverPod, serverNode, server!.ip, ctrl.seenSource ?? localIp, ctrl.sourcePort ?? 40000);
  return { stdout: out, stderr: warn, exitCode: 0 };
}

interface TestRun {
  o: Opts;
  ctx: CommandContext;
  host: string;
  remoteIp: string;
  localIp: string;
  cookie: string;
  t0: number;
  model: PathModel;
  streams: StreamRun[];
  blk: number;
  remoteExtra: number;
  ivs: [number, number][];
  /** Which of `ivs` belong to -O's pre-test. */
  omitted?: boolean[];
  /** The test's own length: -t, or how long -n/-k's bytes took. */
  secs: number;
  /** -w: SO_SNDBUF/SO_RCVBUF as getsockopt reads them back. */
  sockBuf?: number;
}

/** get_system_info: uname's sysname, nodename, release, version, machine. */
function systemInfo(ctx: CommandContext): string {
  return `Linux ${hostName(ctx.cluster, ctx.host)} ${NODE_KERNEL_RELEASE} ${NODE_KERNEL_VERSION} x86_64`;
}

/** strftime("%a, %d %b %Y %H:%M:%S %Z", gmtime). */
function rfc1123(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT`;
}

const id = (fd: number) => `[${String(fd).padStart(3)}]`;

/** CPU use (cpu_util): a model — a few percent per Gbit/s on each side, the receiver a little more. */
function cpuUtil(t: TestRun): [number, number, number, number, number, number] {
  const gbps = t.streams.reduce((a, s) => a + s.bytes, 0) * 8 / t.secs / 1e9;
  const rng = t.ctx.cluster.rng;
  const sUser = Math.round((0.1 + gbps * 0.05 + rng.next() * 0.3) * 1e6) / 1e6;
  const sSys = Math.round((gbps * 1.8 + rng.next()) * 1e6) / 1e6;
  const rUser = Math.round((0.3 + gbps * 0.2 + rng.next() * 0.5) * 1e6) / 1e6;
  const rSys = Math.round((gbps * 3.1 + rng.next() * 2) * 1e6) / 1e6;
  const local = t.o.reverse ? [rUser + rSys, rUser, rSys] : [sUser + sSys, sUser, sSys];
  const remote = t.o.reverse ? [sUser + sSys, sUser, sSys] : [rUser + rSys, rUser, rSys];
  return [local[0], local[1], local[2], remote[0], remote[1], remote[2]];
}

/** What the client prints before its streams connect: -V's banner, iperf_connect's and on_connect's lines. */
function preamble(t: TestRun): string {
  const { o } = t;
  let out = '';
  if (o.verbose) out += `${VERSION}\n${systemInfo(t.ctx)}\nControl connection MSS ${t.model.mss}\n`;
  if (o.verbose && o.udp && !o.blksize) out += `Setting UDP block size to ${t.blk}\n`;
  if (o.verbose) out += `Time: ${rfc1123(t.t0)}\n`;
  out += `Connecting to host ${t.host}, port ${o.port}\n`;
  if (o.reverse) out += `Reverse mode, remote host ${t.host} is sending\n`;
  if (o.verbose) {
    out += `      Cookie: ${t.cookie}\n`;
    if (!o.udp) out += o.mss ? `      TCP MSS: ${o.mss}\n` : `      TCP MSS: ${t.model.mss} (default)\n`;
    if (o.rate) out += `      Target Bitrate: ${Math.round(o.rate)}\n`;
  }
  return out;
}

/** connect_msg for each stream that connected. */
function connectedLines(t: TestRun): string {
  return t.streams.map((s) => `${id(s.fd)} local ${s.localIp} port ${s.localPort} connected to ${s.remoteIp} port ${s.remotePort}\n`).join('');
}

/** A stream that failed after the control connection: what was printed so far, then main.c's error. */
function streamFailure(t: TestRun, msg: string): RunResult {
  if (t.o.json) return { stdout: cjsonPrint({ start: startObject(t, false), intervals: [], end: {}, error: msg }) + '\n', stderr: '', exitCode: 1 };
  return { stdout: preamble(t) + connectedLines(t), stderr: `iperf3: error - ${msg}\n`, exitCode: 1 };
}

/**
 * A stream that reached another server: every stream still connects (its handshake succeeds
 * wherever it lands) and the client waits for TEST_START, which never comes. It waits until
 * interrupted (iperf_got_sigend: IECLIENTTERM).
 */
function stalled(t: TestRun, total: number): Streaming {
  const cluster = t.ctx.cluster;
  for (let k = t.streams.length; k < total; k++) {
    const w = connect(cluster, t.ctx.host, t.remoteIp, t.o.port, 'tcp', { record: false });
    t.streams.push({ fd: 5 + 2 * k, localIp: t.localIp, localPort: w.sourcePort ?? 40000 + k, remoteIp: t.remoteIp, remotePort: t.o.port, send: [], recv: [], bytes: 0, packets: 0, lost: 0, jitter: 0, maxCwnd: 0 });
  }
  const msg = 'interrupt - the client has terminated';
  return {
    streaming: true,
    stdout: t.o.json ? '' : preamble(t) + connectedLines(t),
    stderr: '',
    intervalMs: 1000,
    step: () => ({}),
    interrupt: () => (t.o.json ? { stdout: cjsonPrint({ start: startObject(t, false), intervals: [], end: {}, error: msg }) + '\n', exitCode: 1 } : { stderr: `iperf3: ${msg}\n`, exitCode: 1 }),
  };
}

function textHead(t: TestRun): string {
  const { o } = t;
  let out = preamble(t) + connectedLines(t);
  // test_start_time / test_start_bytes / test_start_blocks
  const end = o.bytes ? `${o.bytes} bytes to send` : o.blocks ? `${o.blocks} blocks to send` : `${o.duration} second test`;
  if (o.verbose) out += `Starting Test: protocol: ${o.udp ? 'UDP' : 'TCP'}, ${o.streams} streams, ${t.blk} byte blocks, omitting ${o.omit} seconds, ${end}, tos 0\n`;
  return out;
}

/** print_interval_results for interval `i`: each stream's line (the header before the first, a separator between intervals with -P), [SUM] with -P. */
function textInterval(t: TestRun, i: number): string {
  const { o, streams } = t;
  const fmt = o.format;
  const sender = !o.reverse;
  const retrans = !o.udp && sender;
  let out = '';
  if (i === 0) {
    if (!o.udp) out += retrans ? '[ ID] Interval           Transfer     Bitrate         Retr  Cwnd\n' : '[ ID] Interval           Transfer     Bitrate\n';
    else out += sender ? '[ ID] Interval           Transfer     Bitrate         Total Datagrams\n' : '[ ID] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams\n';
  } else if (o.streams > 1) out += SEPARATOR;
  // report_omitted: the pre-test's intervals end in "(omitted)" (the format's last %s)
  const om = t.omitted?.[i] ? '(omitted)' : '';
  let bytes = 0, retr = 0, packets = 0, lost = 0, jit = 0;
  let st = 0, et = 0, len = 1;
  for (const s of streams) {
    const iv = (sender ? s.send : s.recv)[i];
    st = iv.st; et = iv.et; len = iv.et - iv.st;
    bytes += iv.bytes; retr += iv.retr; packets += iv.packets; lost += iv.lost; jit += iv.jitter;
    const u = unitSnprintf(iv.bytes, 'A');
    const n = unitSnprintf(iv.bytes / len, fmt);
    if (!o.udp) out += retrans ? `${id(s.fd)} ${interval(st, et)} sec  ${u}s  ${n}s/sec  ${String(iv.retr).padStart(3)}   ${unitSnprintf(iv.cwnd, 'A')}s       ${om}\n` : `${id(s.fd)} ${interval(st, et)} sec  ${u}s  ${n}s/sec                  ${om}\n`;
    else if (sender) out += `${id(s.fd)} ${interval(st, et)} sec  ${u}s  ${n}s/sec  ${iv.packets}  ${om}\n`;
    else out += `${id(s.fd)} ${interval(st, et)} sec  ${u}s  ${n}s/sec  ${fixed(iv.jitter * 1000, 3).padStart(5)} ms  ${iv.lost}/${iv.packets} (${fmtG(iv.packets ? (100 * iv.lost) / iv.packets : 0, 2)}%)  ${om}\n`;
  }
  if (o.streams > 1) {
    const u = unitSnprintf(bytes, 'A');
    const n = unitSnprintf(bytes / len, fmt);
    if (!o.udp) out += retrans ? `[SUM] ${interval(st, et)} sec  ${u}s  ${n}s/sec  ${String(retr).padStart(3)}             ${om}\n` : `[SUM] ${interval(st, et)} sec  ${u}s  ${n}s/sec                  ${om}\n`;
    else if (sender) out += `[SUM] ${interval(st, et)} sec  ${u}s  ${n}s/sec  ${packets}  ${om}\n`;
    else out += `[SUM] ${interval(st, et)} sec  ${u}s  ${n}s/sec  ${fixed((jit / streams.length) * 1000, 3).padStart(5)} ms  ${lost}/${packets} (${fmtG(packets ? (100 * lost) / packets : 0, 2)}%)  ${om}\n`;
  }
  return out;
}

/**
 * The summary (iperf_print_results) and `iperf Done.`; `interrupted`: a test Ctrl+C ended
 * (iperf_got_sigend) — the other side's results never came, so its line reads 0 bytes over the
 * local side's time, and iperf_errexit follows instead of `iperf Done.`.
 */
function textTail(t: TestRun, interrupted = false): string {
  const { o, streams } = t;
  const fmt = o.format;
  let out = '';
  // client_omit_timer_proc: with -V and no interval reports, the end of the pre-test is told
  if (o.omit > 0 && o.verbose && o.interval === 0) out += 'Finished omit period, starting real test\n';
  out += SEPARATOR;
  if (o.verbose) out += 'Test Complete. Summary Results:\n';
  out += o.udp ? '[ ID] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams\n' : '[ ID] Interval           Transfer     Bitrate         Retr\n';
  // the sender's clock is the local one unless -R; the receiver's the other
  const local = t.secs;
  const remote = Math.round((t.secs + t.remoteExtra) * 100) / 100;
  const senderTime = o.reverse ? remote : local;
  const receiverTime = o.reverse ? local : remote;
  let totSent = 0, totRecv = 0, totPk = 0, totLost = 0, jitSum = 0;
  for (const s of streams) {
    const sent = s.bytes;
    const recv = s.recv.reduce((a, iv) => a + (iv.omitted ? 0 : iv.bytes), 0);
    totSent += sent; totRecv += recv; totPk += s.packets; totLost += s.lost; jitSum += s.jitter;
    if (!o.udp) {
      out += `${id(s.fd)} ${interval(0, senderTime)} sec  ${unitSnprintf(sent, 'A')}s  ${unitSnprintf(sent / senderTime, fmt)}s/sec  ${String(0).padStart(3)}             sender\n`;
      out += `${id(s.fd)} ${interval(0, receiverTime)} sec  ${unitSnprintf(recv, 'A')}s  ${unitSnprintf(recv / receiverTime, fmt)}s/sec                  receiver\n`;
    } else {
      out += `${id(s.fd)} ${interval(0, senderTime)} sec  ${unitSnprintf(sent, 'A')}s  ${unitSnprintf(sent / senderTime, fmt)}s/sec  ${fixed(0, 3).padStart(5)} ms  0/${s.packets} (0%)  sender\n`;
      out += `${id(s.fd)} ${interval(0, receiverTime)} sec  ${unitSnprintf(recv, 'A')}s  ${unitSnprintf(recv / receiverTime, fmt)}s/sec  ${fixed(s.jitter * 1000, 3).padStart(5)} ms  ${s.lost}/${s.packets} (${fmtG(s.packets ? (100 * s.lost) / s.packets : 0, 2)}%)  receiver\n`;
    }
  }
  if (o.streams > 1) {
    if (!o.udp) {
      out += `[SUM] ${interval(0, senderTime)} sec  ${unitSnprintf(totSent, 'A')}s  ${unitSnprintf(totSent / senderTime, fmt)}s/sec  ${String(0).padStart(3)}             sender\n`;
      out += `[SUM] ${interval(0, receiverTime)} sec  ${unitSnprintf(totRecv, 'A')}s  ${unitSnprintf(totRecv / receiverTime, fmt)}s/sec                  receiver\n`;
    } else {
      out += `[SUM] ${interval(0, senderTime)} sec  ${unitSnprintf(totSent, 'A')}s  ${unitSnprintf(totSent / senderTime, fmt)}s/sec  ${fixed(0, 3).padStart(5)} ms  0/${totPk} (0%)  sender\n`;
      out += `[SUM] ${interval(0, receiverTime)} sec  ${unitSnprintf(totRecv, 'A')}s  ${unitSnprintf(totRecv / receiverTime, fmt)}s/sec  ${fixed((jitSum / streams.length) * 1000, 3).padStart(5)} ms  ${totLost}/${totPk} (${fmtG(totPk ? (100 * totLost) / totPk : 0, 2)}%)  receiver\n`;
    }
  }
  if (o.verbose) {
    const c = cpuUtil(t);
    // iperf_print_results prints CPU use only when the local side sends (stream_must_be_sender)
    if (!o.reverse) out += `CPU Utilization: local/sender ${fixed(c[0], 1)}% (${fixed(c[1], 1)}%u/${fixed(c[2], 1)}%s), remote/receiver ${fixed(c[3], 1)}% (${fixed(c[4], 1)}%u/${fixed(c[5], 1)}%s)\n`;
    if (!o.udp) out += 'snd_tcp_congestion cubic\nrcv_tcp_congestion cubic\n';
  }
  return interrupted ? out : out + '\niperf Done.\n';
}

/** -T: iperf_printf writes `TITLE:  ` before each thing it prints — each line here. */
function titled(text: string, title: string): string {
  if (!text) return '';
  const end = text.endsWith('\n') ? '\n' : '';
  return (end ? text.slice(0, -1) : text).split('\n').map((l) => `${title}:  ${l}`).join('\n') + end;
}

function textReport(t: TestRun): string {
  if (t.o.bidir) return textHead(t) + (t.o.interval > 0 ? t.ivs.map((_, i) => bidirInterval(t, i)).join('') : '') + bidirTail(t);
  return textHead(t) + (t.o.interval > 0 ? t.ivs.map((_, i) => textInterval(t, i)).join('') : '') + textTail(t);
}

/** zbuf: the UDP sender formats' blank column in bidirectional mode (empty otherwise). */
const ZBUF = '          ';

/**
 * --bidir's interval report (iperf_print_intermediate, print_interval_results): for each mode
 * in turn — the client its sending streams then its receiving ones (`[TX-C]`, `[RX-C]`), the
 * server its receiving then its sending ones (`[RX-S]`, `[TX-S]`) — each stream's line with its
 * role after the id, then `[SUM][ROLE]` with -P. The header comes before the first stream's
 * first interval (report_bw_retrans_cwnd_header_bidir: both Linux ends have retransmits), the
 * separator before it in later intervals when -P > 1. A sending TCP stream prints Retr and
 * Cwnd, a receiving one only the bitrate; a sending UDP stream its datagrams after zbuf.
 */
function bidirRows(t: TestRun, i: number, server: boolean): string[] {
  const { o, streams } = t;
  const fmt = server ? 'a' : o.format;
  const out: string[] = [];
  const om = t.omitted?.[i] ? '(omitted)' : '';
  // the client's modes -1, 0; the server's 0, 1 (stream_must_be_sender = mode²)
  const order: boolean[] = server ? [false, true] : [true, false];
  for (const mustSend of order) {
    const role = `[${mustSend ? 'TX' : 'RX'}-${server ? 'S' : 'C'}]`;
    // the client's TX streams are the server's RX ones
    const mine = streams.filter((s) => (server ? !s.tx : !!s.tx) === mustSend);
    let bytes = 0, retr = 0, packets = 0, lost = 0, jit = 0, st = 0, et = 0, len = 1, any = false;
    for (const s of mine) {
      // what this end sent on the stream, or what it received
      const r = (mustSend ? s.send : s.recv)[i];
      if (!r) continue;
      // the first stream in the list (the client's first sending one, the server's first receiving one)
      if (s === streams[0]) {
        if (i === 0) out.push(o.udp ? '[ ID][Role] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams' : '[ ID][Role] Interval           Transfer     Bitrate         Retr  Cwnd');
        else if (o.streams > 1) out.push(SEPARATOR.slice(0, -1));
      }
      any = true;
      st = r.st; et = r.et; len = r.et - r.st;
      bytes += r.bytes; retr += r.retr; packets += r.packets; lost += r.lost; jit += r.jitter;
      const u = unitSnprintf(r.bytes, 'A');
      const n = unitSnprintf(r.bytes / len, fmt);
      const head = `${id(s.fd)}${role} ${interval(r.st, r.et)} sec  ${u}s  ${n}s/sec`;
      if (!o.udp) out.push(mustSend ? `${head}  ${String(r.retr).padStart(3)}   ${unitSnprintf(r.cwnd, 'A')}s       ${om}` : `${head}                  ${om}`);
      else out.push(mustSend ? `${head} ${ZBUF} ${r.packets}  ${om}` : `${head}  ${fixed(r.jitter * 1000, 3).padStart(5)} ms  ${r.lost}/${r.packets} (${fmtG(r.packets ? (100 * r.lost) / r.packets : 0, 2)}%)  ${om}`);
    }
    if (o.streams > 1 && any) {
      const head = `[SUM]${role} ${interval(st, et)} sec  ${unitSnprintf(bytes, 'A')}s  ${unitSnprintf(bytes / len, fmt)}s/sec`;
      if (!o.udp) out.push(mustSend ? `${head}  ${String(retr).padStart(3)}             ${om}` : `${head}                  ${om}`);
      else out.push(mustSend ? `${head} ${ZBUF} ${packets}  ${om}` : `${head}  ${fixed((jit / o.streams) * 1000, 3).padStart(5)} ms  ${lost}/${packets} (${fmtG(packets ? (100 * lost) / packets : 0, 2)}%)  ${om}`);
    }
  }
  return out;
}

function bidirInterval(t: TestRun, i: number): string {
  return bidirRows(t, i, false).map((l) => l + '\n').join('');
}

/**
 * --bidir's summary (iperf_print_results), per mode as the intervals: each stream's sender and
 * receiver lines with its role. The times are the first stream's for every line (its
 * sender_time and receiver_time: the client's own clock for sending, the server's for
 * receiving); a sender line has Retr (sender_has_retransmits, the other side's for RX). The
 * server prints only its own side of each stream. -V: after the TX block the CPU line twice
 * (local/sender then local/receiver, the same figures), and each block's congestion lines.
 */
function bidirSummary(t: TestRun, server: boolean): string[] {
  const { o, streams } = t;
  const fmt = server ? 'a' : o.format;
  const out: string[] = [];
  const remote = Math.round((t.secs + t.remoteExtra) * 100) / 100;
  // the client's first stream sends: its own time, the server's for the receiver; the server's first stream receives
  const senderTime = t.secs;
  const receiverTime = remote;
  out.push(o.udp ? '[ ID][Role] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams' : '[ ID][Role] Interval           Transfer     Bitrate         Retr');
  const order: boolean[] = server ? [false, true] : [true, false];
  for (const mustSend of order) {
    const role = `[${mustSend ? 'TX' : 'RX'}-${server ? 'S' : 'C'}]`;
    const mine = streams.filter((s) => (server ? !s.tx : !!s.tx) === mustSend);
    let totSent = 0, totRecv = 0, totPk = 0, totLost = 0, jitSum = 0;
    // the server has only its own side: the sender line of what it sends, the receiver line of what it receives
    const showSender = !server || mustSend;
    const showReceiver = !server || !mustSend;
    for (const s of mine) {
      const sent = s.bytes;
      const recv = s.recv.reduce((a, iv) => a + (iv.omitted ? 0 : iv.bytes), 0);
      totSent += sent; totRecv += recv; totPk += s.packets; totLost += s.lost; jitSum += s.jitter;
      const line = (secs: number, bytes: number) => `${id(s.fd)}${role} ${interval(0, secs)} sec  ${unitSnprintf(bytes, 'A')}s  ${unitSnprintf(secs > 0 ? bytes / secs : 0, fmt)}s/sec`;
      if (!o.udp) {
        if (showSender) out.push(`${line(senderTime, sent)}  ${String(0).padStart(3)}             sender`);
        if (showReceiver) out.push(`${line(receiverTime, recv)}                  receiver`);
      } else {
        if (showSender) out.push(`${line(senderTime, sent)}  ${fixed(0, 3).padStart(5)} ms  0/${s.packets} (0%)  sender`);
        if (showReceiver) out.push(`${line(receiverTime, recv)}  ${fixed(s.jitter * 1000, 3).padStart(5)} ms  ${s.lost}/${s.packets} (${fmtG(s.packets ? (100 * s.lost) / s.packets : 0, 2)}%)  receiver`);
      }
    }
    if (o.streams > 1) {
      const sum = (secs: number, bytes: number) => `[SUM]${role} ${interval(0, secs)} sec  ${unitSnprintf(bytes, 'A')}s  ${unitSnprintf(secs > 0 ? bytes / secs : 0, fmt)}s/sec`;
      if (!o.udp) {
        if (showSender) out.push(`${sum(senderTime, totSent)}  ${String(0).padStart(3)}             sender`);
        if (showReceiver) out.push(`${sum(receiverTime, totRecv)}                  receiver`);
      } else {
        if (showSender) out.push(`${sum(senderTime, totSent)}  ${fixed(0, 3).padStart(5)} ms  0/${totPk} (0%)  sender`);
        if (showReceiver) out.push(`${sum(receiverTime, totRecv)}  ${fixed((jitSum / o.streams) * 1000, 3).padStart(5)} ms  ${totLost}/${totPk} (${fmtG(totPk ? (100 * totLost) / totPk : 0, 2)}%)  receiver`);
      }
    }
    if (o.verbose && !server) {
      if (mustSend) {
        const c = cpuUtil(t);
        const cpu = (a: string, b: string) => `CPU Utilization: local/${a} ${fixed(c[0], 1)}% (${fixed(c[1], 1)}%u/${fixed(c[2], 1)}%s), remote/${b} ${fixed(c[3], 1)}% (${fixed(c[4], 1)}%u/${fixed(c[5], 1)}%s)`;
        out.push(cpu('sender', 'receiver'), cpu('receiver', 'sender'));
      }
      if (!o.udp) out.push('snd_tcp_congestion cubic', 'rcv_tcp_congestion cubic');
    }
  }
  return out;
}

function bidirTail(t: TestRun): string {
  let out = SEPARATOR;
  if (t.o.verbose) out += 'Test Complete. Summary Results:\n';
  return out + bidirSummary(t, false).map((l) => l + '\n').join('') + '\niperf Done.\n';
}

/** The "start" object as far as the test got: connected streams, on_connect's keys, the TCP buffer sizes, test_start. */
function startObject(t: TestRun, started: boolean): JObject {
  const { o, streams } = t;
  const start: JObject = {
    connected: streams.map((s) => ({ socket: s.fd, local_host: s.localIp, local_port: s.localPort, remote_host: s.remoteIp, remote_port: s.remotePort })),
    version: VERSION,
    system_info: systemInfo(t.ctx),
    timestamp: { time: rfc1123(t.t0), timesecs: Math.floor(t.t0 / 1000) },
    connecting_to: { host: t.host, port: o.port },
    cookie: t.cookie,
  };
  if (!o.udp) {
    if (o.mss) start.tcp_mss = o.mss;
    else start.tcp_mss_default = t.model.mss;
  }
  start.target_bitrate = o.rate ?? 0;
  start.fq_rate = 0;
  if (!o.udp && streams.length) {
    // iperf_tcp.c: SO_SNDBUF / SO_RCVBUF as the kernel set them (net.ipv4.tcp_wmem / tcp_rmem defaults)
    start.sock_bufsize = o.window;
    start.sndbuf_actual = t.sockBuf ?? 16384;
    start.rcvbuf_actual = t.sockBuf ?? 131072;
  }
  if (started) start.test_start = { protocol: o.udp ? 'UDP' : 'TCP', num_streams: o.streams, blksize: t.blk, omit: o.omit, duration: o.duration, bytes: o.bytes, blocks: o.blocks, reverse: o.reverse ? 1 : 0, tos: 0, target_bitrate: o.rate ?? 0, bidir: 0, fqrate: 0, interval: o.interval };
  return start;
}

function jsonReport(t: TestRun): string {
  const { o, streams } = t;
  const sender = !o.reverse;
  const start = startObject(t, true);
  const intervals = o.interval > 0 ? t.ivs.map((_, i) => {
    const per: JObject[] = streams.map((s): JObject => {
      const iv = (sender ? s.send : s.recv)[i];
      const len = iv.et - iv.st;
      const bps = (iv.bytes / len) * 8;
      if (!o.udp && sender) return { socket: s.fd, start: iv.st, end: iv.et, seconds: len, bytes: iv.bytes, bits_per_second: bps, retransmits: iv.retr, snd_cwnd: iv.cwnd, snd_wnd: 3145728, rtt: Math.round(t.model.rttMs * 1000), rttvar: Math.round(t.model.rttMs * 250), pmtu: t.model.mtu, omitted: !!iv.omitted, sender: true };
      if (!o.udp) return { socket: s.fd, start: iv.st, end: iv.et, seconds: len, bytes: iv.bytes, bits_per_second: bps, omitted: !!iv.omitted, sender: false };
      if (sender) return { socket: s.fd, start: iv.st, end: iv.et, seconds: len, bytes: iv.bytes, bits_per_second: bps, packets: iv.packets, omitted: !!iv.omitted, sender: true };
      return { socket: s.fd, start: iv.st, end: iv.et, seconds: len, bytes: iv.bytes, bits_per_second: bps, jitter_ms: iv.jitter * 1000, lost_packets: iv.lost, packets: iv.packets, lost_percent: iv.packets ? (100 * iv.lost) / iv.packets : 0, omitted: !!iv.omitted, sender: false };
    });
    const first = (sender ? streams[0].send : streams[0].recv)[i];
    const len = first.et - first.st;
    const bytes = per.reduce((a, x) => a + (x.bytes as number), 0);
    const base = { start: first.st, end: first.et, seconds: len, bytes, bits_per_second: (bytes / len) * 8 };
    const om = !!t.omitted?.[i];
    const lostSum = per.reduce((a, x) => a + ((x.lost_packets as number) ?? 0), 0);
    const pkSum = per.reduce((a, x) => a + ((x.packets as number) ?? 0), 0);
    const sum: JObject = !o.udp ? (sender ? { ...base, retransmits: 0, omitted: om, sender: true } : { ...base, omitted: om, sender: false }) : sender ? { ...base, packets: pkSum, omitted: om, sender: true } : { ...base, jitter_ms: per.reduce((a, x) => a + (x.jitter_ms as number), 0) / per.length, lost_packets: lostSum, packets: pkSum, lost_percent: pkSum ? (100 * lostSum) / pkSum : 0, omitted: om, sender: false };
    return { streams: per, sum };
  }) : [];
  const remote = Math.round((t.secs + t.remoteExtra) * 100) / 100;
  const senderTime = o.reverse ? remote : t.secs;
  const receiverTime = o.reverse ? t.secs : remote;
  const endStreams = streams.map((s): JObject => {
    const recv = s.recv.reduce((a, iv) => a + (iv.omitted ? 0 : iv.bytes), 0);
    if (o.udp) return { udp: { socket: s.fd, start: 0, end: senderTime, seconds: senderTime, bytes: s.bytes, bits_per_second: (s.bytes / senderTime) * 8, jitter_ms: s.jitter * 1000, lost_packets: s.lost, packets: s.packets, lost_percent: s.packets ? (100 * s.lost) / s.packets : 0, out_of_order: 0, sender } };
    return {
      sender: { socket: s.fd, start: 0, end: senderTime, seconds: senderTime, bytes: s.bytes, bits_per_second: (s.bytes / senderTime) * 8, retransmits: 0, max_snd_cwnd: s.maxCwnd, max_snd_wnd: 3145728, max_rtt: Math.round(t.model.rttMs * 1300), min_rtt: Math.round(t.model.rttMs * 600), mean_rtt: Math.round(t.model.rttMs * 1000), sender },
      // "seconds" is the local stream's own end_time, whichever side this is (iperf_print_results)
      receiver: { socket: s.fd, start: 0, end: receiverTime, seconds: t.secs, bytes: recv, bits_per_second: (recv / receiverTime) * 8, sender },
    };
  });
  const totSent = streams.reduce((a, s) => a + s.bytes, 0);
  const totRecv = streams.reduce((a, s) => a + s.recv.reduce((b, iv) => b + (iv.omitted ? 0 : iv.bytes), 0), 0);
  const totPk = streams.reduce((a, s) => a + s.packets, 0);
  const totLost = streams.reduce((a, s) => a + s.lost, 0);
  const jit = (streams.reduce((a, s) => a + s.jitter, 0) / streams.length) * 1000;
  const c = cpuUtil(t);
  const end: JObject = { streams: endStreams };
  if (o.udp) {
    end.sum = { start: 0, end: receiverTime, seconds: receiverTime, bytes: totSent, bits_per_second: (totRecv / receiverTime) * 8, jitter_ms: jit, lost_packets: totLost, packets: totPk, lost_percent: totPk ? (100 * totLost) / totPk : 0, sender };
    end.sum_sent = { start: 0, end: senderTime, seconds: senderTime, bytes: totSent, bits_per_second: (totSent * 8) / senderTime, jitter_ms: 0, lost_packets: 0, packets: totPk, lost_percent: 0, sender: true };
    end.sum_received = { start: 0, end: receiverTime, seconds: receiverTime, bytes: totRecv, bits_per_second: (totRecv * 8) / receiverTime, jitter_ms: jit, lost_packets: totLost, packets: totPk, lost_percent: totPk ? (100 * totLost) / totPk : 0, sender: false };
  } else {
    end.sum_sent = { start: 0, end: senderTime, seconds: senderTime, bytes: totSent, bits_per_second: (totSent / senderTime) * 8, retransmits: 0, sender };
    end.sum_received = { start: 0, end: receiverTime, seconds: receiverTime, bytes: totRecv, bits_per_second: (totRecv / receiverTime) * 8, sender };
  }
  end.cpu_utilization_percent = { host_total: c[0], host_user: c[1], host_system: c[2], remote_total: c[3], remote_user: c[4], remote_system: c[5] };
  if (!o.udp) {
    end.sender_tcp_congestion = 'cubic';
    end.receiver_tcp_congestion = 'cubic';
  }
  return cjsonPrint(o.title !== undefined ? { start, intervals, end, title: o.title } : { start, intervals, end }) + '\n';
}

/**
 * The server's side of one test, as `iperf3 -s` writes it to its stdout (the container's log):
 * the banner for this test number, on_connect's `Accepted connection from`, its stream, its
 * intervals (the receiver's, or the sender's with -R), the summary lines a server prints (the
 * other side's statistics are not available to it), flushed together at the test's end.
 */
function serverSide(t: TestRun, pod: PodInfo | undefined, node: string | undefined, serverIp: string, clientIp: string, clientPort: number): void {
  const cluster = t.ctx.cluster;
  // a server started by hand in the Pod (dataplane/started.ts) holds the port: its output goes
  // where it writes — its terminal (the banner of the next test follows at once, stdout being
  // line-buffered there), its --logfile (flushed at the test's end, as the log below), or nowhere;
  // on a node (its shell, a hostNetwork Pod) the one holding the node's port
  const procs = startedProcesses(cluster);
  const holds = (p: { listeners: { port: number; app: string }[] }) => p.listeners.some((l) => l.port === t.o.port && l.app === 'iperf3');
  const onNode = node !== undefined && (!pod || pod.hostNetwork) ? procs.onNode(node, () => true).find(holds) : undefined;
  const proc = onNode ?? (pod && !pod.hostNetwork ? procs.inPod(pod).find(holds) : undefined);
  if (proc) {
    proc.served++;
    const json = proc.listeners[0].params?.json === '1';
    const oneOff = proc.listeners[0].params?.oneOff === '1';
    const lines = json ? [] : serverLines(t, serverIp, clientIp, clientPort);
    if (proc.sink.kind === 'tty') procs.write(proc, lines.map((l) => l + '\n').join('') + (oneOff || json ? '' : `${DASHES}Server listening on ${t.o.port} (test #${proc.served + 1})\n${DASHES}`));
    else procs.write(proc, (json ? '' : `${DASHES}Server listening on ${t.o.port} (test #${proc.served})\n${DASHES}`) + lines.map((l) => l + '\n').join(''));
    // -1: one test, then the loop in main.c run() breaks and iperf3 exits 0
    if (oneOff) procs.stop(proc, 0);
    return;
  }
  if (!pod) return;
  const ns = pod.namespace;
  const name = pod.name;
  const containers = ((pod.obj as { spec?: { containers?: { name: string; command?: string[]; args?: string[] }[] } }).spec?.containers ?? []);
  const c = containers.find((x) => iperf3Port([...(x.command ?? []), ...(x.args ?? [])]) === t.o.port);
  if (!c) return;
  const prior = cluster.logs.read(ns, name, c.name).filter((l) => l.startsWith('Server listening on ')).length;
  const lines: string[] = [];
  const add = (s: string) => lines.push(...s.replace(/\n$/, '').split('\n'));
  add(`${DASHES}Server listening on ${t.o.port} (test #${prior + 1})\n${DASHES}`);
  lines.push(...serverLines(t, serverIp, clientIp, clientPort));
  for (const l of lines) cluster.logs.append(ns, name, c.name, l);
}

/**
 * The server's side of one test after its banner: on_connect's `Accepted connection from`,
 * its stream, its intervals (the receiver's, or the sender's with -R), the summary lines a
 * server prints (the other side's statistics are not available to it).
 */
function serverLines(t: TestRun, serverIp: string, clientIp: string, clientPort: number): string[] {
  const { o, streams } = t;
  const lines: string[] = [];
  const add = (s: string) => lines.push(...s.replace(/\n$/, '').split('\n'));
  add(`Accepted connection from ${clientIp}, port ${clientPort}`);
  if (o.bidir) {
    // the server's stream list: the client's sending streams first (its RX-S), then the others
    for (const s of streams) add(`${id(s.fd)} local ${serverIp} port ${o.port} connected to ${clientIp} port ${s.localPort}`);
    // the receiving streams' last, short interval (what was in flight at the end) is the server's too
    const n = Math.max(...streams.map((s) => (s.tx ? s.recv : s.send).length));
    if (o.interval > 0) for (let i = 0; i < n; i++) lines.push(...bidirRows(t, i, true));
    add(SEPARATOR);
    lines.push(...bidirSummary(t, true));
    return lines;
  }
  const serverSends = o.reverse;
  for (const s of streams) add(`${id(s.fd)} local ${serverIp} port ${o.port} connected to ${clientIp} port ${s.localPort}`);
  const rows = (s: StreamRun) => (serverSends ? s.send : s.recv);
  const n = Math.max(...streams.map((s) => rows(s).length));
  if (o.interval > 0) {
    for (let i = 0; i < n; i++) {
      if (i === 0) {
        if (!o.udp) add(serverSends ? '[ ID] Interval           Transfer     Bitrate         Retr  Cwnd' : '[ ID] Interval           Transfer     Bitrate');
        else add(serverSends ? '[ ID] Interval           Transfer     Bitrate         Total Datagrams' : '[ ID] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams');
      } else if (o.streams > 1) add(SEPARATOR);
      for (const s of streams) {
        const iv = rows(s)[i];
        if (!iv) continue;
        const len = iv.et - iv.st;
        const u = unitSnprintf(iv.bytes, 'A');
        const b = unitSnprintf(iv.bytes / len, 'a');
        if (!o.udp) add(serverSends ? `${id(s.fd)} ${interval(iv.st, iv.et)} sec  ${u}s  ${b}s/sec  ${String(iv.retr).padStart(3)}   ${unitSnprintf(iv.cwnd, 'A')}s       ` : `${id(s.fd)} ${interval(iv.st, iv.et)} sec  ${u}s  ${b}s/sec                  `);
        else add(serverSends ? `${id(s.fd)} ${interval(iv.st, iv.et)} sec  ${u}s  ${b}s/sec  ${iv.packets}  ` : `${id(s.fd)} ${interval(iv.st, iv.et)} sec  ${u}s  ${b}s/sec  ${fixed(iv.jitter * 1000, 3).padStart(5)} ms  ${iv.lost}/${iv.packets} (${fmtG(iv.packets ? (100 * iv.lost) / iv.packets : 0, 2)}%)  `);
      }
    }
  }
  add(SEPARATOR);
  const remote = Math.round((t.secs + t.remoteExtra) * 100) / 100;
  // the server's own summary: Retr when it sent (its sender_has_retransmits), as the client's is
  add(o.udp ? '[ ID] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams' : serverSends ? '[ ID] Interval           Transfer     Bitrate         Retr' : '[ ID] Interval           Transfer     Bitrate');
  for (const s of streams) {
    const recv = s.recv.reduce((a, iv) => a + (iv.omitted ? 0 : iv.bytes), 0);
    if (serverSends) {
      if (!o.udp) add(`${id(s.fd)} ${interval(0, remote)} sec  ${unitSnprintf(s.bytes, 'A')}s  ${unitSnprintf(s.bytes / remote, 'a')}s/sec  ${String(0).padStart(3)}             sender`);
      else add(`${id(s.fd)} ${interval(0, remote)} sec  ${unitSnprintf(s.bytes, 'A')}s  ${unitSnprintf(s.bytes / remote, 'a')}s/sec  ${fixed(0, 3).padStart(5)} ms  0/${s.packets} (0%)  sender`);
    } else if (!o.udp) add(`${id(s.fd)} ${interval(0, remote)} sec  ${unitSnprintf(recv, 'A')}s  ${unitSnprintf(recv / remote, 'a')}s/sec                  receiver`);
    else add(`${id(s.fd)} ${interval(0, remote)} sec  ${unitSnprintf(recv, 'A')}s  ${unitSnprintf(recv / remote, 'a')}s/sec  ${fixed(s.jitter * 1000, 3).padStart(5)} ms  ${s.lost}/${s.packets} (${fmtG(s.packets ? (100 * s.lost) / s.packets : 0, 2)}%)  receiver`);
  }
  return lines;
}

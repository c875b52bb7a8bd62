/**
 * `cilium-dbg monitor`'s lines (cilium/cilium v1.18 branch point 3abf4c111c^, pkg/monitor):
 * format/format.go MonitorFormatter picks the event's dumper; at INFO and DEBUG verbosity
 * (no -v, or one) every event is one line:
 *
 * - drop (datapath_drop.go DropNotify.DumpInfo):
 *   `xx drop (REASON) flow HASH to endpoint DSTID, ifindex N, file FILE:LINE, ` and then
 *   dumpIdentity's `, identity SRC->DST` (so the line shows `, , identity`), `: ` and the
 *   packet's summary;
 * - trace (datapath_trace.go TraceNotify.DumpInfo): traceSummary (`-> endpoint N`,
 *   `-> overlay`, `-> stack`, …), ` flow HASH `, `, identity SRC->DST`, ` state REASON
 *   ifindex IFNAME orig-ip IP: ` and the summary; IFNAME is the link cache's name of the
 *   index, the number itself when there is no such link (0);
 * - policy verdict (datapath_policy.go PolicyVerdictNotify.DumpInfo): `Policy verdict log:
 *   flow HASH local EP ID N, remote ID ID, proto P, ingress|egress, action allow|deny,
 *   auth: disabled, match TYPE, ` and the summary.
 *
 * HASH is Go's `%#x` (`0` for zero). Identities print as NumericIdentity.String() (reserved
 * ones by name: host, world, remote-node, …), or as numbers with -n. The summary is
 * dissect.go GetConnectionSummary: `SRC:SPORT -> DST:DPORT tcp FLAGS` (getTCPInfo: SYN,
 * ACK, RST, FIN in that order, PSH not shown), `… udp`, `SRC -> DST icmp TYPECODE`
 * (gopacket's ICMPv4TypeCode names).
 */

export interface MonitorPacket {
  src: string;
  dst: string;
  proto: 'tcp' | 'udp' | 'icmp';
  sport?: number;
  dport?: number;
  tcpFlags?: readonly string[];
  icmp?: { type: number; code: number };
}

interface Common {
  /** The endpoint ID of the program that sent the event (EVENT_SOURCE): the filters' source. */
  source: number;
  /** The skb's flow hash. */
  hash: number;
  packet: MonitorPacket;
}

export interface DropEvent extends Common {
  type: 'drop';
  reason: string;
  dstId: number;
  ifindex: number;
  file: string;
  line: number;
  srcIdentity: number;
  dstIdentity: number;
}

export interface TraceEvent extends Common {
  type: 'trace';
  /** pkg/monitor/api TraceObservationPoint: to-endpoint, to-overlay, to-stack, … */
  point: string;
  dstId: number;
  srcIdentity: number;
  dstIdentity: number;
  /** traceReasons: new, established, reply, related. */
  state: string;
  /** The link cache's name for the ifindex, or the number. */
  ifname: string;
  origIp: string;
}

export interface PolicyVerdictEvent extends Common {
  type: 'policy-verdict';
  remoteIdentity: number;
  ingress: boolean;
  allowed: boolean;
  match: string;
}

export type MonitorEvent = DropEvent | TraceEvent | PolicyVerdictEvent;

/** pkg/identity reservedIdentityNames. */
const RESERVED: Record<number, string> = { 0: 'unknown', 1: 'host', 2: 'world', 3: 'unmanaged', 4: 'health', 5: 'init', 6: 'remote-node', 7: 'kube-apiserver', 8: 'ingress', 9: 'world-ipv4', 10: 'world-ipv6' };

function identity(id: number, numeric: boolean): string {
  return numeric ? String(id) : RESERVED[id] ?? String(id);
}

/** Go's `%#x`. */
export function goHex(n: number): string {
  return n === 0 ? '0' : `0x${(n >>> 0).toString(16)}`;
}

/** gopacket layers/icmp4.go: the type names, and the code names of the types that have them. */
const ICMP4: Record<number, [string, string[]?]> = {
  0: ['EchoReply'],
  3: ['DestinationUnreachable', ['Net', 'Host', 'Protocol', 'Port', 'FragmentationNeeded', 'SourceRoutingFailed', 'NetUnknown', 'HostUnknown', 'SourceIsolated', 'NetAdminProhibited', 'HostAdminProhibited', 'NetTOS', 'HostTOS', 'CommAdminProhibited', 'HostPrecedence', 'PrecedenceCutoff']],
  4: ['SourceQuench'],
  5: ['Redirect', ['Network', 'Host', 'TOS+Network', 'TOS+Host']],
  8: ['EchoRequest'],
  9: ['RouterAdvertisement'],
  10: ['RouterSolicitation'],
  11: ['TimeExceeded', ['TTLExceeded', 'FragmentReassemblyTimeExceeded']],
  12: ['ParameterProblem', ['PointerIndicatesError', 'MissingOption', 'BadLength']],
  13: ['TimestampRequest'],
  14: ['TimestampReply'],
  15: ['InfoRequest'],
  16: ['InfoReply'],
  17: ['AddressMaskRequest'],
  18: ['AddressMaskReply'],
};

/** gopacket ICMPv4TypeCode.String(). */
function icmpTypeCode(type: number, code: number): string {
  const info = ICMP4[type];
  if (!info) return `${type}(${code})`;
  const [name, codes] = info;
  if (!codes) return code === 0 ? name : `${name}(Code: ${code})`;
  return codes[code] !== undefined ? `${name}(${codes[code]})` : `${name}(Code: ${code})`;
}

/** dissect.go GetConnectionSummary. */
export function connectionSummary(p: MonitorPacket): string {
  if (p.proto === 'icmp') return `${p.src} -> ${p.dst} icmp ${icmpTypeCode(p.icmp?.type ?? 0, p.icmp?.code ?? 0)}`;
  let s = `${p.src}:${p.sport ?? 0} -> ${p.dst}:${p.dport ?? 0} ${p.proto}`;
  if (p.proto === 'tcp') s += ` ${['SYN', 'ACK', 'RST', 'FIN'].filter((f) => p.tcpFlags?.includes(f)).join(', ')}`;
  return s;
}

const PROTO_NUMBERS = { tcp: 6, udp: 17, icmp: 1 } as const;

function traceSummary(e: TraceEvent): string {
  switch (e.point) {
    case 'to-endpoint':
      return `-> endpoint ${e.dstId}`;
    case 'to-proxy':
      return `-> proxy${e.dstId ? ` port ${e.dstId}` : ''}`;
    case 'to-host':
      return '-> host from';
    case 'to-stack':
      return '-> stack';
    case 'to-overlay':
      return '-> overlay';
    case 'to-network':
      return '-> network';
    case 'from-endpoint':
      return `<- endpoint ${e.source}`;
    default:
      return 'unknown trace';
  }
}

/** One event as the INFO (and DEBUG) formatter prints it. */
export function monitorLine(e: MonitorEvent, numeric: boolean): string {
  const summary = connectionSummary(e.packet);
  switch (e.type) {
    case 'drop':
      return `xx drop (${e.reason}) flow ${goHex(e.hash)} to endpoint ${e.dstId}, ifindex ${e.ifindex}, file ${e.file}:${e.line}, , identity ${identity(e.srcIdentity, numeric)}->${identity(e.dstIdentity, numeric)}: ${summary}\n`;
    case 'trace':
      return `${traceSummary(e)} flow ${goHex(e.hash)} , identity ${identity(e.srcIdentity, numeric)}->${identity(e.dstIdentity, numeric)} state ${e.state} ifindex ${e.ifname} orig-ip ${e.origIp}: ${summary}\n`;
    case 'policy-verdict':
      return `Policy verdict log: flow ${goHex(e.hash)} local EP ID ${e.source}, remote ID ${identity(e.remoteIdentity, numeric)}, proto ${PROTO_NUMBERS[e.packet.proto]}, ${e.ingress ? 'ingress' : 'egress'}, action ${e.allowed ? 'allow' : 'deny'}, auth: disabled, match ${e.match}, ${summary}\n`;
  }
}

/** The endpoint IDs MonitorFormatter.match compares with --from/--to/--related-to: (source, destination). */
export function matchIds(e: MonitorEvent): [number, number] {
  // policyVerdictEvents passes the remote identity, cut to 16 bits, as the destination
  if (e.type === 'policy-verdict') return [e.source, e.remoteIdentity & 0xffff];
  return [e.source, e.dstId & 0xffff];
}

/**
 * `hubble observe`'s output formats, ported from cilium/cilium hubble/pkg/printer/printer.go
 * (WriteProtoFlow, GetHostNames, Hostname, fmtIdentity, GetFlowType, getVerdict):
 *
 *   compact  `Dec  7 04:01:02.123: default/client:40000 (ID:12345) -> default/web-…:80 (ID:2345) to-endpoint FORWARDED (TCP Flags: SYN)`
 *   dict     `  TIMESTAMP: …` blocks separated by `------------`
 *   table    Go tabwriter (minwidth 2, padding 3): TIMESTAMP SOURCE DESTINATION TYPE VERDICT SUMMARY
 *   jsonpb   one GetFlowsResponse a line, as protojson (UseProtoNames) writes flow.proto's fields
 *            in declaration order, zero values left out; `json` is its alias.
 *
 * Timestamps use Go's time.StampMilli ("Jan _2 15:04:05.000"), the CLI's default
 * --time-format, in UTC (the simulated workstation's zone).
 */
import { tabwrite } from '../kubectl/tabwriter';
import { DROP_REASONS, MessageType, RESERVED_IDENTITIES, TRACE_POINTS, type Flow, type FlowEndpoint } from '../../dataplane/flows';

export type HubbleOutput = 'compact' | 'dict' | 'table' | 'jsonpb';

export interface PrintOptions {
  output: HubbleOutput;
  nodeName?: boolean;
  /** --ip-translation (default true; --numeric turns it off): pod names instead of addresses. */
  ipTranslation?: boolean;
  /** --time-format: a hubble/pkg/time format name (StampMilli by default, and for any unknown name). */
  timeFormat?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Go's time.StampMilli: "Jan _2 15:04:05.000". */
export function stampMilli(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[d.getUTCMonth()]} ${day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Go's ".999…" fraction: up to `digits` digits, trailing zeros (and a bare dot) removed. */
function trimmedFraction(t: { ms: number; nanos: number }, digits: number): string {
  const ns = (t.ms % 1000) * 1e6 + t.nanos;
  const s = String(ns).padStart(9, '0').slice(0, digits).replace(/0+$/, '');
  return s ? `.${s}` : '';
}

/** hubble/pkg/time FormatNameToLayout, formatted in UTC. */
export function formatTime(t: { ms: number; nanos: number }, name = 'StampMilli'): string {
  const d = new Date(t.ms);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  const hms = `${hm}:${pad2(d.getUTCSeconds())}`;
  switch (name.toLowerCase()) {
    case 'yearmonthday': return date;
    case 'yearmonthdayhour': return `${date}T${pad2(d.getUTCHours())}Z`;
    case 'yearmonthdayhourminute': return `${date}T${hm}Z`;
    case 'rfc3339': return `${date}T${hms}Z`;
    case 'rfc3339milli': return `${date}T${hms}${trimmedFraction(t, 3)}Z`;
    case 'rfc3339micro': return `${date}T${hms}${trimmedFraction(t, 6)}Z`;
    case 'rfc3339nano': return `${date}T${hms}${trimmedFraction(t, 9)}Z`;
    case 'rfc1123z': return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hms} +0000`;
    default: return stampMilli(t.ms);
  }
}

/** protojson's Timestamp: RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits. */
export function protoTimestamp(t: { ms: number; nanos: number }): string {
  const whole = Math.floor(t.ms / 1000) * 1000;
  const nanos = (t.ms - whole) * 1e6 + t.nanos;
  const base = new Date(whole).toISOString().slice(0, 19);
  let frac = '';
  if (nanos !== 0) {
    const s = String(nanos).padStart(9, '0');
    frac = '.' + (nanos % 1e6 === 0 ? s.slice(0, 3) : nanos % 1e3 === 0 ? s.slice(0, 6) : s);
  }
  return `${base}${frac}Z`;
}

/** net.JoinHostPort for IPv4 and names. */
function hostname(f: Flow, ep: FlowEndpoint, ip: string, port: number | undefined, opts: PrintOptions): string {
  let host = ip;
  const svc = ep === f.source ? f.sourceService : f.destinationService;
  if (opts.ipTranslation !== false) {
    if (ep.podName) host = ep.namespace ? `${ep.namespace}/${ep.podName}` : ep.podName;
    else if (svc) host = `${svc.namespace}/${svc.name}`;
  }
  return port ? `${host}:${port}` : host;
}

function ports(f: Flow): [number | undefined, number | undefined] {
  if (f.l4.protocol === 'ICMPv4') return [undefined, undefined];
  return [f.l4.sourcePort, f.l4.destinationPort];
}

function fmtIdentity(id: number): string {
  return RESERVED_IDENTITIES[id] ? `(${RESERVED_IDENTITIES[id]})` : `(ID:${id})`;
}

const MATCH_TYPES = ['none', 'L3-Only', 'L3-L4', 'L4-Only', 'all'];

/** printer.go GetFlowType. */
export function flowType(f: Flow): string {
  if (f.l7) {
    const l7Type = f.l7.type.toLowerCase();
    if (f.l7.http) return `http-${l7Type}`;
    if (f.l7.dns) return `dns-${l7Type} ${f.l7.dns.observationSource ?? ''}`;
    return `l7-${l7Type}`;
  }
  switch (f.eventType.type) {
    case MessageType.trace:
      return TRACE_POINTS.find((t) => t.sub === f.eventType.subType)?.name ?? String(f.eventType.subType);
    case MessageType.drop:
      return DROP_REASONS[f.eventType.subType]?.text ?? String(f.eventType.subType);
    case MessageType.policyVerdict:
      return `policy-verdict:${MATCH_TYPES[f.policyMatchType ?? 0] ?? 'unknown'} ${f.trafficDirection ?? 'TRAFFIC_DIRECTION_UNKNOWN'}`;
  }
  return 'UNKNOWN';
}

/** printer.go getVerdict: policy verdicts say ALLOWED / DENIED / AUDITED. */
export function verdictText(f: Flow): string {
  const pv = f.eventType.type === MessageType.policyVerdict;
  if (pv && (f.verdict === 'FORWARDED' || f.verdict === 'REDIRECTED')) return 'ALLOWED';
  if (pv && (f.verdict === 'DROPPED' || f.verdict === 'ERROR')) return 'DENIED';
  if (pv && f.verdict === 'AUDIT') return 'AUDITED';
  return f.verdict;
}

function hosts(f: Flow, opts: PrintOptions): [string, string] {
  const [sp, dp] = ports(f);
  return [hostname(f, f.source, f.ip.source, sp, opts), hostname(f, f.destination, f.ip.destination, dp, opts)];
}

export function compactLine(f: Flow, opts: PrintOptions): string {
  let [src, dst] = hosts(f, opts);
  let [srcId, dstId] = [fmtIdentity(f.source.identity), fmtIdentity(f.destination.identity)];
  let arrow = '->';
  if (f.isReply === undefined) arrow = '<>';
  else if (f.isReply) {
    [src, dst] = [dst, src];
    [srcId, dstId] = [dstId, srcId];
    arrow = '<-';
  }
  const node = opts.nodeName ? ` [${f.nodeName}]` : '';
  return `${formatTime(f.time, opts.timeFormat)}${node}: ${src} ${srcId} ${arrow} ${dst} ${dstId} ${flowType(f)} ${verdictText(f)} (${f.summary})\n`;
}

// ---- jsonpb -------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function endpointJson(ep: FlowEndpoint): Json {
  const o: Json = {};
  if (ep.id) o.ID = ep.id;
  if (ep.identity) o.identity = ep.identity;
  if (ep.namespace) o.namespace = ep.namespace;
  if (ep.labels.length) o.labels = ep.labels;
  if (ep.podName) o.pod_name = ep.podName;
  if (ep.workloads?.length) o.workloads = ep.workloads.map((w) => ({ name: w.name, kind: w.kind }));
  return o;
}

const TCP_FLAG_ORDER = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'] as const;

function l4Json(f: Flow): Json {
  const l4 = f.l4;
  if (l4.protocol === 'ICMPv4') {
    const o: Json = {};
    if (l4.icmp?.type) o.type = l4.icmp.type;
    if (l4.icmp?.code) o.code = l4.icmp.code;
    return { ICMPv4: o };
  }
  const o: Json = {};
  if (l4.sourcePort) o.source_port = l4.sourcePort;
  if (l4.destinationPort) o.destination_port = l4.destinationPort;
  if (l4.protocol === 'TCP' && l4.flags?.length) {
    const flags: Json = {};
    for (const k of TCP_FLAG_ORDER) if (l4.flags.includes(k)) flags[k] = true;
    o.flags = flags;
  }
  return { [l4.protocol]: o };
}

function l7Json(f: Flow): Json | undefined {
  const l7 = f.l7;
  if (!l7) return undefined;
  const o: Json = { type: l7.type };
  if (l7.latencyNs) o.latency_ns = String(l7.latencyNs);
  if (l7.dns) {
    const d = l7.dns;
    const dns: Json = { query: d.query };
    if (d.ips?.length) dns.ips = d.ips;
    if (d.ttl) dns.ttl = d.ttl;
    if (d.cnames?.length) dns.cnames = d.cnames;
    if (d.observationSource) dns.observation_source = d.observationSource;
    if (d.rcode) dns.rcode = d.rcode;
    if (d.qtypes.length) dns.qtypes = d.qtypes;
    if (d.rrtypes?.length) dns.rrtypes = d.rrtypes;
    o.dns = dns;
  }
  if (l7.http) {
    const h = l7.http;
    const http: Json = {};
    if (h.code) http.code = h.code;
    http.method = h.method;
    http.url = h.url;
    http.protocol = h.protocol;
    if (h.headers?.length) http.headers = h.headers;
    o.http = http;
  }
  return o;
}

/** flow.Flow as protojson writes it (declaration order, defaults omitted). */
export function flowJson(f: Flow): Json {
  const o: Json = { time: protoTimestamp(f.time), uuid: f.uuid, verdict: f.verdict };
  if (f.dropReason) o.drop_reason = f.dropReason;
  o.IP = { source: f.ip.source, destination: f.ip.destination, ipVersion: 'IPv4' };
  o.l4 = l4Json(f);
  o.source = endpointJson(f.source);
  o.destination = endpointJson(f.destination);
  o.Type = f.type;
  o.node_name = f.nodeName;
  const l7 = l7Json(f);
  if (l7) o.l7 = l7;
  const et: Json = { type: f.eventType.type };
  if (f.eventType.subType) et.sub_type = f.eventType.subType;
  o.event_type = et;
  if (f.sourceService) o.source_service = { name: f.sourceService.name, namespace: f.sourceService.namespace };
  if (f.destinationService) o.destination_service = { name: f.destinationService.name, namespace: f.destinationService.namespace };
  if (f.trafficDirection) o.traffic_direction = f.trafficDirection;
  if (f.policyMatchType) o.policy_match_type = f.policyMatchType;
  if (f.traceObservationPoint) o.trace_observation_point = f.traceObservationPoint;
  if (f.dropReason) o.drop_reason_desc = DROP_REASONS[f.dropReason]?.desc ?? String(f.dropReason);
  if (f.isReply !== undefined) o.is_reply = f.isReply;
  o.Summary = f.summary;
  return o;
}

/** Go's json.Encoder escapes <, > and & (SetEscapeHTML defaults to true). */
function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** observer.GetFlowsResponse: {"flow":…,"node_name":…,"time":…}. */
export function jsonLine(f: Flow): string {
  return goJson({ flow: flowJson(f), node_name: f.nodeName, time: protoTimestamp(f.time) }) + '\n';
}

// ---- the printer --------------------------------------------------------------------------

/** Prints flows as `hubble observe` does; `first` says whether this is the first batch (headers, separators). */
export function printFlows(flows: Flow[], opts: PrintOptions, first = true): string {
  switch (opts.output) {
    case 'compact':
      return flows.map((f) => compactLine(f, opts)).join('');
    case 'jsonpb':
      return flows.map(jsonLine).join('');
    case 'dict':
      return flows
        .map((f, i) => {
          const [src, dst] = hosts(f, opts);
          const sep = i > 0 || !first ? '------------\n' : '';
          const node = opts.nodeName ? `       NODE: ${f.nodeName}\n` : '';
          return `${sep}  TIMESTAMP: ${formatTime(f.time, opts.timeFormat)}\n${node}     SOURCE: ${src}\nDESTINATION: ${dst}\n       TYPE: ${flowType(f)}\n    VERDICT: ${verdictText(f)}\n    SUMMARY: ${f.summary}\n`;
        })
        .join('');
    case 'table': {
      if (!flows.length) return '';
      const head = opts.nodeName ? 'TIMESTAMP\tNODE\tSOURCE\tDESTINATION\tTYPE\tVERDICT\tSUMMARY\n' : 'TIMESTAMP\tSOURCE\tDESTINATION\tTYPE\tVERDICT\tSUMMARY\n';
      const rows = flows.map((f) => {
        const [src, dst] = hosts(f, opts);
        return [formatTime(f.time, opts.timeFormat), ...(opts.nodeName ? [f.nodeName] : []), src, dst, flowType(f), verdictText(f), f.summary].join('\t') + '\n';
      });
      // hubble's tabwriter: tabwriter.NewWriter(w, 2, 0, 3, ' ', 0)
      return tabwrite(head + rows.join(''), { minwidth: 2, padding: 3 });
    }
  }
}

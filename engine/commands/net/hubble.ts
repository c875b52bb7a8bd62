/**
 * hubble: the Hubble CLI (cilium/cilium hubble/), `hubble observe` over the flows each
 * node's cilium-agent keeps (dataplane/flows.ts), printed by printers/hubble.
 *
 * Where it runs: inside the agent's pod (`kubectl -n kube-system exec ds/cilium --
 * hubble observe`) it reads the local agent's socket, unix:///var/run/cilium/hubble.sock:
 * that node's flows only. Anywhere else it dials Hubble Relay at localhost:4245 (its
 * default --server); this cluster runs no relay, so it fails the way grpc's dial does.
 *
 * Flags and their errors follow hubble/cmd/observe/flows.go and flows_filter.go: a flow
 * must match one of the allow filters (a flag's values OR each other, different flags
 * AND), and none of the `--not` ones; `--namespace`/`--pod` match either end (a filter
 * on the source OR one on the destination); without --follow, --since or --first it prints
 * the last 20 matching flows (defaults.FlowPrintCount). Errors are printed bare, as
 * hubble's main does (`fmt.Fprintln(os.Stderr, err)`), exit status 1.
 */
import type { CommandOutcome, RunResult, Streaming } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { FLOW_BUFFER_CAPACITY, HubbleFlows, MessageType, TRACE_POINTS, VERDICTS, DROP_REASONS, RESERVED_IDENTITIES, type Flow, type FlowEndpoint, type TcpFlag } from '../../dataplane/flows';
import { printFlows, type HubbleOutput } from '../../printers/hubble';
import { RE2JS } from 're2js';
import { cidrContains } from '../../cluster/ipv4';

const HUBBLE_VERSION = 'hubble v1.16.3@HEAD-7c5ef4c compiled with go1.22.8 on linux/amd64';
const DEFAULT_SERVER = 'localhost:4245';
const FLOW_PRINT_COUNT = 20;

const fail = (msg: string): RunResult => ({ stdout: '', stderr: msg + '\n', exitCode: 1 });

// ---- filters (flows_filter.go) -----------------------------------------------------------

interface FlowFilter {
  sourcePod?: string[];
  destinationPod?: string[];
  sourceIp?: string[];
  destinationIp?: string[];
  sourcePort?: string[];
  destinationPort?: string[];
  sourceLabel?: string[];
  destinationLabel?: string[];
  sourceIdentity?: number[];
  destinationIdentity?: number[];
  verdict?: string[];
  dropReasonDesc?: string[];
  eventType?: { type: number; subType?: number }[];
  protocol?: string[];
  nodeName?: string[];
  trafficDirection?: string[];
  tcpFlags?: TcpFlag[][];
  httpStatusCode?: string[];
  httpMethod?: string[];
  httpPath?: string[];
  httpUrl?: string[];
}

class FilterTracker {
  left?: FlowFilter;
  right?: FlowFilter;
  ns: string[] = [];
  srcNs: string[] = [];
  dstNs: string[] = [];
  changed: string[] = [];

  apply(update: (f: FlowFilter) => void): void {
    update((this.left ??= {}));
    update((this.right ??= {}));
  }
  applyLeft(update: (f: FlowFilter) => void): void {
    update((this.left ??= {}));
  }
  applyRight(update: (f: FlowFilter) => void): void {
    update((this.right ??= {}));
  }

  filters(): FlowFilter[] {
    if (!this.left && !this.right && !this.ns.length && !this.srcNs.length && !this.dstNs.length) return [];
    const left = (this.left ??= {});
    const right = (this.right ??= {});
    const withNs = (names: string[] | undefined, ns: string[]): string[] => {
      const list = names?.length ? names : [''];
      const out: string[] = [];
      for (const n of list) {
        if (n.includes('/')) out.push(n);
        else for (const s of ns) out.push(`${s}/${n}`);
      }
      return out;
    };
    if (this.dstNs.length) for (const f of [left, right]) f.destinationPod = withNs(f.destinationPod, this.dstNs);
    if (this.srcNs.length) for (const f of [left, right]) f.sourcePod = withNs(f.sourcePod, this.srcNs);
    if (this.ns.length) {
      left.sourcePod = withNs(left.sourcePod, this.ns);
      right.destinationPod = withNs(right.destinationPod, this.ns);
    }
    return JSON.stringify(left) === JSON.stringify(right) ? [left] : [left, right];
  }
}

const CONFLICTS: string[][] = [
  ['from-ip', 'ip', 'from-namespace', 'namespace', 'from-all-namespaces', 'all-namespaces'],
  ['from-ip', 'ip', 'from-pod', 'pod'],
  ['to-ip', 'ip', 'to-namespace', 'namespace', 'to-all-namespaces', 'all-namespaces'],
  ['to-ip', 'ip', 'to-pod', 'pod'],
  ['to-pod', 'namespace', 'all-namespaces'],
  ['from-pod', 'namespace', 'all-namespaces'],
  ['label', 'from-label'],
  ['label', 'to-label'],
  ['port', 'to-port'],
  ['port', 'from-port'],
  ['identity', 'to-identity'],
  ['identity', 'from-identity'],
];

const FILTER_FLAGS = new Set([
  'not', 'pod', 'from-pod', 'to-pod', 'namespace', 'from-namespace', 'to-namespace', 'all-namespaces', 'from-all-namespaces', 'to-all-namespaces',
  'ip', 'from-ip', 'to-ip', 'port', 'from-port', 'to-port', 'label', 'from-label', 'to-label', 'identity', 'from-identity', 'to-identity',
  'verdict', 'drop-reason-desc', 'type', 'protocol', 'node-name', 'traffic-direction', 'tcp-flags',
  'http-status', 'http-method', 'http-path', 'http-url',
]);
/** Filter flags pflag lets go without a value (NoOptDefVal). */
const NO_VALUE_FILTERS: Record<string, string> = { not: 'true', 'all-namespaces': 'true', 'from-all-namespaces': 'true', 'to-all-namespaces': 'true' };
const BOOL_FLAGS = new Set(['follow', 'all', 'print-node-name', 'numeric', 'ip-translation', 'port-forward', 'debug', 'help']);
const VALUE_FLAGS = new Set(['last', 'first', 'since', 'until', 'output', 'time-format', 'color', 'server', 'timeout', 'config']);
const SHORT: Record<string, string> = { n: 'namespace', t: 'type', l: 'label', A: 'all-namespaces', f: 'follow', o: 'output', P: 'port-forward', D: 'debug', h: 'help' };

const RESERVED_BY_NAME: Record<string, number> = Object.fromEntries(Object.entries(RESERVED_IDENTITIES).map(([id, name]) => [name, Number(id)]));

class ObserveFilter {
  white?: FilterTracker;
  black?: FilterTracker;
  blacklisting = false;

  set(name: string, val: string): string | undefined {
    if (name === 'not') {
      if (this.blacklisting) return 'consecutive --not statements';
      this.blacklisting = true;
      return undefined;
    }
    let t: FilterTracker;
    if (this.blacklisting) {
      this.blacklisting = false;
      t = this.black ??= new FilterTracker();
    } else {
      t = this.white ??= new FilterTracker();
    }
    const first = !t.changed.includes(name);
    if (first) t.changed.push(name);
    for (const group of CONFLICTS) {
      for (const flag of group) {
        if (!t.changed.includes(flag)) continue;
        for (const other of group) if (other !== flag && t.changed.includes(other)) return `filters --${flag} and --${other} cannot be combined`;
      }
    }
    const push = <K extends keyof FlowFilter>(key: K, v: NonNullable<FlowFilter[K]>[number], side: 'both' | 'left' | 'right' = 'both'): void => {
      const up = (f: FlowFilter) => ((f[key] as unknown[]) = [...((f[key] as unknown[]) ?? []), v]);
      if (side === 'both') t.apply(up);
      else if (side === 'left') t.applyLeft(up);
      else t.applyRight(up);
    };
    const identity = (v: string): number | string => {
      if (/^\d+$/.test(v)) return Number(v);
      if (RESERVED_BY_NAME[v] !== undefined) return RESERVED_BY_NAME[v];
      return `invalid security identity, expected one of [${Object.values(RESERVED_IDENTITIES).join(' ')}] or a numeric value`;
    };
    switch (name) {
      case 'pod': push('sourcePod', val, 'left'); push('destinationPod', val, 'right'); break;
      case 'from-pod': push('sourcePod', val); break;
      case 'to-pod': push('destinationPod', val); break;
      case 'ip': push('sourceIp', val, 'left'); push('destinationIp', val, 'right'); break;
      case 'from-ip': push('sourceIp', val); break;
      case 'to-ip': push('destinationIp', val); break;
      case 'port': push('sourcePort', val, 'left'); push('destinationPort', val, 'right'); break;
      case 'from-port': push('sourcePort', val); break;
      case 'to-port': push('destinationPort', val); break;
      case 'label': push('sourceLabel', val, 'left'); push('destinationLabel', val, 'right'); break;
      case 'from-label': push('sourceLabel', val); break;
      case 'to-label': push('destinationLabel', val); break;
      case 'identity': case 'from-identity': case 'to-identity': {
        const id = identity(val);
        if (typeof id === 'string') return id;
        if (name !== 'to-identity') push('sourceIdentity', id, name === 'identity' ? 'left' : 'both');
        if (name !== 'from-identity') push('destinationIdentity', id, name === 'identity' ? 'right' : 'both');
        break;
      }
      case 'namespace': t.ns.push(val); break;
      case 'from-namespace': t.srcNs.push(val); break;
      case 'to-namespace': t.dstNs.push(val); break;
      case 'all-namespaces': t.ns.push(''); break;
      case 'from-all-namespaces': t.srcNs.push(''); break;
      case 'to-all-namespaces': t.dstNs.push(''); break;
      case 'verdict':
        if (!VERDICTS.includes(val as never) && val !== 'VERDICT_UNKNOWN') return `invalid --verdict value: ${val}`;
        push('verdict', val);
        break;
      case 'drop-reason-desc': {
        if (val === '') return 'empty --drop-reason-desc value';
        if (val !== 'DROP_REASON_UNKNOWN' && !Object.values(DROP_REASONS).some((d) => d.desc === val)) return `invalid --drop-reason-desc value: ${val}`;
        push('dropReasonDesc', val);
        break;
      }
      case 'type': {
        const [tn, sub] = val.split(/:(.*)/s);
        const names: Record<string, number> = { drop: MessageType.drop, debug: MessageType.debug, capture: MessageType.capture, trace: MessageType.trace, l7: MessageType.accessLog, agent: MessageType.agent, 'policy-verdict': MessageType.policyVerdict, 'trace-sock': MessageType.traceSock };
        let type = names[tn];
        if (type === undefined) {
          if (!/^\d+$/.test(tn)) return `unable to parse type '${tn}', not a known type name and unable to parse as numeric value: strconv.ParseUint: parsing ${JSON.stringify(tn)}: invalid syntax`;
          type = Number(tn);
        }
        let subType: number | undefined;
        if (sub !== undefined) {
          const point = type === MessageType.trace ? TRACE_POINTS.find((p) => p.name === sub) : undefined;
          if (point) subType = point.sub;
          else if (/^\d+$/.test(sub)) subType = Number(sub);
          else return `unable to parse event sub-type '${sub}', not a known sub-type name and unable to parse as numeric value: strconv.ParseUint: parsing ${JSON.stringify(sub)}: invalid syntax`;
        }
        push('eventType', subType === undefined ? { type } : { type, subType });
        break;
      }
      case 'protocol': push('protocol', val); break;
      case 'http-status': push('httpStatusCode', val); break;
      case 'http-method': push('httpMethod', val); break;
      case 'http-path': push('httpPath', val); break;
      case 'http-url': push('httpUrl', val); break;
      case 'node-name': push('nodeName', val); break;
      case 'traffic-direction': {
        const td = val.toLowerCase();
        if (td !== 'ingress' && td !== 'egress') return `${td}: invalid traffic direction, expected ingress or egress`;
        push('trafficDirection', td.toUpperCase());
        break;
      }
      case 'tcp-flags': {
        const flags: TcpFlag[] = [];
        for (const f of val.split(',')) {
          const u = f.toUpperCase();
          if (!['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'].includes(u)) return `unknown tcp flag: ${f}`;
          flags.push(u as TcpFlag);
        }
        push('tcpFlags', flags);
        break;
      }
    }
    return undefined;
  }
}

// ---- matching (pkg/hubble/filters) --------------------------------------------------------

/** "ns/prefix" or "prefix" (namespace default): the pod filter's parse (filters/k8s.go). */
function podMatches(patterns: string[], ep: FlowEndpoint): boolean {
  return patterns.some((p) => {
    const slash = p.indexOf('/');
    const ns = slash >= 0 ? p.slice(0, slash) : 'default';
    const prefix = slash >= 0 ? p.slice(slash + 1) : p;
    if (!ep.podName) return false;
    if (ns !== '' && ep.namespace !== ns) return false;
    return ep.podName.startsWith(prefix);
  });
}

function ipMatches(patterns: string[], ip: string): boolean {
  return patterns.some((p) => (p.includes('/') ? cidrContains(p, ip) : p === ip));
}

/** A label selector (equality and existence terms) against an endpoint's `source:key=value` labels. */
function labelMatches(selectors: string[], ep: FlowEndpoint): boolean {
  const have = new Map<string, string>();
  for (const l of ep.labels) {
    const eq = l.indexOf('=');
    const key = eq >= 0 ? l.slice(0, eq) : l;
    const value = eq >= 0 ? l.slice(eq + 1) : '';
    have.set(key, value);
    const colon = key.indexOf(':');
    if (colon >= 0) have.set(key.slice(colon + 1), value);
  }
  return selectors.some((sel) =>
    sel.split(',').every((term) => {
      const t = term.trim();
      const m = /^(!?)([^=!]+?)\s*(?:(==?|!=)\s*(.*))?$/.exec(t);
      if (!m) return false;
      const [, neg, key, op, value] = m;
      if (!op) return neg ? !have.has(key) : have.has(key);
      return op === '!=' ? have.get(key) !== value : have.get(key) === value;
    }),
  );
}

function protocolMatches(protocols: string[], f: Flow): string | boolean {
  for (const p of protocols) {
    const l = p.toLowerCase();
    if (!['icmp', 'icmpv4', 'icmpv6', 'sctp', 'tcp', 'udp', 'dns', 'http', 'kafka'].includes(l)) return `unknown protocol: ${JSON.stringify(p)}`;
  }
  return protocols.some((p) => {
    switch (p.toLowerCase()) {
      case 'tcp': return f.l4.protocol === 'TCP';
      case 'udp': return f.l4.protocol === 'UDP';
      case 'sctp': return f.l4.protocol === 'SCTP';
      case 'icmp': case 'icmpv4': return f.l4.protocol === 'ICMPv4';
      case 'dns': return !!f.l7?.dns;
      case 'http': return !!f.l7?.http;
      default: return false;
    }
  });
}

function matches(ff: FlowFilter, f: Flow): boolean {
  if (ff.sourcePod && !podMatches(ff.sourcePod, f.source)) return false;
  if (ff.destinationPod && !podMatches(ff.destinationPod, f.destination)) return false;
  if (ff.sourceIp && !ipMatches(ff.sourceIp, f.ip.source)) return false;
  if (ff.destinationIp && !ipMatches(ff.destinationIp, f.ip.destination)) return false;
  if (ff.sourcePort && !ff.sourcePort.includes(String(f.l4.sourcePort ?? ''))) return false;
  if (ff.destinationPort && !ff.destinationPort.includes(String(f.l4.destinationPort ?? ''))) return false;
  if (ff.sourceLabel && !labelMatches(ff.sourceLabel, f.source)) return false;
  if (ff.destinationLabel && !labelMatches(ff.destinationLabel, f.destination)) return false;
  if (ff.sourceIdentity && !ff.sourceIdentity.includes(f.source.identity)) return false;
  if (ff.destinationIdentity && !ff.destinationIdentity.includes(f.destination.identity)) return false;
  if (ff.verdict && !ff.verdict.includes(f.verdict)) return false;
  if (ff.dropReasonDesc && !ff.dropReasonDesc.includes(f.dropReason ? DROP_REASONS[f.dropReason]?.desc ?? '' : 'DROP_REASON_UNKNOWN')) return false;
  if (ff.eventType && !ff.eventType.some((e) => e.type === f.eventType.type && (e.subType === undefined || e.subType === f.eventType.subType))) return false;
  if (ff.protocol && protocolMatches(ff.protocol, f) !== true) return false;
  if (ff.nodeName && !ff.nodeName.some((n) => globMatch(n, f.nodeName))) return false;
  if (ff.trafficDirection && !ff.trafficDirection.includes(f.trafficDirection ?? '')) return false;
  if (ff.tcpFlags && !ff.tcpFlags.some((want) => want.every((w) => f.l4.flags?.includes(w)))) return false;
  const http = f.l7?.http;
  if (ff.httpStatusCode && !(http?.code && httpStatusMatches(ff.httpStatusCode, http.code))) return false;
  if (ff.httpMethod && !(http?.method && ff.httpMethod.some((m) => m.toLowerCase() === http.method.toLowerCase()))) return false;
  if (ff.httpPath && !(http?.url && compileAll(ff.httpPath).some((re) => re.matcher(urlPath(http.url)).find()))) return false;
  if (ff.httpUrl && !(http?.url && compileAll(ff.httpUrl).some((re) => re.matcher(http.url).find()))) return false;
  return true;
}

// ---- HTTP filters (pkg/hubble/filters/http.go) ------------------------------------------

const STATUS_FULL = /[1-5][0-9]{2}/;
const STATUS_PREFIX = /^([1-5][0-9]?\+)$/;

/** filterByHTTPStatusCode: a full code ("404") or a prefix ("5+", "40+"); only responses carry a code. */
function httpStatusMatches(filters: string[], code: number): boolean {
  const s = String(code).padStart(3, '0');
  return filters.some((f) => (STATUS_FULL.test(f) ? s === f : s.startsWith(f.slice(0, -1))));
}

/** url.ParseRequestURI(u).Path */
function urlPath(u: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(u);
  return m ? m[1] : u.split(/[?#]/)[0];
}

/** Go's regexp (RE2 syntax and its error texts) through re2js; cached per pattern. */
const compiled = new Map<string, RE2JS>();
function compileAll(patterns: string[]): RE2JS[] {
  return patterns.map((p) => {
    let re = compiled.get(p);
    if (!re) compiled.set(p, (re = RE2JS.compile(p)));
    return re;
  });
}

/** regexp.Compile's error, or undefined. */
function goRegexpError(p: string): string | undefined {
  try {
    compileAll([p]);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** HTTPFilter.OnBuildFilter's refusals, in its order (status code, method, path, url). */
function httpFilterError(ff: FlowFilter): string | undefined {
  const l7Only = !ff.eventType || ff.eventType.some((e) => e.type === MessageType.accessLog);
  const needL7 = (what: string) => `filtering by http ${what} requires the event type filter to only match 'l7' events`;
  if (ff.httpStatusCode) {
    if (!l7Only) return needL7('status code');
    const bad = ff.httpStatusCode.find((f) => !STATUS_FULL.test(f) && !STATUS_PREFIX.test(f));
    if (bad !== undefined) return `invalid http status code filter: invalid status code prefix: ${JSON.stringify(bad)}`;
  }
  if (ff.httpMethod && !l7Only) return needL7('method');
  for (const [list, what] of [[ff.httpPath, 'path'], [ff.httpUrl, 'url']] as const) {
    if (!list) continue;
    if (!l7Only) return needL7(what);
    for (const p of list) {
      const err = goRegexpError(p);
      if (err) return `invalid http ${what} filter: ${p}: ${err}`;
    }
  }
  return undefined;
}

/** node-name patterns: `*` within a name (filters/node.go). */
function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]*') + '$');
  return re.test(name);
}

// ---- time (hubble/pkg/time) --------------------------------------------------------------

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration (a sign, then number-unit pairs; "0" alone), in ms. */
function goDuration(s: string): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(s)!;
  if (m[2] === '0') return 0;
  if (!m[2] || !/^((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(m[2])) return undefined;
  let ms = 0;
  for (const p of m[2].matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) ms += Number(p[1]) * UNITS[p[2]];
  return m[1] === '-' ? -ms : ms;
}

/** hubtime.FromString: a duration back from now, else one of its layouts (UTC unless the text gives an offset). */
function parseTime(value: string, now: number): number | string {
  const d = goDuration(value);
  if (d !== undefined) return now - d;
  const layouts: RegExp[] = [
    /^\d{4}-\d{2}-\d{2}$/,
    /^\d{4}-\d{2}-\d{2}T\d{2}(Z|[+-]\d{2}:\d{2})$/,
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/,
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  ];
  if (layouts.some((re) => re.test(value))) {
    const iso = value.length === 10 ? `${value}T00:00:00Z` : value.replace(/^(\d{4}-\d{2}-\d{2}T\d{2})(Z|[+-])/, '$1:00:00$2').replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(Z|[+-])/, '$1:00$2');
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) return t;
  }
  return `failed to convert ${value} to time`;
}

// ---- the command --------------------------------------------------------------------------

interface ObserveOptions {
  filter: ObserveFilter;
  last?: number;
  first?: number;
  all: boolean;
  follow: boolean;
  since?: string;
  until?: string;
  output: string;
  nodeName: boolean;
  ipTranslation: boolean;
  timeFormat: string;
  server?: string;
}

function parseUint(flag: string, v: string): number | string {
  if (!/^\d+$/.test(v)) return `invalid argument ${JSON.stringify(v)} for "--${flag}" flag: strconv.ParseUint: parsing ${JSON.stringify(v)}: invalid syntax`;
  return Number(v);
}

function parseBool(flag: string, v: string): boolean | string {
  const t = ['1', 't', 'T', 'TRUE', 'true', 'True'];
  const f = ['0', 'f', 'F', 'FALSE', 'false', 'False'];
  if (t.includes(v)) return true;
  if (f.includes(v)) return false;
  return `invalid argument ${JSON.stringify(v)} for "--${flag}" flag: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`;
}

/** pflag's parse of `hubble observe`'s flags. */
function parseObserve(args: string[]): ObserveOptions | { error: string } | { help: true } {
  const o: ObserveOptions = { filter: new ObserveFilter(), all: false, follow: false, output: 'compact', nodeName: false, ipTranslation: true, timeFormat: 'StampMilli' };
  const setValue = (name: string, value: string, shown: string): string | undefined => {
    if (FILTER_FLAGS.has(name)) {
      const err = o.filter.set(name, value);
      return err === undefined ? undefined : `invalid argument ${JSON.stringify(value)} for "${shown}" flag: ${err}`;
    }
    switch (name) {
      case 'last': case 'first': {
        const n = parseUint(name, value);
        if (typeof n === 'string') return n;
        o[name] = n;
        return undefined;
      }
      case 'since': o.since = value; return undefined;
      case 'until': o.until = value; return undefined;
      case 'output': o.output = value; return undefined;
      case 'server': o.server = value; return undefined;
      case 'time-format': o.timeFormat = value; return undefined;
      case 'follow': case 'all': case 'print-node-name': case 'numeric': case 'ip-translation': case 'port-forward': case 'debug': {
        const b = parseBool(name, value);
        if (typeof b === 'string') return b;
        if (name === 'follow') o.follow = b;
        else if (name === 'all') o.all = b;
        else if (name === 'print-node-name') o.nodeName = b;
        else if (name === 'numeric') o.ipTranslation = o.ipTranslation && !b;
        else if (name === 'ip-translation') o.ipTranslation = b;
        return undefined;
      }
      default: return undefined; // --color, --timeout, --config: accepted
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (name === 'help') return { help: true };
      const known = FILTER_FLAGS.has(name) || BOOL_FLAGS.has(name) || VALUE_FLAGS.has(name);
      if (!known) return { error: `unknown flag: --${name}` };
      let value: string;
      if (eq >= 0) value = a.slice(eq + 1);
      else if (BOOL_FLAGS.has(name)) value = 'true';
      else if (NO_VALUE_FILTERS[name]) value = NO_VALUE_FILTERS[name];
      else if (i + 1 < args.length) value = args[++i];
      else return { error: `flag needs an argument: --${name}` };
      const err = setValue(name, value, `--${name}`);
      if (err) return { error: err };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const name = SHORT[c];
        if (!name) return { error: `unknown shorthand flag: '${c}' in ${a}` };
        if (name === 'help') return { help: true };
        const rest = a.slice(j + 1);
        if (BOOL_FLAGS.has(name) || NO_VALUE_FILTERS[name]) {
          const value = rest.startsWith('=') ? rest.slice(1) : BOOL_FLAGS.has(name) ? 'true' : NO_VALUE_FILTERS[name];
          const err = setValue(name, value, `-${c}, --${name}`);
          if (err) return { error: err };
          if (rest.startsWith('=')) break;
          continue;
        }
        let value: string;
        if (rest) value = rest.startsWith('=') ? rest.slice(1) : rest;
        else if (i + 1 < args.length) value = args[++i];
        else return { error: `flag needs an argument: '${c}' in -${c}` };
        const err = setValue(name, value, `-${c}, --${name}`);
        if (err) return { error: err };
        break;
      }
      continue;
    }
    // observe takes no positional arguments; cobra reports it as an unknown command of observe
    return { error: `unknown command ${JSON.stringify(a)} for "hubble observe"` };
  }
  return o;
}

const OBSERVE_USAGE = `Observe flows and events of a Hubble server

Usage:
  hubble observe [flags]
  hubble observe [command]

Available Commands:
  agent-events Observe Cilium agent events
  debug-events Observe Cilium debug events
  flows        Observe flows of a Hubble server

Selectors Flags:
      --all                 Get all flows stored in Hubble's buffer. Note: this option may cause Hubble to return a lot of data. It is recommended to only use it along filters to limit the amount of data returned.
      --first uint          Get first N flows stored in Hubble's buffer. When querying against Hubble Relay, this gets N flows per instance of Hubble connected to that Relay.
  -f, --follow              Follow flows output
      --last uint           Get last N flows stored in Hubble's buffer (default 20). When querying against Hubble Relay, this gets N flows per instance of Hubble connected to that Relay.
      --since string        Filter flows since a specific date. The format is relative (e.g. 3s, 4m, 1h43,, ...) or one of:
      --until string        Filter flows until a specific date. The format is relative (e.g. 3s, 4m, 1h43,, ...) or one of:

Filters Flags:
  -A, --all-namespaces        Show all flows in any Kubernetes namespace.
      --from-pod filter       Show all flows originating in the given pod name prefix([namespace/]<pod-name>). If namespace is not provided, 'default' is used
      --http-method filter    Show only flows which match this HTTP method (e.g. "get", "post")
      --http-path filter      Show only flows which match this HTTP path regular expressions (e.g. "/page/\\\\d+")
      --http-status filter    Show only flows which match this HTTP status code prefix (e.g. "404", "5+")
      --http-url filter       Show only flows which match this HTTP URL regular expressions (e.g. "http://.*cilium\\\\.io/page/\\\\d+")
  -n, --namespace filter      Show all flows related to the given Kubernetes namespace.
      --not filter[=true]     Reverses the next filter to be blacklist i.e. --not --from-ip 2.2.2.2
      --pod filter            Show all flows related to the given pod name prefix ([namespace/]<pod-name>). If namespace is not provided, 'default' is used.
      --protocol filter       Show only flows which match the given L4/L7 flow protocol (e.g. "udp", "http")
      --to-pod filter         Show all flows terminating in the given pod name prefix([namespace/]<pod-name>). If namespace is not provided, 'default' is used
  -t, --type filter           Filter by event types TYPE[:SUBTYPE]
      --verdict filter        Show only flows with this verdict [FORWARDED, DROPPED, AUDIT, REDIRECTED, ERROR, TRACED, TRANSLATED]

Formatting Flags:
  -o, --output string         Specify the output format, one of:
                                compact:  Compact output
                                dict:     Each flow is shown as KEY:VALUE pair
                                jsonpb:   JSON encoded GetFlowResponse according to proto3's JSON mapping
                                json:     Alias for jsonpb
                                table:    Tab-aligned columns
                               (default "compact")
      --print-node-name       Print node name in output

Use "hubble observe [command] --help" for more information about a command.
`;

function localAgentNode(ctx: CommandContext): string | undefined {
  const h = ctx.host;
  if (h.kind !== 'pod' || h.namespace !== 'kube-system') return undefined;
  const pod = ctx.cluster.store.get('Pod', h.namespace, h.pod);
  if (pod?.metadata.labels?.['k8s-app'] !== 'cilium') return undefined;
  return pod.spec?.nodeName;
}

function observe(args: string[], ctx: CommandContext): CommandOutcome {
  const parsed = parseObserve(args);
  if ('help' in parsed) return { stdout: OBSERVE_USAGE, stderr: '', exitCode: 0 };
  if ('error' in parsed) return fail(parsed.error);
  const o = parsed;
  if (o.filter.blacklisting) return fail('trailing --not found in the arguments');
  let output: HubbleOutput;
  switch (o.output) {
    case 'compact': output = 'compact'; break;
    case 'dict': output = 'dict'; break;
    case 'json': case 'JSON': case 'jsonpb': output = 'jsonpb'; break;
    case 'tab': case 'table':
      if (o.follow) return fail('table output format is not compatible with follow mode');
      output = 'table';
      break;
    default: return fail(`invalid output format: ${o.output}`);
  }
  const first = (o.first ?? 0) > 0;
  const last = (o.last ?? 0) > 0;
  if (first && last) return fail('cannot set both --first and --last');
  if (first && o.all) return fail('cannot set both --first and --all');
  if (first && o.follow) return fail('cannot set both --first and --follow');
  if (last && o.all) return fail('cannot set both --last and --all');
  const now = ctx.cluster.clock.now();
  let since: number | undefined;
  let until: number | undefined;
  if (o.since !== undefined) {
    const t = parseTime(o.since, now);
    if (typeof t === 'string') return fail(`failed to parse the since time: ${t}`);
    since = t;
  }
  if (o.until !== undefined && !o.follow) {
    const t = parseTime(o.until, now);
    if (typeof t === 'string') return fail(`failed to parse the until time: ${t}`);
    until = t;
  }
  let number = o.last ?? 0;
  if (since === undefined && until === undefined && !first) {
    if (o.all) number = Number.MAX_SAFE_INTEGER;
    else if (number === 0 && !o.follow) number = FLOW_PRINT_COUNT;
  }

  // Which Hubble server answers: the local agent's socket inside its pod, else Relay.
  const node = localAgentNode(ctx);
  const hub = ctx.cluster.flows;
  if (node === undefined || !(hub instanceof HubbleFlows)) {
    const server = o.server ?? DEFAULT_SERVER;
    const addr = server.replace(/^localhost:/, '127.0.0.1:');
    return fail(`failed to connect to '${server}': context deadline exceeded: connection error: desc = "transport: error while dialing: dial tcp ${addr}: connect: connection refused"`);
  }

  const white = o.filter.white?.filters() ?? [];
  const black = o.filter.black?.filters() ?? [];
  for (const ff of [...white, ...black]) {
    if (ff.protocol) {
      const bad = ff.protocol.find((p) => !['icmp', 'icmpv4', 'icmpv6', 'sctp', 'tcp', 'udp', 'dns', 'http', 'kafka'].includes(p.toLowerCase()));
      if (bad !== undefined) return fail(`unknown protocol: ${JSON.stringify(bad)}`);
    }
    const httpErr = httpFilterError(ff);
    if (httpErr) return fail(httpErr);
  }
  const wanted = (f: Flow): boolean => {
    if (since !== undefined && f.time.ms < since) return false;
    if (until !== undefined && f.time.ms > until) return false;
    if (white.length && !white.some((ff) => matches(ff, f))) return false;
    if (black.some((ff) => matches(ff, f))) return false;
    return true;
  };
  const opts = { output, nodeName: o.nodeName, ipTranslation: o.ipTranslation, timeFormat: o.timeFormat };
  const held = hub.flows(node).filter(wanted);
  // Number 0 with --since/--until: every flow in the window; with --follow alone: none of the past
  const shown = first ? held.slice(0, o.first) : number > 0 ? held.slice(-number) : o.follow && since === undefined ? [] : held;
  const stdout = printFlows(shown, opts, true);
  if (!o.follow) return { stdout, stderr: '', exitCode: 0 };

  let seen = hub.lastSeq;
  let printed = shown.length;
  const stream: Streaming = {
    streaming: true,
    stdout,
    stderr: '',
    intervalMs: 1000,
    step() {
      const fresh = hub.flows(node).filter((f) => f.seq > seen && wanted(f));
      seen = hub.lastSeq;
      const out = printFlows(fresh, opts, printed === 0);
      printed += fresh.length;
      return { stdout: out };
    },
    // hubble stops on SIGINT through its context and exits 0
    interrupt: () => ({ exitCode: 0 }),
  };
  return stream;
}

/** Go's uint64Grouping: thousands separated by commas. */
function grouping(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `hubble status` (hubble/cmd/status/status.go; printer.go WriteServerStatusResponse, compact). */
function status(args: string[], ctx: CommandContext): RunResult {
  for (const a of args) if (a.startsWith('-')) return fail(a.startsWith('--') ? `unknown flag: ${a.split('=')[0]}` : `unknown shorthand flag: '${a[1]}' in ${a}`);
  if (args.length) return fail(`unknown command ${JSON.stringify(args[0])} for "hubble status"`);
  const node = localAgentNode(ctx);
  const hub = ctx.cluster.flows;
  if (node === undefined || !(hub instanceof HubbleFlows)) {
    return fail(`failed to connect to '${DEFAULT_SERVER}': context deadline exceeded: connection error: desc = "transport: error while dialing: dial tcp 127.0.0.1:4245: connect: connection refused"`);
  }
  const held = hub.flows(node).length;
  const seen = hub.seenOn(node);
  const pod = ctx.host.kind === 'pod' ? ctx.cluster.store.get('Pod', ctx.host.namespace, ctx.host.pod) : undefined;
  const started = Date.parse(pod?.status?.startTime ?? '') || ctx.cluster.clock.now();
  const uptime = Math.max(0, ctx.cluster.clock.now() - started) / 1000;
  const rate = uptime > 0 ? (seen / uptime).toFixed(2) : 'N/A';
  return {
    stdout: `Healthcheck (via unix:///var/run/cilium/hubble.sock): Ok\nCurrent/Max Flows: ${grouping(held)}/${grouping(FLOW_BUFFER_CAPACITY)} (${((held / FLOW_BUFFER_CAPACITY) * 100).toFixed(2)}%)\nFlows/s: ${rate}\n`,
    stderr: '',
    exitCode: 0,
  };
}

const ROOT_USAGE = `Hubble is a utility to observe and inspect recent Cilium routed traffic in a cluster.

Usage:
  hubble [command]

Available Commands:
  completion  Generate the autocompletion script for the specified shell
  config      Modify or view hubble config
  help        Help about any command
  list        List Hubble objects
  observe     Observe flows and events of a Hubble server
  status      Display status of Hubble server
  version     Display detailed version information

Global Flags:
      --config string   Optional config file (default "/root/.config/hubble/config.yaml")
  -D, --debug           Enable debug messages

Get help:
  -h, --help	Help for any command or subcommand

Use "hubble [command] --help" for more information about a command.
`;

export const hubbleCommand: CommandSpec = {
  name: 'hubble',
  summary: 'observe the flows Cilium saw (hubble observe)',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    // persistent flags before the subcommand (hubble --server X observe)
    let i = 0;
    const before: string[] = [];
    while (i < args.length && args[i].startsWith('-')) {
      if (args[i] === '--server' && i + 1 < args.length) before.push(args[i++]);
      before.push(args[i++]);
    }
    const sub = args[i];
    const rest = [...before, ...args.slice(i + 1)];
    if (sub === undefined) {
      if (before.some((a) => a === '-h' || a === '--help') || before.length === 0) return { stdout: ROOT_USAGE, stderr: '', exitCode: 0 };
      if (before.includes('--version')) return { stdout: `hubble ${HUBBLE_VERSION.split(' ')[1]}\r\n`, stderr: '', exitCode: 0 };
      return fail(`unknown flag: ${before[0].split('=')[0]}`);
    }
    switch (sub) {
      case 'observe':
        if (rest[0] === 'flows') return observe(rest.slice(1), ctx);
        return observe(rest, ctx);
      case 'version':
        return { stdout: `${HUBBLE_VERSION}\n`, stderr: '', exitCode: 0 };
      case 'status':
        return status(rest, ctx);
      case 'help':
        return { stdout: ROOT_USAGE, stderr: '', exitCode: 0 };
      default:
        return fail(`unknown command ${JSON.stringify(sub)} for "hubble"`);
    }
  },
  complete(args) {
    if (args.length <= 1) return ['observe', 'status', 'list', 'version', 'config'].filter((c) => c.startsWith(args[0] ?? ''));
    return [];
  },
};


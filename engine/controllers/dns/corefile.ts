/**
 * The Corefile CoreDNS runs with, read from the kube-system/coredns ConfigMap (key
 * `Corefile`), so a learner who edits it (ttl, pods mode, a stub domain) changes the
 * answers. Only what changes answers is interpreted: server blocks and their zones, the
 * kubernetes plugin (zones, `pods`, `ttl`, `fallthrough`, `endpoint_pod_names`) and
 * `forward` (target list). Unknown plugins are carried but ignored.
 */
import type { ClusterRuntime } from '../runtime';
import type { Cluster } from '../../cluster/cluster';
import { kubeadmCorefile } from '../system';

/** kubeadm's default Corefile, the same text the system layer puts in the coredns ConfigMap. */
export function defaultCorefile(clusterDomain: string): string {
  return kubeadmCorefile(clusterDomain);
}

export interface KubernetesPlugin {
  zones: string[];
  pods: 'disabled' | 'insecure' | 'verified';
  ttl: number;
  /** Zones that fall through to the next plugin when the kubernetes plugin has no answer ([] = all). */
  fallthrough?: string[];
  endpointPodNames: boolean;
}

export interface ServerBlock {
  /** Zones the block serves, normalised with a trailing dot (`.` = root). */
  zones: string[];
  port: number;
  kubernetes?: KubernetesPlugin;
  /** forward FROM TO… { policy … }: targets are IPs (optionally dns://, :53) or `/etc/resolv.conf`. */
  forward?: { from: string; to: string[]; policy: 'random' | 'round_robin' | 'sequential' };
  cacheTtl?: number;
  /** The loadbalance plugin: A/AAAA records of an answer are shuffled round-robin. */
  loadbalance?: boolean;
  /** The hosts plugin's inline entries (it runs before kubernetes, per plugin.cfg). */
  hosts?: HostsPlugin;
  /** The log plugin: which names and response classes it logs, and in which format. */
  log?: LogPlugin;
  /** The rewrite plugin's name rules, in Corefile order (plugin/rewrite name.go). */
  rewrite?: RewriteRule[];
}

/**
 * plugin/rewrite v1.12.1 name.go: `rewrite [continue|stop] name [exact|prefix|suffix|substring|regex]
 * FROM TO [answer auto | answer name FROM TO | answer value FROM TO]…`. exact always maps the
 * answer back (newExactNameRule: auto); the others only with `answer auto` (suffix's by suffix
 * swap) or explicit answer rules (regular expressions, `{N}` groups).
 */
export interface RewriteRule {
  stop: boolean;
  match: 'exact' | 'prefix' | 'suffix' | 'substring' | 'regex';
  from: string;
  to: string;
  auto: boolean;
  answerName: { from: RegExp; to: string }[];
  answerValue: { from: RegExp; to: string }[];
}

/** plugin/log setup.go: `log [NAMES...] [FORMAT] { class CLASSES... }`; no names = the block's zones. */
export interface LogPlugin {
  names: string[];
  combined: boolean;
  /** response.Class names: all, success, denial, error */
  classes: string[];
}

export interface HostsPlugin {
  zones: string[];
  /** name (FQDN, lower case) → IPv4 addresses, in file order */
  entries: Map<string, string[]>;
  ttl: number;
  fallthrough?: string[];
  noReverse: boolean;
}

export interface Corefile {
  blocks: ServerBlock[];
  text: string;
  /** Caddy's parse error, as CoreDNS prints it (`/etc/coredns/Corefile:N - Error during parsing: …`): CoreDNS refuses the file. */
  error?: string;
  /**
   * Where it fails: `syntax` — caddyfile.Parse itself (braces, EOF), which the reload plugin's
   * own parse also runs, so it only warns and never restarts; `setup` — the server type's
   * directives or a plugin's setup, which fail the restart (and a fresh start).
   */
  errorStage?: 'syntax' | 'setup';
  /** Real plugins (or rewrite rules) the simulation does not carry out: named in CoreDNS's log, never silently dropped. */
  unsimulated: string[];
}

/** The Corefile's path in the Pod (kubeadm's Deployment: `-conf /etc/coredns/Corefile`). */
export const COREFILE_PATH = '/etc/coredns/Corefile';

/** coredns v1.12.1 plugin.cfg: every directive this CoreDNS build knows. */
const KNOWN = new Set('root metadata geoip cancel tls timeouts multisocket reload nsid bufsize bind debug trace ready health pprof prometheus errors log dnstap local dns64 acl any chaos loadbalance tsig cache rewrite header dnssec autopath minimal template transfer hosts route53 azure clouddns k8s_external kubernetes file auto secondary etcd loop forward grpc erratic whoami on sign view'.split(' '));

/** Plugins that change no answer the simulation gives (health and metrics endpoints, the loop check, logging, reload, timing). */
const NO_ANSWER_EFFECT = new Set('root metadata cancel timeouts multisocket reload nsid bufsize debug trace ready health pprof prometheus errors log dnstap loop on'.split(' '));

/** Plugins this simulation carries out. */
const SIMULATED = new Set(['kubernetes', 'forward', 'hosts', 'log', 'loadbalance', 'cache', 'rewrite']);

/** A Go regexp (RE2) as a JavaScript one; the simple patterns Corefiles use read the same. */
function goRegexp(p: string): RegExp | undefined {
  try {
    return new RegExp(p);
  } catch {
    return undefined;
  }
}

/** `{0}`, `{1}`…: the groups of a rewrite's regular expression (name.go regexNameRule). */
export function expandGroups(template: string, groups: string[]): string {
  let s = template;
  groups.forEach((g, i) => (s = s.split(`{${i}}`).join(g ?? '')));
  return s;
}

/** newNameRule + parseAnswerRules; a rule outside what is modelled is reported, not guessed. */
function parseRewrite(args: string[]): RewriteRule | string {
  let a = args;
  let stop = true;
  if (a[0] === 'continue' || a[0] === 'stop') {
    stop = a[0] === 'stop';
    a = a.slice(1);
  }
  if (a[0] !== 'name') return `rewrite ${a[0] ?? ''} rules`.trim();
  a = a.slice(1);
  const types = ['exact', 'prefix', 'suffix', 'substring', 'regex'];
  let match: RewriteRule['match'] = 'exact';
  if (a.length >= 3 && types.includes(a[0].toLowerCase())) {
    match = a[0].toLowerCase() as RewriteRule['match'];
    a = a.slice(1);
  }
  const norm = (n: string) => n.toLowerCase();
  let from = match === 'regex' ? a[0] : norm(a[0] ?? '');
  let to = match === 'regex' ? a[1] ?? '' : norm(a[1] ?? '');
  if (match === 'exact' || match === 'suffix') {
    if (!from.endsWith('.')) from += '.';
    if (!to.endsWith('.')) to += '.';
  }
  const rule: RewriteRule = { stop, match, from, to, auto: match === 'exact', answerName: [], answerValue: [] };
  const rest = a.slice(2);
  for (let i = 0; i < rest.length; ) {
    if (rest[i] === 'answer') i++;
    const kind = rest[i++];
    if (kind === 'auto') rule.auto = true;
    else if ((kind === 'name' || kind === 'value') && rest[i + 1] !== undefined) {
      const re = goRegexp(rest[i]);
      if (re) (kind === 'name' ? rule.answerName : rule.answerValue).push({ from: re, to: rest[i + 1] });
      i += 2;
    } else break;
  }
  return rule;
}

function fqdn(z: string): string {
  const s = z.toLowerCase();
  return s.endsWith('.') ? s : s + '.';
}

/** Splits a Corefile into tokens with braces as their own tokens, lines preserved (each with its 1-based line number in `.line`). */
function lines(text: string): (string[] & { line?: number })[] {
  const out: (string[] & { line?: number })[] = [];
  text.split('\n').forEach((raw, n) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    // caddy's lexer: words split on white space; a brace is its own token only as a word of its own
    // (`{combined}`, a rewrite's `{1}` stay whole), or glued to a block's key (`.:53{`)
    const toks: string[] & { line?: number } = line.split(/\s+/).flatMap((w) => (w.length > 1 && w.endsWith('{') && !w.startsWith('{') ? [w.slice(0, -1), '{'] : [w]));
    toks.line = n + 1;
    out.push(toks);
  });
  return out;
}

/**
 * caddyfile/dispenser.go (coredns/caddy at 8de9853, CoreDNS v1.12.1's): Err's
 * `FILE:LINE - Error during parsing: MSG`; ArgErr's `Wrong argument count or unexpected line
 * ending after 'VAL'` (VAL: the last token RemainingArgs read, or the directive itself).
 */
function parseErr(line: number | undefined, msg: string): string {
  return `${COREFILE_PATH}:${line ?? 0} - Error during parsing: ${msg}`;
}
function argErr(t: string[] & { line?: number }): string {
  const last = t[t.length - 1] === '{' ? t[t.length - 2] : t[t.length - 1];
  return parseErr(t.line, `Wrong argument count or unexpected line ending after '${last}'`);
}

/**
 * The setup errors of the simulated plugins' options, as plugin.Error wraps them
 * (`plugin/NAME: …`): plugin/kubernetes setup.go ParseStanza (v1.12.1) and plugin/forward
 * setup.go parseStanza/parseBlock; the first one in the file.
 */
function kubernetesError(sub: (string[] & { line?: number })[]): string | undefined {
  const known = new Set(['endpoint_pod_names', 'pods', 'namespaces', 'endpoint', 'tls', 'labels', 'namespace_labels', 'fallthrough', 'ttl', 'noendpoints', 'ignore', 'kubeconfig']);
  for (const t of sub) {
    const args = t.slice(1).filter((a) => a !== '{');
    const e = (msg: string) => `plugin/kubernetes: ${msg}`;
    switch (t[0]) {
      case 'endpoint_pod_names':
      case 'noendpoints':
        if (args.length) return e(argErr(t));
        break;
      case 'pods':
        if (args.length !== 1) return e(argErr(t));
        if (!['disabled', 'insecure', 'verified'].includes(args[0])) return e(`wrong value for pods: ${args[0]},  must be one of: disabled, verified, insecure`);
        break;
      case 'namespaces':
      case 'endpoint':
      case 'labels':
      case 'namespace_labels':
        if (!args.length) return e(argErr(t));
        break;
      case 'tls':
        if (args.length !== 3) return e(argErr(t));
        break;
      case 'kubeconfig':
        if (args.length !== 1 && args.length !== 2) return e(argErr(t));
        break;
      case 'ttl': {
        if (!args.length) return e(argErr(t));
        // strconv.Atoi: an optional sign and decimal digits, within int64
        if (!/^[+-]?\d+$/.test(args[0])) return e(`strconv.Atoi: parsing ${JSON.stringify(args[0])}: invalid syntax`);
        const n = Number(args[0]);
        if (n < 0 || n > 3600) return e(parseErr(t.line, `ttl must be in range [0, 3600]: ${n}`));
        break;
      }
      default:
        if (!known.has(t[0])) return e(parseErr(t.line, `unknown property '${t[0]}'`));
    }
  }
  return undefined;
}

function forwardError(head: string[] & { line?: number }, args: string[], sub: (string[] & { line?: number })[]): string | undefined {
  const e = (msg: string) => `plugin/forward: ${msg}`;
  if (args.length < 2) return e(argErr(head));
  const props = new Set(['except', 'max_fails', 'health_check', 'force_tcp', 'prefer_udp', 'tls', 'tls_servername', 'expire', 'policy', 'max_concurrent', 'next', 'failfast_all_unhealthy_upstreams']);
  for (const t of sub) {
    const a = t.slice(1);
    if (t[0] === 'policy') {
      if (a.length !== 1) return e(argErr(t));
      if (!['random', 'round_robin', 'sequential'].includes(a[0])) return e(parseErr(t.line, `unknown policy '${a[0]}'`));
    } else if (t[0] === 'max_fails') {
      if (a.length !== 1) return e(argErr(t));
      if (!/^[+-]?\d+$/.test(a[0])) return e(`strconv.ParseUint: parsing ${JSON.stringify(a[0])}: invalid syntax`);
    } else if (!props.has(t[0])) return e(parseErr(t.line, `unknown property '${t[0]}'`));
  }
  return undefined;
}

export function parseCorefile(text: string): Corefile {
  const blocks: ServerBlock[] = [];
  const unsimulated: string[] = [];
  let error: string | undefined;
  let errorStage: Corefile['errorStage'];
  let setupError: string | undefined;
  const note = (what: string) => {
    if (!unsimulated.includes(what)) unsimulated.push(what);
  };
  const ls = lines(text);
  let i = 0;
  const skipBlock = () => {
    let depth = 1;
    while (i < ls.length && depth > 0) {
      for (const t of ls[i]) {
        if (t === '{') depth++;
        else if (t === '}') depth--;
      }
      i++;
    }
  };
  while (i < ls.length) {
    const head = ls[i];
    if (!head.includes('{')) {
      i++;
      continue;
    }
    const keys = head.slice(0, head.indexOf('{')).flatMap((k) => k.split(',')).filter(Boolean);
    i++;
    const block: ServerBlock = { zones: [], port: 53 };
    for (const k of keys) {
      const m = k.replace(/^dns:\/\//, '').match(/^(.*?)(?::(\d+))?$/)!;
      block.zones.push(fqdn(m[1] || '.'));
      if (m[2]) block.port = Number(m[2]);
    }
    // directives until the closing brace (parse.go directives(); the end of the file first is handled below)
    let closed = false;
    let eof = false;
    while (i < ls.length) {
      const t = ls[i];
      if (t[0] === '}') {
        i++;
        closed = true;
        break;
      }
      const name = t[0];
      // coredns/caddy's parser: a directive no plugin registered stops the load
      if (!KNOWN.has(name) && error === undefined) error = `${COREFILE_PATH}:${t.line} - Error during parsing: Unknown directive '${name}'`;
      else if (!SIMULATED.has(name) && !NO_ANSWER_EFFECT.has(name)) note(`plugin/${name}`);
      const opens = t[t.length - 1] === '{';
      const args = t.slice(1, opens ? -1 : undefined);
      i++;
      const sub: string[][] = [];
      if (opens) {
        let depth = 1;
        while (i < ls.length) {
          const s = ls[i];
          i++;
          if (s[0] === '}') {
            depth--;
            if (depth === 0) break;
            continue;
          }
          if (s[s.length - 1] === '{') depth++;
          sub.push(s);
        }
        // parse.go directive(): a block of the directive still open at the end of the file
        if (depth > 0) {
          eof = true;
          break;
        }
      }
      if (setupError === undefined && KNOWN.has(name)) setupError = name === 'kubernetes' ? kubernetesError(sub) : name === 'forward' ? forwardError(t, args, sub) : undefined;
      if (name === 'kubernetes') {
        const k: KubernetesPlugin = { zones: (args.length ? args : block.zones).map(fqdn), pods: 'disabled', ttl: 5, endpointPodNames: false };
        for (const s of sub) {
          if (s[0] === 'pods' && (s[1] === 'insecure' || s[1] === 'verified' || s[1] === 'disabled')) k.pods = s[1];
          else if (s[0] === 'ttl' && /^\d+$/.test(s[1] ?? '')) k.ttl = Math.min(3600, Number(s[1]));
          else if (s[0] === 'fallthrough') k.fallthrough = s.slice(1).map(fqdn);
          else if (s[0] === 'endpoint_pod_names') k.endpointPodNames = true;
        }
        block.kubernetes = k;
      } else if (name === 'forward' && args.length >= 2) {
        const policy = sub.find((sl) => sl[0] === 'policy')?.[1];
        block.forward = { from: fqdn(args[0]), to: args.slice(1), policy: policy === 'sequential' || policy === 'round_robin' ? policy : 'random' };
      } else if (name === 'hosts') {
        // plugin/hosts setup.go: [FILE [ZONES...]] { IP NAME…; ttl; fallthrough; no_reverse; reload }
        const zoneArgs = args.length && args[0].startsWith('/') ? args.slice(1) : args;
        const h: HostsPlugin = { zones: (zoneArgs.length ? zoneArgs : block.zones).map(fqdn), entries: new Map(), ttl: 3600, noReverse: false };
        for (const sl of sub) {
          if (sl[0] === 'ttl' && /^\d+$/.test(sl[1] ?? '')) h.ttl = Number(sl[1]);
          else if (sl[0] === 'fallthrough') h.fallthrough = sl.slice(1).map(fqdn);
          else if (sl[0] === 'no_reverse') h.noReverse = true;
          else if (sl[0] === 'reload') continue;
          else if (/^\d+\.\d+\.\d+\.\d+$/.test(sl[0])) {
            for (const n of sl.slice(1)) {
              const k = fqdn(n);
              const l = h.entries.get(k) ?? [];
              if (!l.includes(sl[0])) l.push(sl[0]);
              h.entries.set(k, l);
            }
          }
        }
        block.hosts = h;
      } else if (name === 'log') {
        const format = args.find((a) => a.startsWith('{'));
        const names = args.filter((a) => !a.startsWith('{'));
        const classes = sub.filter((sl) => sl[0] === 'class').flatMap((sl) => sl.slice(1));
        block.log = { names: (names.length ? names : block.zones).map(fqdn), combined: format === '{combined}', classes: classes.length ? classes : ['all'] };
      } else if (name === 'rewrite') {
        const r = parseRewrite(opens ? [] : args);
        if (typeof r === 'string') note(`plugin/rewrite (${opens ? 'rewrite { … } blocks' : r})`);
        else (block.rewrite ??= []).push(r);
      } else if (name === 'loadbalance') {
        block.loadbalance = true;
      } else if (name === 'cache') {
        block.cacheTtl = args[0] && /^\d+$/.test(args[0]) ? Number(args[0]) : 3600;
      }
      void skipBlock;
    }
    // the end of the file inside the block: EOFErr when a directive's own block is open; else
    // closeCurlyBrace's SyntaxErr on the last token — unless that token is a `}` (a directive's
    // block that swallowed the server block's brace: caddy reads on, and its plugin's setup sees the rest)
    const last = ls[ls.length - 1];
    if (!closed && error === undefined && last) {
      if (eof) error = parseErr(last.line, 'Unexpected EOF');
      else if (last[last.length - 1] !== '}') error = `${COREFILE_PATH}:${last.line} - Syntax error: Unexpected token '${last[last.length - 1]}', expecting '}'`;
      if (error !== undefined) errorStage = 'syntax';
    }
    blocks.push(block);
  }
  // the server type's parse (unknown directives) runs before any plugin's setup
  if (error === undefined && setupError !== undefined) error = setupError;
  if (error !== undefined) errorStage ??= 'setup';
  return { blocks, text, unsimulated, ...(error ? { error, errorStage } : {}) };
}

const cache = new WeakMap<ClusterRuntime, { key: string; cf: Corefile }>();

/** The Corefile in effect (the ConfigMap's, else kubeadm's default). */
export function currentCorefile(cluster: ClusterRuntime): Corefile {
  const cm = cluster.store.get('ConfigMap', 'kube-system', 'coredns');
  const text = (cm?.data?.Corefile as string | undefined) ?? defaultCorefile(cluster.settings.clusterDomain);
  const c = cache.get(cluster);
  if (c && c.key === text) return c.cf;
  let cf = parseCorefile(text);
  // a file CoreDNS refused: the instance running before it goes on answering
  if (cf.error) cf = parseCorefile(cluster.dns.state.loaded ?? defaultCorefile(cluster.settings.clusterDomain));
  cache.set(cluster, { key: text, cf });
  return cf;
}

/** The server block that answers `qname` (longest zone match), as CoreDNS picks it. */
export function blockFor(cf: Corefile, qname: string): ServerBlock | undefined {
  let best: ServerBlock | undefined;
  let bestLen = -1;
  for (const b of cf.blocks) {
    if (b.port !== 53) continue;
    for (const z of b.zones) {
      if (inZone(qname, z) && z.length > bestLen) {
        best = b;
        bestLen = z.length;
      }
    }
  }
  return best;
}

export function inZone(qname: string, zone: string): boolean {
  const q = fqdn(qname);
  return zone === '.' || q === zone || q.endsWith('.' + zone);
}

/**
 * Why a CoreDNS container starting at `t` exits at once, or undefined: coremain/run.go reads
 * the Corefile (`-conf`), caddy.Start fails on what the file says and mustLogFatal prints the
 * error (log flags 0: no prefix) and exits 1 — the kubelet restarts it with its back-off.
 * The file is the ConfigMap's text at that moment (the DNS module's history).
 */
export function corednsStartError(cluster: Cluster, namespace: string, image: string, t: number): string | undefined {
  if (!/(^|\/)coredns\/coredns(:|@|$)/.test(image) || namespace !== 'kube-system') return undefined;
  const cm = cluster.store.get('ConfigMap', 'kube-system', 'coredns');
  const now = (cm?.data?.Corefile as string | undefined) ?? defaultCorefile(cluster.settings.clusterDomain);
  return parseCorefile(corefileTextAt(cluster, t, now)).error;
}

/**
 * The Corefile a CoreDNS container starting at `t` reads: the ConfigMap's text at that moment
 * (the history's last entry at or before `t`), or the ConfigMap's now when nothing changed since.
 */
export function corefileTextAt(cluster: Cluster, t: number, current: string): string {
  // the DNS module is the runtime's (a bare Cluster has none: no history, the ConfigMap now)
  const h = (cluster as Partial<ClusterRuntime>).dns?.state.history;
  if (!h?.length) return current;
  let text: string | undefined;
  for (const [at, x] of h) if (at <= t) text = x;
  return text ?? h[0][1];
}

/**
 * Stub resolvers: how a name typed on a host becomes a series of DNS questions.
 *
 *  - musl (busybox/alpine images, getaddrinfo) — src/network/lookup_name.c name_from_dns_search:
 *    a name with fewer dots than ndots (and no trailing dot) tries each search domain, then the
 *    name itself; a name with ndots or more dots is tried only as-is. A and AAAA go out together.
 *    NXDOMAIN moves on; an empty NOERROR (NODATA), SERVFAIL or a timeout stops the search.
 *  - glibc — resolv/res_query.c __res_context_search: ndots or more dots → as-is first, then the
 *    search list; fewer → the search list, then as-is. NXDOMAIN, NODATA and SERVFAIL move on;
 *    a timeout stops.
 *  - bind (nslookup, host, dig +search) — bin/dig/dighost.c setup_lookup/next_origin: the same
 *    order as glibc, but only NXDOMAIN moves on to the next domain.
 *  - busybox nslookup — networking/nslookup.c add_query_with_search: a name containing a dot is
 *    queried as-is only (ndots is ignored); a dotless one under each search domain only.
 */
import type { ClusterRuntime } from '../runtime';
import type { HostRef } from '../../types';
import type { DnsQuery, DnsRecord, Resolution } from '../../dataplane/packet';
import { exchange, newContext, type Exchange, type ExchangeContext } from './server';
import { hostsFile, hostsLookup, nodeHostsFile, NODE_STUB_RESOLV_CONF, parseResolvConf, resolvConf, WORKSTATION_RESOLV_CONF, type ResolvConf } from './resolvconf';
import { isDottedQuad, reverseName } from '../../cluster/ipv4';
import { isIPv6, reverseName6 } from '../../cluster/ipv6';

export type ResolverKind = 'musl' | 'glibc' | 'bind' | 'busybox';

export interface ResolveOptions {
  /** Query type; unset means getaddrinfo (A and AAAA) for musl/glibc, A for the others. */
  type?: string;
  /** Ask this server instead of resolv.conf's nameservers. */
  server?: string;
  /** Apply the search list (default true; dig's default is false). */
  search?: boolean;
  resolver?: ResolverKind;
  /** Reuse one command's knowledge of which servers answer. */
  context?: ExchangeContext;
}

export interface QueryResult {
  /** The question's name (no trailing dot). */
  name: string;
  type: string;
  exchange: Exchange;
}

export interface Lookup {
  resolver: ResolverKind;
  conf: ResolvConf;
  ndots: number;
  servers: string[];
  queries: QueryResult[];
  /** The query that answered (addresses or other records), if any. */
  answered?: QueryResult;
  /** Addresses from /etc/hosts (getaddrinfo consults `files` before `dns`). */
  fromHosts?: string[];
  rcode: DnsQuery['rcode'];
}

/** The resolv.conf a host's resolver reads (a learner's edit to the file wins). */
export function hostResolvConf(cluster: ClusterRuntime, host: HostRef): ResolvConf {
  let text: string | undefined;
  try {
    text = cluster.fs.read(host, '/etc/resolv.conf');
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    if (host.kind === 'pod') {
      const pod = cluster.store.get('Pod', host.namespace, host.pod);
      text = pod ? resolvConf(cluster, pod) : '';
    } else if (host.kind === 'node') text = NODE_STUB_RESOLV_CONF;
    else text = WORKSTATION_RESOLV_CONF;
  }
  return parseResolvConf(text);
}

function hostHosts(cluster: ClusterRuntime, host: HostRef): string {
  let text: string | undefined;
  try {
    text = cluster.fs.read(host, '/etc/hosts');
  } catch {
    text = undefined;
  }
  if (text !== undefined) return text;
  if (host.kind === 'pod') {
    const pod = cluster.store.get('Pod', host.namespace, host.pod);
    return pod ? hostsFile(cluster, pod) : '';
  }
  if (host.kind === 'node') return nodeHostsFile(host.node);
  return '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n';
}

/** musl for busybox/alpine-based images, glibc elsewhere. */
export function defaultResolver(cluster: ClusterRuntime, host: HostRef): ResolverKind {
  if (host.kind !== 'pod') return 'glibc';
  const pod = cluster.store.get('Pod', host.namespace, host.pod);
  const containers = (pod?.spec?.containers ?? []) as { name: string; image?: string }[];
  const c = containers.find((x) => x.name === host.container) ?? containers[0];
  const image = (c?.image ?? '').split('@')[0];
  const last = image.split('/').pop()!.split(':')[0];
  return ['busybox', 'alpine', 'curl', 'agnhost', 'netshoot'].includes(last) ? 'musl' : 'glibc';
}

export function ndotsOf(conf: ResolvConf): number {
  let n = 1;
  for (const o of conf.options) {
    const m = o.match(/^ndots:(\d+)$/);
    if (m) n = Math.min(15, Number(m[1]));
  }
  return n;
}

function dots(name: string): number {
  return (name.match(/\./g) ?? []).length;
}

/** The names a resolver will try, in order. */
export function candidateNames(kind: ResolverKind, name: string, conf: ResolvConf, useSearch = true): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const search = useSearch ? conf.search : [];
  const ndots = ndotsOf(conf);
  const under = search.map((d) => `${name}.${d}`);
  switch (kind) {
    case 'busybox':
      return !search.length || name.includes('.') ? [name] : under;
    case 'musl':
      return dots(name) >= ndots ? [name] : [...under, name];
    case 'glibc':
    case 'bind':
      return dots(name) >= ndots ? [name, ...under] : [...under, name];
  }
}

function hasRecords(e: Exchange, type: string): boolean {
  return !!e.message && e.message.rcode === 'NOERROR' && e.message.answer.some((r) => r.type === type || r.type === 'CNAME');
}

function rcodeOf(e: Exchange): DnsQuery['rcode'] {
  if (e.timeout) return 'TIMEOUT';
  if (e.refused) return 'REFUSED';
  return e.message!.rcode === 'NOERROR' || e.message!.rcode === 'NXDOMAIN' || e.message!.rcode === 'SERVFAIL' || e.message!.rcode === 'REFUSED' ? e.message!.rcode : 'SERVFAIL';
}

/** Tries the servers in order for one question, as the stub resolvers fail over on timeouts. */
function ask(cluster: ClusterRuntime, from: HostRef, servers: string[], name: string, type: string, ctx: ExchangeContext): Exchange {
  let last: Exchange | undefined;
  for (const s of servers) {
    last = exchange(cluster, from, s, name, type, ctx);
    if (!last.timeout) return last;
  }
  return last!;
}

/** Runs a resolver over `name`, recording every question. */
export function lookup(cluster: ClusterRuntime, from: HostRef, name: string, opts: ResolveOptions = {}): Lookup {
  const conf = hostResolvConf(cluster, from);
  const kind = opts.resolver ?? defaultResolver(cluster, from);
  const ctx = opts.context ?? newContext();
  // bind 9.18's tools ask with EDNS0 and a 1232-byte buffer; dig adds a client cookie
  if (kind === 'bind' && !ctx.edns) ctx.edns = { bufsize: 1232, cookie: /^dig\b/.test(ctx.command ?? '') };
  // the client's patience (a forward that never answers shows through it): bind's tools retry
  // (dighost.c: 3 tries, host.c 2) with a new query each 5 s; musl's name_from_dns resends the
  // same query within 5 s in all (RES_TIMEOUT); glibc's res_send makes 2 attempts of 5 s, a late
  // reply to the first still matching its id
  ctx.retry ??= kind === 'bind' ? { tries: /^host\b/.test(ctx.command ?? '') ? 2 : 3, timeoutMs: 5000, lateRepliesCount: false } : kind === 'glibc' ? { tries: 2, timeoutMs: 5000, lateRepliesCount: true } : { tries: 1, timeoutMs: 5000, lateRepliesCount: true };
  const servers = opts.server ? [opts.server] : conf.nameservers.length ? conf.nameservers : ['127.0.0.1'];
  const out: Lookup = { resolver: kind, conf, ndots: ndotsOf(conf), servers, queries: [], rcode: 'NXDOMAIN' };
  const getaddrinfo = (kind === 'musl' || kind === 'glibc') && !opts.type;

  if (getaddrinfo && !opts.server) {
    if (isDottedQuad(name)) {
      out.fromHosts = [name];
      out.rcode = 'NOERROR';
      return out;
    }
    const h = hostsLookup(hostHosts(cluster, from), name);
    if (h.length) {
      out.fromHosts = h;
      out.rcode = 'NOERROR';
      return out;
    }
  }

  const types = getaddrinfo ? ['A', 'AAAA'] : [opts.type ?? 'A'];
  // an address asked as PTR: its in-addr.arpa name, or an IPv6 one's nibbles under ip6.arpa
  const qname = types[0] === 'PTR' && isDottedQuad(name) ? reverseName(name) + '.' : types[0] === 'PTR' && isIPv6(name) ? reverseName6(name) + '.' : name;
  const names = types[0] === 'PTR' ? [qname.replace(/\.$/, '')] : candidateNames(kind, qname, conf, opts.search !== false);

  for (const n of names) {
    const results = types.map((t) => ({ name: n, type: t, exchange: ask(cluster, from, servers, n, t, ctx) }));
    out.queries.push(...results);
    const primary = results[0];
    const rcodes = results.map((r) => rcodeOf(r.exchange));
    const answered = results.find((r) => hasRecords(r.exchange, r.type));
    if (answered) {
      out.answered = answered;
      out.rcode = 'NOERROR';
      return out;
    }
    if (rcodes.includes('TIMEOUT')) {
      out.rcode = 'TIMEOUT';
      return out;
    }
    const nx = rcodes.every((r) => r === 'NXDOMAIN') || (kind !== 'busybox' && rcodes[0] === 'NXDOMAIN');
    out.rcode = nx ? 'NXDOMAIN' : rcodes.find((r) => r !== 'NOERROR') ?? 'NOERROR';
    switch (kind) {
      case 'musl':
        if (!nx) return out; // NODATA or SERVFAIL ends musl's search
        break;
      case 'bind':
        if (rcodeOf(primary.exchange) !== 'NXDOMAIN') return out;
        break;
      case 'glibc':
      case 'busybox':
        break;
    }
  }
  return out;
}

function toRecords(rs: DnsRecord[] | undefined): DnsRecord[] {
  return (rs ?? []).map((r) => ({ ...r }));
}

/**
 * Resolves `name` from `from` the way its resolver would (search list, ndots), sending
 * each question through the network to the nameserver. Every question is in `queries`.
 */
export function resolve(cluster: ClusterRuntime, from: HostRef, name: string, opts: ResolveOptions = {}): Resolution {
  const l = lookup(cluster, from, name, opts);
  if (l.fromHosts) return { name: name.replace(/\.$/, ''), addresses: l.fromHosts, queries: [], rcode: 'NOERROR' };
  const queries: DnsQuery[] = l.queries.map((q) => ({
    name: q.name,
    type: q.type,
    server: q.exchange.server,
    rcode: rcodeOf(q.exchange),
    answers: toRecords(q.exchange.message?.answer),
  }));
  const res: Resolution = { addresses: [], queries, rcode: l.rcode };
  if (l.answered) {
    const ans = l.answered.exchange.message!.answer;
    res.name = l.answered.name;
    const cname = ans.find((r) => r.type === 'CNAME');
    if (cname) res.cname = cname.data.replace(/\.$/, '');
    res.addresses = ans.filter((r) => r.type === 'A').map((r) => r.data);
    const aaaa = l.queries.find((q) => q.name === l.answered!.name && q.type === 'AAAA')?.exchange.message?.answer.filter((r) => r.type === 'AAAA').map((r) => r.data) ?? [];
    if (aaaa.length) res.addresses6 = aaaa;
  }
  return res;
}

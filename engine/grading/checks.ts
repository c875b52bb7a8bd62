/**
 * Evaluates a check against the live simulation. Each kind of check answers "is it so?"
 * and, when it is not, "why not?" in words a learner can act on.
 */
import type { HistoryEntry, Simulation } from '../simulation';
import { resourceFor } from '../cluster/resources';
import type { HostRef } from '../types';
import type { Check, Task, Verdict } from './types';
import { describeRef, getPath, matchesSelector, parseSelector, sameValue, show, formatSelector } from './query';
import { canonicalAddress, explainNoEndpoints, originHost, readyEndpoints, serviceForName, targetAddress, targetAddresses } from './cluster-facts';
import { isIPv4 } from '../cluster/ipv4';
import { isIPv6 } from '../cluster/ipv6';
import { answerMatches, derive, nsOf, type DerivedValue } from './derived';
import { httpGet, lookup, walk } from './net';
import { compileJsPattern, PatternError, type LinearPattern } from '../patterns';
import { historySince, prediction, settle } from './predict';

export interface CheckContext {
  /** The task whose answer an `answer` check reads. */
  taskId: string;
  /** The lesson's tasks, for `done:` checks. */
  tasks?: Task[];
  /** Task ids being evaluated (guards against `done:` cycles). */
  visiting?: Set<string>;
}

/**
 * Where a finished task is remembered: in the simulation's answers (so it survives
 * snapshot/restore), under a key no task id can take (ids have no colon).
 */
export const DONE_PREFIX = 'done:';

export function rememberDone(sim: Simulation, taskId: string): void {
  if (sim.answers[DONE_PREFIX + taskId] === undefined) sim.answers[DONE_PREFIX + taskId] = String(sim.clock.now());
}

export function rememberedDone(sim: Simulation, taskId: string): boolean {
  return sim.answers[DONE_PREFIX + taskId] !== undefined;
}

export function evaluate(sim: Simulation, check: Check, ctx: CheckContext): Verdict {
  try {
    return evaluateUnsafe(sim, check, ctx);
  } catch (e) {
    return { ok: false, reason: `this task cannot be checked right now: ${(e as Error).message}` };
  }
}

function plural(n: number, word: string): string {
  if (n === 1 || word === 'Endpoints') return `${n} ${word}`;
  if (/[^aeiou]y$/.test(word)) return `${n} ${word.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(word)) return `${n} ${word}es`;
  return `${n} ${word}s`;
}

function compareCount(n: number, c: { equals?: number; atLeast?: number; atMost?: number }): string | undefined {
  if (c.equals !== undefined && n !== c.equals) return `expected ${c.equals}`;
  if (c.atLeast !== undefined && n < c.atLeast) return `expected at least ${c.atLeast}`;
  if (c.atMost !== undefined && n > c.atMost) return `expected at most ${c.atMost}`;
  return undefined;
}

function evaluateUnsafe(sim: Simulation, check: Check, ctx: CheckContext): Verdict {
  if ('all' in check) {
    for (const c of check.all) {
      const v = evaluate(sim, c, ctx);
      if (!v.ok) return v;
    }
    return { ok: true };
  }
  if ('any' in check) {
    const reasons: string[] = [];
    for (const c of check.any) {
      const v = evaluate(sim, c, ctx);
      if (v.ok) return { ok: true };
      if (v.reason) reasons.push(v.reason);
    }
    const distinct = [...new Set(reasons)];
    return { ok: false, reason: distinct.length > 1 ? `none of these holds yet: ${distinct.join('; ')}` : distinct[0] };
  }
  if ('not' in check) {
    const v = evaluate(sim, check.not, ctx);
    if (!v.ok) return { ok: true };
    return { ok: false, reason: check.because ?? 'the cluster is still in the state this task asks you to change' };
  }
  if ('done' in check) {
    const id = check.done;
    if (rememberedDone(sim, id)) return { ok: true };
    const other = ctx.tasks?.find((t) => t.id === id);
    const title = other ? `"${other.title}"` : id;
    const visiting = ctx.visiting ?? new Set([ctx.taskId]);
    if (!other || visiting.has(id)) return { ok: false, reason: `do the task ${title} first` };
    visiting.add(id);
    const v = evaluate(sim, other.check, { taskId: id, tasks: ctx.tasks, visiting });
    visiting.delete(id);
    return v.ok ? { ok: true } : { ok: false, reason: `do the task ${title} first` };
  }
  if ('exists' in check) {
    const { kind, name } = check.exists;
    const realKind = resourceFor(kind)?.kind ?? kind;
    const ns = nsOf(realKind, check.exists.namespace);
    const obj = sim.store.get(realKind, ns, name);
    return obj ? { ok: true } : { ok: false, reason: `${describeRef(realKind, name, ns)} does not exist yet` };
  }
  if ('field' in check) {
    const f = check.field;
    const realKind = resourceFor(f.kind)?.kind ?? f.kind;
    const ns = nsOf(realKind, f.namespace);
    const obj = sim.store.get(realKind, ns, f.name);
    const what = describeRef(realKind, f.name, ns);
    if (!obj) return { ok: false, reason: `${what} does not exist yet` };
    const v = getPath(obj, f.path);
    if (f.equals !== undefined) {
      return sameValue(v, f.equals) ? { ok: true } : { ok: false, reason: `${what} has ${f.path} = ${show(v)}, not ${show(f.equals)}` };
    }
    if (f.equalsDerived !== undefined) {
      const d = derive(sim, f.equalsDerived);
      if (d.reason) return { ok: false, reason: d.reason };
      return sameValue(v, d.raw) ? { ok: true } : { ok: false, reason: `${what} has ${f.path} = ${show(v)}, not ${d.value}` };
    }
    if (f.matches !== undefined) {
      const re = authored(f.matches);
      if (re instanceof PatternError) return { ok: false, reason: `this check's pattern cannot run: ${re.message}` };
      return v !== undefined && re.test(show(v)) ? { ok: true } : { ok: false, reason: `${what} has ${f.path} = ${show(v)}` };
    }
    const want = f.present ?? true;
    if ((v !== undefined) === want) return { ok: true };
    return { ok: false, reason: want ? `${what} has no ${f.path}` : `${what} still has ${f.path} = ${show(v)}` };
  }
  if ('count' in check) {
    const c = check.count;
    const realKind = resourceFor(c.kind)?.kind ?? c.kind;
    const ns = nsOf(realKind, c.namespace);
    let objs = sim.store.list(realKind, ns);
    if (c.selector !== undefined) {
      const reqs = parseSelector(c.selector);
      objs = objs.filter((o) => matchesSelector(o.metadata.labels, reqs));
    }
    const bad = compareCount(objs.length, c);
    if (!bad) return { ok: true };
    const where = ns ? ` in namespace ${ns}` : '';
    const sel = c.selector !== undefined ? ` with labels ${formatSelector(c.selector)}` : '';
    return { ok: false, reason: `there ${objs.length === 1 ? 'is' : 'are'} ${plural(objs.length, realKind)}${sel}${where}; ${bad}` };
  }
  if ('endpoints' in check) {
    const e = check.endpoints;
    const ns = e.namespace ?? 'default';
    const svc = sim.store.get('Service', ns, e.service);
    const the = describeRef('Service', e.service, ns);
    if (!svc) return { ok: false, reason: `${the} does not exist yet` };
    const eps = readyEndpoints(sim, ns, e.service);
    if (eps.length === 0 && (e.equals === undefined || e.equals > 0) && (e.atMost === undefined || e.atLeast !== undefined)) {
      return { ok: false, reason: explainNoEndpoints(sim, ns, e.service) };
    }
    const bounds = e.equals === undefined && e.atLeast === undefined && e.atMost === undefined ? { atLeast: 1 } : e;
    const bad = compareCount(eps.length, bounds);
    if (bad) return { ok: false, reason: `${the} has ${plural(eps.length, 'ready endpoint')}; ${bad}` };
    if (e.port !== undefined) {
      const wrong = eps.filter((ep) => !ep.ports.some((p) => p.port === e.port));
      if (wrong.length) {
        const ports = [...new Set(wrong.flatMap((ep) => ep.ports.map((p) => p.port)))].join(', ') || 'none';
        return { ok: false, reason: `${the} sends traffic to port ${ports} on its Pods, not ${e.port} (check its targetPort)` };
      }
    }
    return { ok: true };
  }
  if ('reach' in check) {
    const r = check.reach;
    const from = originHost(sim, r.from);
    if (!from.host) return { ok: false, reason: from.reason };
    const to = targetAddress(sim, r.to);
    if (!to.ip) return { ok: false, reason: to.reason };
    const res = walk(sim, from.host, to.ip, r.port, r.protocol ?? 'tcp');
    const delivered = res.outcome === 'delivered';
    const path = `${from.label} → ${to.label} port ${r.port}`;
    if (r.expect === 'allowed') {
      if (delivered) return { ok: true };
      if (to.service && readyEndpoints(sim, to.service.namespace, to.service.name).length === 0) {
        return { ok: false, reason: `${path} does not connect: ${explainNoEndpoints(sim, to.service.namespace, to.service.name)}` };
      }
      return { ok: false, reason: `${path} does not connect (${outcomeWords(res.outcome)})${res.reason ? `: ${res.reason}` : ''}` };
    }
    if (!delivered) return { ok: true };
    return { ok: false, reason: `${path} still connects: nothing blocks it yet` };
  }
  if ('dns' in check) {
    const d = check.dns;
    const from = originHost(sim, d.from);
    if (!from.host) return { ok: false, reason: from.reason };
    const res = lookup(sim, from.host, d.name);
    if (d.expect === 'nxdomain') {
      return res.addresses.length === 0 ? { ok: true } : { ok: false, reason: `${d.name} still resolves from ${from.label} (to ${res.addresses.join(', ')})` };
    }
    if (res.addresses.length === 0) {
      return { ok: false, reason: `${d.name} does not resolve from ${from.label} (${res.rcode})` };
    }
    if (d.expect === 'resolves') return { ok: true };
    const want = expectedAddresses(sim, d, from.host);
    if (!want) return { ok: true };
    if (want.reason) return { ok: false, reason: want.reason };
    const got = [...res.addresses].sort().join(', ');
    return got === want.list!.join(', ') ? { ok: true } : { ok: false, reason: `${d.name} resolves to ${got} from ${from.label}, not ${want.list!.join(', ')}` };
  }
  if ('http' in check) {
    const h = check.http;
    const from = originHost(sim, h.from);
    if (!from.host) return { ok: false, reason: from.reason };
    const shown = `${h.url}${h.host ? ` (Host: ${h.host})` : ''} from ${from.label}`;
    const res = httpGet(sim, from.host, h.url, h.host ? [['Host', h.host]] : []);
    if (res.status === undefined) return { ok: false, reason: `${shown} gets no answer: ${res.failure}` };
    const want = h.status ?? 200;
    if (res.status !== want) return { ok: false, reason: `${shown} answers ${res.status}, not ${want}` };
    if (h.body !== undefined) {
      const re = authored(h.body);
      if (re instanceof PatternError) return { ok: false, reason: `this check's pattern cannot run: ${re.message}` };
      if (!re.test(res.body ?? '')) return { ok: false, reason: `${shown} answers ${res.status}, but not with the expected page` };
    }
    return { ok: true };
  }
  if ('history' in check) {
    const h = check.history;
    const re = authored(h.pattern);
    if (re instanceof PatternError) return { ok: false, reason: `this check's pattern cannot run: ${re.message}` };
    const wantOk = h.succeeded ?? true;
    const target = h.to ? targetAddresses(sim, h.to) : undefined;
    const aimed = target ? (words: string) => namedAddresses(words).some((ip) => target.ips.has(ip)) : undefined;
    let matchedButFailed = false;
    let elsewhere = false;
    for (const e of sim.history) {
      if (h.on && !hostMatches(e.host, h.on)) continue;
      if (aimed && historyMatch(re, e) !== undefined && historyMatch(re, e, aimed) === undefined) elsewhere = true;
      const status = historyMatch(re, e, aimed);
      if (status === undefined) continue;
      if (!wantOk || status === 0) return { ok: true };
      matchedButFailed = true;
    }
    const where = !h.on ? '' : ['node', 'pod'].includes(h.on) ? ` on a ${h.on}` : h.on === 'workstation' ? ' on your workstation' : ` on ${h.on}`;
    const what = h.what ? `\`${h.what}\`` : 'the command';
    if (matchedButFailed) return { ok: false, reason: `you ran ${what}${where}, but it did not succeed yet — read its error and try again` };
    if (elsewhere && target) return { ok: false, reason: `you ran ${what}${where}, but not to an address of ${target.label}${target.ips.size ? ` (${[...target.ips].join(', ')})` : ''}` };
    return { ok: false, reason: `you have not run ${what}${where} yet` };
  }
  if ('predict' in check) {
    const { answer, then } = check.predict;
    const p = prediction(sim, ctx.taskId);
    if (!p) return { ok: false, reason: `predict first: type your answer in the task panel (or run: answer ${ctx.taskId} VALUE) before you look — your first answer is the one that counts` };
    const re = authored(then.pattern);
    if (re instanceof PatternError) return { ok: false, reason: `this check's pattern cannot run: ${re.message}` };
    const target = then.to ? targetAddresses(sim, then.to) : undefined;
    const aimed = target ? (words: string) => namedAddresses(words).some((ip) => target.ips.has(ip)) : undefined;
    const ran = historySince(sim, p).some((e) => {
      if (then.on && !hostMatches(e.host, then.on)) return false;
      const status = historyMatch(re, e, aimed);
      return status !== undefined && (then.succeeded === false || status === 0);
    });
    const what = then.what ? `\`${then.what}\`` : 'the command that shows it';
    if (!ran) return { ok: false, reason: `you predicted "${p.value}": now run ${what} and see` };
    const d: DerivedValue = derive(sim, answer);
    settle(sim, ctx.taskId, d.reason ? { right: false } : { right: answerMatches(p.value, d), truth: d.value });
    return { ok: true };
  }
  if ('answer' in check) {
    const given = sim.answers[ctx.taskId];
    const d: DerivedValue = derive(sim, check.answer);
    if (d.reason) return { ok: false, reason: d.reason };
    if (given === undefined || given.trim() === '') return { ok: false, reason: `not answered yet (type it in the task panel, or run: answer ${ctx.taskId} VALUE)` };
    return answerMatches(given, d) ? { ok: true } : { ok: false, reason: `"${given}" is not right yet` };
  }
  return { ok: false, reason: `unknown check ${Object.keys(check as object).join(', ')}` };
}

/**
 * An instructor's pattern, compiled once and run in linear time (patterns/js.ts): it is
 * re-run over every command the learner typed after every command, and a JavaScript
 * RegExp's backtracking made one long command line cost seconds to minutes.
 */
function authored(src: string): LinearPattern | PatternError {
  try {
    return compileJsPattern(src);
  } catch (e) {
    if (e instanceof PatternError) return e;
    throw e;
  }
}

/**
 * Whether a history entry ran what `re` describes, and with which status: undefined when
 * it did not. The pattern is tried on each simple command the line ran (its text as typed,
 * then its expanded argv), and a command it matches decides by its own status, so in
 * `nft delete rule … && curl web` the delete succeeded although the curl (and the line)
 * failed. Only a pattern that matches no single command — one that spans a pipeline or a
 * list, `kubectl get .* \| grep` — is tried on the whole line, judged by the line's status.
 * Entries saved before lines recorded their commands have only the line.
 */
function historyMatch(re: LinearPattern, e: HistoryEntry, aimed?: (words: string) => boolean): number | undefined {
  let status: number | undefined;
  let matched = false;
  for (const c of e.commands ?? []) {
    if (!re.test(c.text) && !(c.argv && re.test(c.argv.join(' ')))) continue;
    matched = true;
    // `to`: the command's words after expansion name the target (`ping $(kubectl get pod … podIP)`)
    if (aimed && !aimed(c.argv ? c.argv.join(' ') : c.text)) continue;
    if (c.exitCode === 0) return 0;
    status ??= c.exitCode;
  }
  if (status !== undefined || matched) return status;
  return re.test(e.command.trim()) && (!aimed || aimed(e.command)) ? e.exitCode : undefined;
}

/** The IPv4 and IPv6 addresses a command's words name (a URL's `[fd00::5]:80` included), IPv6 canonical. */
function namedAddresses(words: string): string[] {
  const out: string[] = [];
  for (const m of words.matchAll(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g)) if (isIPv4(m[0])) out.push(m[0]);
  for (const m of words.matchAll(/[0-9A-Fa-f]*:[0-9A-Fa-f:.]*/g)) if (isIPv6(m[0])) out.push(canonicalAddress(m[0]));
  return out;
}

function outcomeWords(o: string): string {
  switch (o) {
    case 'timeout':
      return 'it times out';
    case 'refused':
      return 'the connection is refused';
    case 'unreachable':
      return 'the address is unreachable';
    case 'nxdomain':
      return 'the name does not resolve';
    default:
      return o;
  }
}

function hostMatches(host: HostRef, on: string): boolean {
  if (on === host.kind) return true;
  if (host.kind === 'node') return host.node === on;
  if (host.kind === 'pod') return host.pod === on || `${host.namespace}/${host.pod}` === on;
  return false;
}

/** The addresses a name should resolve to, as the cluster defines them (a Service's ClusterIP, a headless Service's ready Pod IPs). */
function expectedAddresses(sim: Simulation, d: { name: string; expect?: unknown }, host: HostRef): { list?: string[]; reason?: string } | undefined {
  const e = d.expect as { addresses: unknown } | undefined;
  if (e && typeof e === 'object' && 'addresses' in e) {
    if (Array.isArray(e.addresses)) return { list: e.addresses.map(String).sort() };
    const v = derive(sim, e.addresses as Parameters<typeof derive>[1]);
    if (v.reason) return { reason: v.reason };
    // `endpoint:` values are IP:port; a DNS answer is the IP.
    const raw = (Array.isArray(v.raw) ? v.raw.map(String) : [String(v.raw)]).map((x) => x.replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1'));
    return { list: [...new Set(raw)].sort() };
  }
  const ns = host.kind === 'pod' ? host.namespace : 'default';
  const svc = serviceForName(sim, d.name, ns);
  if (!svc) return undefined;
  if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') return { list: [svc.spec.clusterIP] };
  const eps = readyEndpoints(sim, svc.metadata.namespace ?? 'default', svc.metadata.name).map((x) => x.ip);
  return { list: eps.sort() };
}

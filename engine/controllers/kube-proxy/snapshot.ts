/**
 * What of a node's netfilter state survives a snapshot, in every proxy mode: the chains
 * edited or deleted by hand since the last sync wrote them, rule and policy counters,
 * the xt_recent lists and the conntrack table. Everything else is what a sync writes, so
 * a restored simulation syncs and then puts these back.
 */
import type { NodeNetfilter } from '../../dataplane/netfilter/tables';
import { parseRuleSpec, type TableName } from '../../dataplane/netfilter/rule';
import { saveRuleBody } from '../../dataplane/netfilter/save-form';
import type { ConntrackEntry, ConntrackTable } from './conntrack';

export interface NodeSnapshot {
  dirty: { table: TableName; chain: string; policy?: 'ACCEPT' | 'DROP'; rules: string[] }[];
  removed: string[];
  counters: [TableName, string, number, number, number][];
  policy: [string, number, number][];
  recent: [string, [string, number[]][]][];
  conntrack: ConntrackEntry[];
}

export function snapshotNode(nf: NodeNetfilter, ct: ConntrackTable | undefined): NodeSnapshot {
  const dirty: NodeSnapshot['dirty'] = [];
  for (const key of nf.dirty) {
    const [table, chain] = key.split(' ') as [TableName, string];
    const c = nf.chain(table, chain);
    if (c) dirty.push({ table, chain, policy: c.policy, rules: c.rules.map((r) => saveRuleBody(r)) });
  }
  const counters: NodeSnapshot['counters'] = [];
  if (nf.counters.size > 0) {
    for (const t of nf.tableNames()) {
      for (const c of nf.tables.get(t)!.values()) {
        c.rules.forEach((r, i) => {
          const n = nf.counters.get(r);
          if (n) counters.push([t, c.name, i, n[0], n[1]]);
        });
      }
    }
  }
  return {
    dirty,
    removed: [...nf.removed],
    counters,
    policy: [...nf.policyCounters].map(([k, v]) => [k, v[0], v[1]]),
    recent: [...nf.recent].map(([n, m]) => [n, [...m].map(([ip, hits]) => [ip, [...hits]] as [string, number[]])]),
    conntrack: ct?.entries.map((e) => ({ ...e })) ?? [],
  };
}

/**
 * Puts a node's hand edits, counters and recent lists back onto freshly synced tables
 * (conntrack is the caller's); `prog` ip6tables for a dual-stack node's IPv6 tables.
 */
export function restoreNode(nf: NodeNetfilter, ns: NodeSnapshot, prog = 'iptables'): void {
  for (const key of ns.removed) {
    const [t, c] = key.split(' ') as [TableName, string];
    nf.deleteChain(t, c);
    nf.removed.add(key);
  }
  for (const d of ns.dirty) {
    const tab = nf.table(d.table);
    tab.set(d.chain, { name: d.chain, policy: d.policy, rules: d.rules.map((r) => parseRuleSpec(splitSaved(r), prog)) });
    nf.own(d.table, d.chain);
    nf.markDirty(d.table, d.chain);
  }
  for (const [t, c, i, p, b] of ns.counters) {
    const r = nf.chain(t, c)?.rules[i];
    if (r) nf.counters.set(r, [p, b]);
  }
  for (const [k, p, b] of ns.policy) nf.policyCounters.set(k, [p, b]);
  nf.recent = new Map(ns.recent.map(([n, m]) => [n, new Map(m)]));
}

/** Splits a saved rule body back into argv (handles iptables-save's double quotes). */
export function splitSaved(body: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < body.length) {
    while (body[i] === ' ') i++;
    if (i >= body.length) break;
    if (body[i] === '"') {
      let s = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\' && i + 1 < body.length) i++;
        s += body[i++];
      }
      i++;
      out.push(s);
    } else {
      let s = '';
      while (i < body.length && body[i] !== ' ') s += body[i++];
      out.push(s);
    }
  }
  return out;
}

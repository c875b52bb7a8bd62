/**
 * What of a node's nftables state survives a snapshot: the handles the kernel gave every
 * chain, rule and set (a restored node shows the same `nft -a` numbers), the chains and
 * sets edited by hand (their rules or elements as they are now), the affinity elements
 * with their expiry, and the stale chains. Everything else is what a sync writes: a
 * restored simulation syncs first, then puts these back.
 */
import type { NftRule } from '../../../dataplane/nftables/rule';
import type { NftChain, NftElement, NftSet, NftTable } from '../../../dataplane/nftables/ruleset';
import type { NftNodeState } from './proxier';

interface TableSnapshot {
  last: number;
  /** [name, handle, rule handles] in creation order; hand-edited chains carry their rules. */
  chains: [string, number, number[], NftRule[]?][];
  /** [name, handle] in creation order; hand-edited and dynamic sets carry their elements. */
  sets: [string, number, NftElement[]?][];
}

export interface NftNodeSnapshot {
  started: boolean;
  v4: TableSnapshot;
  v6: TableSnapshot;
  stale: [string, number][];
}

function snapTable(t: NftTable): TableSnapshot {
  return {
    last: t.lastHandle,
    chains: [...t.chains.values()].map((c) => {
      const row: TableSnapshot['chains'][number] = [c.name, c.handle, c.rules.map((r) => r.handle)];
      if (t.dirtyChains.has(c.name)) row.push(c.rules.map((r) => r.rule));
      return row;
    }),
    sets: [...t.sets.values()].map((s) => {
      const row: TableSnapshot['sets'][number] = [s.name, s.handle];
      if (t.dirtySets.has(s.name) || s.flags.includes('dynamic')) row.push([...s.elements.values()].map((e) => ({ ...e })));
      return row;
    }),
  };
}

export function snapshotNftNode(s: NftNodeState): NftNodeSnapshot {
  return { started: s.started, v4: snapTable(s.v4), v6: snapTable(s.v6), stale: [...s.stale] };
}

function restoreTable(t: NftTable, snap: TableSnapshot): void {
  const chains = new Map<string, NftChain>();
  for (const [name, handle, handles, rules] of snap.chains) {
    const c = t.chains.get(name) ?? { name, handle, rules: [] };
    c.handle = handle;
    if (rules) {
      c.rules = rules.map((rule, i) => ({ handle: handles[i], rule }));
      t.dirtyChains.add(name);
    } else if (c.rules.length === handles.length) {
      c.rules = c.rules.map((r, i) => ({ handle: handles[i], rule: r.rule }));
    }
    chains.set(name, c);
  }
  for (const c of t.chains.values()) if (!chains.has(c.name)) chains.set(c.name, c);
  t.chains.clear();
  t.baseChains.clear();
  for (const [k, c] of chains) {
    t.chains.set(k, c);
    if (c.base) t.baseChains.set(k, c);
  }

  const sets = new Map<string, NftSet>();
  for (const [name, handle, elements] of snap.sets) {
    const s = t.sets.get(name);
    if (!s) continue;
    s.handle = handle;
    if (elements) {
      s.elements = new Map(elements.map((e) => [e.key.join(' . '), { ...e }]));
      if (!s.flags.includes('dynamic')) t.dirtySets.add(name);
    }
    sets.set(name, s);
  }
  for (const s of t.sets.values()) if (!sets.has(s.name)) sets.set(s.name, s);
  t.sets.clear();
  for (const [k, s] of sets) t.sets.set(k, s);
  t.lastHandle = Math.max(t.lastHandle, snap.last);
}

export function restoreNftNode(s: NftNodeState, snap: NftNodeSnapshot): void {
  restoreTable(s.v4, snap.v4);
  restoreTable(s.v6, snap.v6);
  s.stale = new Map(snap.stale);
  s.started = snap.started;
}

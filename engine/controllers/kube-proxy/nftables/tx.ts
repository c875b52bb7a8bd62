/**
 * A knftables Transaction: the operations a sync sends to `nft` in one batch (add, flush
 * and delete of chains, rules, sets and elements), recorded in order and replayed on a
 * node's kube-proxy table. Replaying in order is what numbers things as the kernel does:
 * a chain or set added for the first time, a rule, and every anonymous set in a rule
 * (`{ a, b }`, a numgen vmap) takes the table's next handle, so `nft -a` shows the
 * handles a real node would after the same history of syncs.
 */
import type { NftRule, NftVerdict } from '../../../dataplane/nftables/rule';
import type { NftBaseChain, NftElement, NftSetSpec, NftTable } from '../../../dataplane/nftables/ruleset';

export type NftOp =
  | { op: 'addChain'; name: string; base?: NftBaseChain; comment?: string }
  | { op: 'flushChain'; name: string }
  | { op: 'deleteChain'; name: string }
  | { op: 'addRule'; chain: string; rule: NftRule }
  | { op: 'addSet'; spec: NftSetSpec }
  | { op: 'flushSet'; name: string }
  | { op: 'deleteSet'; name: string }
  | { op: 'addElement'; set: string; elem: NftElement }
  | { op: 'deleteElement'; set: string; key: string };

export class Tx {
  readonly ops: NftOp[] = [];

  addChain(name: string, opts: { base?: NftBaseChain; comment?: string } = {}): this {
    this.ops.push({ op: 'addChain', name, ...opts });
    return this;
  }

  flushChain(name: string): this {
    this.ops.push({ op: 'flushChain', name });
    return this;
  }

  deleteChain(name: string): this {
    this.ops.push({ op: 'deleteChain', name });
    return this;
  }

  /** ensureChain: `add chain` + `flush chain`, so the chain holds only what this transaction adds. */
  ensureChain(name: string): this {
    return this.addChain(name).flushChain(name);
  }

  addRule(chain: string, rule: NftRule): this {
    this.ops.push({ op: 'addRule', chain, rule });
    return this;
  }

  addSet(spec: NftSetSpec): this {
    this.ops.push({ op: 'addSet', spec });
    return this;
  }

  flushSet(name: string): this {
    this.ops.push({ op: 'flushSet', name });
    return this;
  }

  deleteSet(name: string): this {
    this.ops.push({ op: 'deleteSet', name });
    return this;
  }

  addElement(set: string, key: string[], value?: NftVerdict, comment?: string): this {
    const elem: NftElement = { key };
    if (value) elem.value = value;
    if (comment !== undefined) elem.comment = comment;
    this.ops.push({ op: 'addElement', set, elem });
    return this;
  }

  deleteElement(set: string, key: string): this {
    this.ops.push({ op: 'deleteElement', set, key });
    return this;
  }
}

/** Anonymous sets a rule creates in the kernel (nft folds a one-element `{ x }` into `x`). */
function anonymousSets(rule: NftRule): number {
  let n = 0;
  for (const s of rule.stmts) if (s.t === 'numgen' || (s.t === 'addrlist' && s.items.length > 1)) n++;
  return n;
}

/** Replays operations on a table, in order. */
export function apply(t: NftTable, ops: readonly NftOp[]): void {
  for (const o of ops) {
    switch (o.op) {
      case 'addChain': t.addChain(o.name, o); break;
      case 'flushChain': t.flushChain(o.name); break;
      case 'deleteChain': t.deleteChain(o.name); break;
      case 'addRule':
        if (!t.chains.has(o.chain)) break;
        t.lastHandle += anonymousSets(o.rule);
        t.addRule(o.chain, o.rule);
        break;
      case 'addSet': {
        const s = t.addSet(o.spec);
        if (o.spec.timeout !== undefined) s.timeout = o.spec.timeout;
        break;
      }
      case 'flushSet': t.flushSet(o.name); break;
      case 'deleteSet': t.deleteSet(o.name); break;
      case 'addElement': t.addElement(o.set, o.elem); break;
      case 'deleteElement': t.deleteElement(o.set, o.key); break;
    }
  }
}

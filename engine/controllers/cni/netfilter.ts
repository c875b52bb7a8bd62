/**
 * How a plugin's node agent writes its own iptables chains next to kube-proxy's and
 * kubelet's: whole chains replaced on each resync, and jumps from the built-in chains
 * ensured once (inserted at the top, or appended).
 */
import type { NodeNetfilter, Chain } from '../../dataplane/netfilter/tables';
import { AGENT_PROG, parseRuleSpec, type Rule, type TableName } from '../../dataplane/netfilter/rule';
import { saveRuleBody } from '../../dataplane/netfilter/save-form';

/** One rule's arguments as iptables takes them (`-m comment --comment …` groups may nest). */
export type RuleSpec = (string | string[])[];

/** Parsed rule bodies behind a leading comment, by their arguments (see rule()). */
const afterComment = new Map<string, Rule>();

/**
 * A rule from iptables (or, with IPv6 addresses, ip6tables) arguments. Felix tags every rule
 * with a `-m comment --comment cali:…` of its own, so a node's 200 workloads give thousands of
 * rules that differ only there: the rest is parsed once and each rule gets its own Rule with
 * the comment match in front — the object parseRuleSpec builds from the whole list (the
 * comment builder comes first and owns no other option), down to its key order.
 */
export function rule(...args: (string | string[])[]): Rule {
  const flat = args.flat();
  if (flat.length > 4 && flat[0] === '-m' && flat[1] === 'comment' && flat[2] === '--comment' && flat[3].length <= 255) {
    const rest = flat.slice(4);
    const key = rest.join('\u0000');
    let tpl = afterComment.get(key);
    if (tpl === undefined) {
      try {
        tpl = parseRuleSpec(rest, AGENT_PROG);
      } catch {
        // (a stray `--comment` the first comment would own): the whole list, as iptables reads it
        return parseRuleSpec(flat, AGENT_PROG);
      }
      if (afterComment.size > 50_000) afterComment.clear();
      afterComment.set(key, tpl);
    }
    return { ...tpl, matches: [{ kind: 'comment', comment: flat[3] }, ...tpl.matches] };
  }
  return parseRuleSpec(flat, AGENT_PROG);
}

/**
 * Replaces the named chains of a table. `tag` turns a chain's i-th rule into the rule written
 * (Felix tags each with a `cali:` id); without it the arguments are written as they are.
 */
export function writeChains(nf: NodeNetfilter, table: TableName, chains: Record<string, RuleSpec[]>, tag?: (chain: string, i: number, args: string[]) => Rule): void {
  nf.table(table);
  for (const [name, rules] of Object.entries(chains)) {
    const out: Rule[] = rules.map((args, i) => {
      const flat = args.flat();
      return tag ? tag(name, i, flat) : rule(flat);
    });
    nf.writeChain(table, { name, rules: out } as Chain);
  }
}

/** Ensures a jump from a built-in chain, as the agents' periodic resyncs do (no duplicates). */
export function ensureJump(nf: NodeNetfilter, table: TableName, from: string, jump: Rule, insert: boolean, at = 0): void {
  const existing = nf.table(table).get(from)!;
  const body = saveRuleBody(jump);
  if (existing.rules.some((r) => saveRuleBody(r) === body)) return;
  const c = nf.own(table, from)!;
  at = Math.min(at, c.rules.length);
  if (insert) c.rules.splice(at, 0, jump);
  else c.rules.push(jump);
}

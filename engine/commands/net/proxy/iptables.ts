/**
 * `iptables`, `iptables-save` (and `ip6tables`, `ip6tables-save`) against the node's
 * current tables. Option parsing follows iptables/xshared.c (getopt_long over
 * "-:A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46"), command
 * semantics and error texts follow iptables/nft.c and nft_strerror in iptables 1.8.9.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { fail, ok } from '../../../types';
import {
  BUILTIN_CHAINS, IptablesError, IPT_VERSION, isExtensionTarget, parameterProblem, parseRuleSpec, targetAllowedIn,
  type Rule, type TableName,
} from '../../../dataplane/netfilter/rule';
import type { NodeNetfilter } from '../../../dataplane/netfilter/tables';
import { ipv6KubeletTables, kubeProxyOf } from '../../../controllers/kube-proxy';
import { listHeader, listRule, saveRuleBody, type ListFormat } from '../../../printers/netfilter/rules';
import { iptablesListRules, iptablesSaveTable } from '../../../printers/netfilter/save';
import { ctime, nodeOf } from './node';
import { podNetfilter } from '../../../controllers/istio/iptables';
import type { NodeNetfilter as PodTables } from '../../../dataplane/netfilter/tables';

/**
 * A Pod's own network namespace, entered as root from its node (`ip netns exec cni-… iptables-save`):
 * empty unless something wrote rules there — Istio's istio-init (controllers/istio/iptables.ts).
 */
function podNamespaceTables(ctx: CommandContext): PodTables | undefined {
  if (!ctx.netnsExec || ctx.host.kind !== 'pod') return undefined;
  const pod = ctx.cluster.store.get('Pod', ctx.host.namespace, ctx.host.pod);
  return pod ? podNetfilter(pod) : undefined;
}

const TABLES: TableName[] = ['filter', 'nat', 'mangle', 'raw', 'security'];

type Cmd = 'A' | 'C' | 'D' | 'I' | 'R' | 'L' | 'S' | 'F' | 'Z' | 'N' | 'X' | 'P' | 'E';

const LONG: Record<string, string> = {
  '--append': 'A', '--check': 'C', '--delete': 'D', '--insert': 'I', '--replace': 'R', '--list': 'L', '--list-rules': 'S',
  '--flush': 'F', '--zero': 'Z', '--new-chain': 'N', '--new': 'N', '--delete-chain': 'X', '--policy': 'P', '--rename-chain': 'E',
  '--table': 't', '--numeric': 'n', '--verbose': 'v', '--exact': 'x', '--wait': 'w', '--wait-interval': 'W', '--version': 'V',
  '--help': 'h', '--ipv4': '4', '--ipv6': '6',
};
const COMMANDS = 'ACDIRLSFZNXPE';
/** Short options that take an argument (the rule-spec ones are handed to the rule parser). */
const RULE_OPTS = 'spdijmgo';

const SHORT_LONG: Record<string, string> = { A: 'append', C: 'check', D: 'delete', I: 'insert', R: 'replace', L: 'list', S: 'list-rules', F: 'flush', Z: 'zero', N: 'new-chain', X: 'delete-chain', P: 'policy', E: 'rename-chain' };

interface Parsed {
  cmd?: Cmd;
  chain?: string;
  num?: number;
  extra?: string;
  table: TableName;
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
  ruleArgs: string[];
}

function runIptables(args: string[], ctx: CommandContext, prog: string): RunResult {
  const podTables = podNamespaceTables(ctx);
  if (podTables && prog === 'iptables') {
    try {
      const p = parse(args, prog);
      if (p.cmd && !['L', 'S'].includes(p.cmd)) return fail(`${prog} ${IPT_VERSION}: this simulation shows a Pod's own rules read-only\n`, 4);
      return execute(p, podTables, prog, ctx);
    } catch (e) {
      if (e instanceof IptablesError && e.code >= 0) return fail(e.message, e.code);
      throw e;
    }
  }
  const node = nodeOf(ctx);
  if (!node) {
    return fail(`${prog} ${IPT_VERSION}: Could not fetch rule set generation id: Permission denied (you must be root)\n\n`, 4);
  }
  const kp = kubeProxyOf(ctx.cluster);
  kp.ensureSynced();
  const nf = kp.node(node);
  if (!nf) return fail(`${prog} ${IPT_VERSION}: Could not fetch rule set generation id: Invalid argument\n\n`, 4);
  try {
    const p = parse(args, prog);
    if (prog === 'ip6tables') return ip6(p, prog, node, ctx);
    return execute(p, nf, prog, ctx);
  } catch (e) {
    if (e instanceof IptablesError && e.code >= 0) return fail(e.message, e.code);
    throw e;
  }
}

function parse(argv: string[], prog: string): Parsed {
  const p: Parsed = { table: 'filter', numeric: false, verbose: false, exact: false, lineNumbers: false, ruleArgs: [] };
  const setCmd = (c: Cmd) => {
    if (p.cmd) throw parameterProblem(prog, `Cannot use -${c} with -${p.cmd}\n`);
    p.cmd = c;
  };
  let i = 0;
  const takeChainAndNum = (c: Cmd, inline: string | undefined, optional: boolean) => {
    let chain = inline;
    if (chain === undefined && i < argv.length && !argv[i].startsWith('-') && argv[i] !== '!') chain = argv[i++];
    if (chain === undefined && !optional) throw parameterProblem(prog, `option "--${SHORT_LONG[c]}" requires an argument`);
    p.chain = chain;
    if ((c === 'D' || c === 'I' || c === 'R' || c === 'Z' || c === 'L' || c === 'S') && i < argv.length && /^\d+$/.test(argv[i])) {
      p.num = Number(argv[i++]);
      if (c === 'R' || c === 'I' || c === 'D') if (p.num < 1) throw parameterProblem(prog, 'Invalid rule number `0\'');
    }
    if (c === 'R' && p.num === undefined) throw parameterProblem(prog, '-R requires a rule number');
    if (c === 'P' || c === 'E') {
      if (i >= argv.length) throw parameterProblem(prog, `-${c} requires a ${c === 'P' ? 'chain and a policy' : 'old-chain-name and a new-chain-name'}`);
      p.extra = argv[i++];
    }
  };
  while (i < argv.length) {
    const a = argv[i++];
    if (a === '!' || !a.startsWith('-') || a === '-') {
      p.ruleArgs.push(a);
      continue;
    }
    let letter: string | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const [name, val] = a.split('=', 2);
      if (name === '--line-numbers') { p.lineNumbers = true; continue; }
      letter = LONG[name];
      inline = val;
      if (!letter) {
        // A rule-spec option (--dport, --comment…): the rule parser owns it, with its argument(s).
        p.ruleArgs.push(a);
        continue;
      }
    } else {
      // Bundled short options: -nvL, -tnat, -vnL KUBE-SERVICES.
      const letters = a.slice(1);
      for (let k = 0; k < letters.length; k++) {
        const l = letters[k];
        const rest = letters.slice(k + 1) || undefined;
        if ('nvx46'.includes(l)) {
          if (l === 'n') p.numeric = true;
          else if (l === 'v') p.verbose = true;
          else if (l === 'x') p.exact = true;
          continue;
        }
        if (l === 'w' || l === 'W') {
          if (!rest && i < argv.length && /^\d+$/.test(argv[i])) i++;
          break;
        }
        if (l === 'V') throw new IptablesError('', -1);
        if (l === 'h') throw new IptablesError('', -2);
        if (l === 't') {
          const v = rest ?? argv[i++];
          if (v === undefined) throw parameterProblem(prog, 'option "-t" requires an argument');
          if (!TABLES.includes(v as TableName)) {
            throw new IptablesError(`${prog} ${IPT_VERSION}: can't initialize ${prog} table \`${v}': Table does not exist (do you need to insmod?)\nPerhaps ${prog} or your kernel needs to be upgraded.\n`, 3);
          }
          p.table = v as TableName;
          break;
        }
        if (COMMANDS.includes(l)) {
          setCmd(l as Cmd);
          takeChainAndNum(l as Cmd, rest, l === 'L' || l === 'S' || l === 'F' || l === 'Z' || l === 'X');
          break;
        }
        if (RULE_OPTS.includes(l) || l === 'f' || l === 'c') {
          p.ruleArgs.push('-' + l);
          if (rest) p.ruleArgs.push(rest);
          break;
        }
        throw parameterProblem(prog, `invalid option -- '${l}'`);
      }
      continue;
    }
    // Long forms of the letters above.
    if ('nvx46'.includes(letter)) {
      if (letter === 'n') p.numeric = true;
      else if (letter === 'v') p.verbose = true;
      else if (letter === 'x') p.exact = true;
      continue;
    }
    if (letter === 'V') throw new IptablesError('', -1);
    if (letter === 'h') throw new IptablesError('', -2);
    if (letter === 'w' || letter === 'W') {
      if (inline === undefined && i < argv.length && /^\d+$/.test(argv[i])) i++;
      continue;
    }
    if (letter === 't') {
      const v = inline ?? argv[i++];
      if (!TABLES.includes(v as TableName)) {
        throw new IptablesError(`${prog} ${IPT_VERSION}: can't initialize ${prog} table \`${v}': Table does not exist (do you need to insmod?)\nPerhaps ${prog} or your kernel needs to be upgraded.\n`, 3);
      }
      p.table = v as TableName;
      continue;
    }
    setCmd(letter as Cmd);
    takeChainAndNum(letter as Cmd, inline, letter === 'L' || letter === 'S' || letter === 'F' || letter === 'Z' || letter === 'X');
  }
  if (!p.cmd) throw parameterProblem(prog, 'no command specified');
  const listing = p.cmd === 'L' || p.cmd === 'S';
  if (!listing) {
    if (p.numeric) throw parameterProblem(prog, `Illegal option \`-n' with this command\n`);
    if (p.lineNumbers) throw parameterProblem(prog, `Illegal option \`--line-numbers' with this command\n`);
  }
  const needsRule = ['A', 'C', 'I', 'R'].includes(p.cmd) || (p.cmd === 'D' && p.num === undefined);
  if (!needsRule && p.ruleArgs.length > 0) {
    const first = p.ruleArgs[0];
    if (first.startsWith('-')) throw parameterProblem(prog, `Illegal option \`${first}' with this command\n`);
    throw parameterProblem(prog, `Bad argument \`${first}'`);
  }
  if (p.chain && p.chain.length > 28 && p.cmd === 'N') throw parameterProblem(prog, `chain name \`${p.chain}' too long (must be under 29 chars)`);
  return p;
}

const NO_CHAIN = (prog: string) => new IptablesError(`${prog}: No chain/target/match by that name.\n`, 1);

function chainOrFail(nf: NodeNetfilter, table: TableName, chain: string | undefined, prog: string) {
  const c = chain !== undefined ? nf.chain(table, chain) : undefined;
  if (!c) throw NO_CHAIN(prog);
  return c;
}

function buildRule(p: Parsed, nf: NodeNetfilter, prog: string): Rule {
  const rule = parseRuleSpec(p.ruleArgs, prog);
  const t = rule.target;
  if (t?.kind === 'jump' && (!nf.chain(p.table, t.chain) || BUILTIN_CHAINS[p.table].includes(t.chain))) {
    throw parameterProblem(prog, `Chain '${t.chain}' does not exist`);
  }
  if (!targetAllowedIn(rule, p.table)) throw new IptablesError(`${prog}: Invalid argument. Run \`dmesg' for more information.\n`, 1);
  return rule;
}

function execute(p: Parsed, nf: NodeNetfilter, prog: string, ctx: CommandContext): RunResult {
  const t = p.table;
  const fmt: ListFormat = { numeric: p.numeric, verbose: p.verbose, exact: p.exact, lineNumbers: p.lineNumbers, ...(prog.startsWith('ip6') ? { ipv6: true } : {}) };
  switch (p.cmd!) {
    case 'L': {
      const tab = nf.tables.get(t);
      const names = p.chain !== undefined ? [p.chain] : tab ? nf.chainNames(t) : BUILTIN_CHAINS[t];
      if (p.chain !== undefined && !(tab?.has(p.chain) || (!tab && BUILTIN_CHAINS[t].includes(p.chain)))) throw NO_CHAIN(prog);
      const refs = nf.references(t);
      const blocks: string[] = [];
      for (const name of names) {
        const c = tab?.get(name) ?? { name, policy: 'ACCEPT' as const, rules: [] };
        let out = listHeader(name, BUILTIN_CHAINS[t].includes(name) ? c.policy : undefined, nf.policyCountersOf(t, name), refs.get(name) ?? 0, fmt);
        c.rules.forEach((r, idx) => {
          if (p.num !== undefined && idx + 1 !== p.num) return;
          out += listRule(r, idx + 1, nf.countersOf(r), fmt);
        });
        blocks.push(out);
      }
      return ok(blocks.join('\n'));
    }
    case 'S': {
      if (p.chain !== undefined) chainOrFail(nf, t, p.chain, prog);
      if (p.chain !== undefined && p.num !== undefined) {
        const r = nf.chain(t, p.chain)!.rules[p.num - 1];
        if (!r) throw new IptablesError(`${prog}: Index of deletion too big.\n`, 1);
        return ok(`-A ${p.chain}${saveRuleBody(r)}\n`);
      }
      return ok(iptablesListRules(nf, t, p.chain, p.verbose));
    }
    case 'A': case 'I': case 'R': case 'C': case 'D': {
      const c0 = chainOrFail(nf, t, p.chain, prog);
      if (p.cmd === 'D' && p.num !== undefined) {
        if (p.num > c0.rules.length) throw new IptablesError(`${prog}: Index of deletion too big.\n`, 1);
        const c = nf.own(t, p.chain!)!;
        c.rules.splice(p.num - 1, 1);
        nf.markDirty(t, c.name);
        return ok();
      }
      const rule = buildRule(p, nf, prog);
      const body = saveRuleBody(rule);
      if (p.cmd === 'C' || p.cmd === 'D') {
        const idx = c0.rules.findIndex((r) => saveRuleBody(r) === body);
        if (idx < 0) throw new IptablesError(`${prog}: Bad rule (does a matching rule exist in that chain?).\n`, 1);
        if (p.cmd === 'D') {
          const c = nf.own(t, p.chain!)!;
          c.rules.splice(idx, 1);
          nf.markDirty(t, c.name);
        }
        return ok();
      }
      if (p.cmd === 'I' && (p.num ?? 1) > c0.rules.length + 1) throw new IptablesError(`${prog}: Index of insertion too big.\n`, 1);
      if (p.cmd === 'R' && p.num! > c0.rules.length) throw new IptablesError(`${prog}: Index of replacement too big.\n`, 1);
      const c = nf.own(t, p.chain!)!;
      if (p.cmd === 'A') c.rules.push(rule);
      else if (p.cmd === 'I') c.rules.splice((p.num ?? 1) - 1, 0, rule);
      else c.rules[p.num! - 1] = rule;
      nf.markDirty(t, c.name);
      return ok();
    }
    case 'F': {
      const names = p.chain !== undefined ? [chainOrFail(nf, t, p.chain, prog).name] : nf.chainNames(t);
      for (const n of names) {
        const c = nf.own(t, n);
        if (!c || c.rules.length === 0) continue;
        c.rules = [];
        nf.markDirty(t, n);
      }
      return ok();
    }
    case 'Z': {
      if (p.chain !== undefined) chainOrFail(nf, t, p.chain, prog);
      nf.zero(t, p.chain);
      return ok();
    }
    case 'N': {
      const name = p.chain!;
      if (name.startsWith('!')) throw parameterProblem(prog, 'chain name not allowed to start with `!\'');
      if (isExtensionTarget(name) || ['ACCEPT', 'DROP', 'RETURN', 'QUEUE'].includes(name)) throw parameterProblem(prog, 'chain name may not clash with target name');
      if (nf.chain(t, name)) throw new IptablesError(`${prog}: Chain already exists.\n`, 1);
      nf.table(t).set(name, { name, rules: [] });
      nf.own(t, name);
      nf.markDirty(t, name);
      return ok();
    }
    case 'X': {
      const refs = nf.references(t);
      const del = (name: string) => {
        const c = nf.chain(t, name);
        if (!c) throw NO_CHAIN(prog);
        if (BUILTIN_CHAINS[t].includes(name)) throw new IptablesError(`${prog}: Invalid argument. Run \`dmesg' for more information.\n`, 1);
        if ((refs.get(name) ?? 0) > 0) throw new IptablesError(`${prog}: Too many links.\n`, 1);
        if (c.rules.length > 0) throw new IptablesError(`${prog}: Directory not empty.\n`, 1);
        nf.deleteChain(t, name);
        nf.dirty.delete(`${t} ${name}`);
        nf.removed.add(`${t} ${name}`);
      };
      if (p.chain !== undefined) del(p.chain);
      else for (const n of nf.chainNames(t)) if (!BUILTIN_CHAINS[t].includes(n)) del(n);
      return ok();
    }
    case 'P': {
      const name = p.chain!;
      if (!BUILTIN_CHAINS[t].includes(name)) throw new IptablesError(`${prog}: Bad built-in chain name.\n`, 1);
      if (p.extra !== 'ACCEPT' && p.extra !== 'DROP') throw new IptablesError(`${prog}: Bad policy name. Run \`dmesg' for more information.\n`, 1);
      nf.table(t);
      const c = nf.own(t, name)!;
      c.policy = p.extra;
      nf.markDirty(t, name);
      return ok();
    }
    case 'E': {
      const old = chainOrFail(nf, t, p.chain, prog);
      const name = p.extra!;
      if (nf.chain(t, name)) throw new IptablesError(`${prog}: File exists.\n`, 1);
      const c = nf.own(t, old.name)!;
      nf.deleteChain(t, old.name);
      nf.dirty.delete(`${t} ${old.name}`);
      nf.removed.add(`${t} ${old.name}`);
      c.name = name;
      nf.table(t).set(name, c);
      nf.markDirty(t, name);
      return ok();
    }
  }
  void ctx;
  return ok();
}

/**
 * `ip6tables` on a node: a dual-stack node's IPv6 tables are kube-proxy's IPv6 proxier's
 * (controllers/kube-proxy/iptables/ipv6.ts), editable like the IPv4 ones until its next
 * sync; a single-stack IPv4 node's hold kubelet's hint and canary chains only (read-only).
 */
function ip6(p: Parsed, prog: string, node: string, ctx: CommandContext): RunResult {
  const nf6 = kubeProxyOf(ctx.cluster).node6(node);
  if (nf6) return execute(p, nf6, prog, ctx);
  const v6 = ipv6KubeletTables(node);
  if (p.cmd === 'L' || p.cmd === 'S') return execute(p, v6, prog, ctx);
  return fail(`${prog}: Operation not supported.\n`, 1);
}

function help(prog: string): string {
  return `${prog} v1.8.9 (nf_tables)

Usage: ${prog} -[ACD] chain rule-specification [options]
       ${prog} -I chain [rulenum] rule-specification [options]
       ${prog} -R chain rulenum rule-specification [options]
       ${prog} -D chain rulenum [options]
       ${prog} -[LS] [chain [rulenum]] [options]
       ${prog} -[FZ] [chain] [options]
       ${prog} -[NX] chain
       ${prog} -E old-chain-name new-chain-name
       ${prog} -P chain target [options]
       ${prog} -h (print this help information)
`;
}

function wrap(prog: string): CommandSpec['run'] {
  return (args, ctx) => {
    try {
      return runIptables(args, ctx, prog);
    } catch (e) {
      if (e instanceof IptablesError && e.code === -1) return ok(`${prog} ${IPT_VERSION}\n`);
      if (e instanceof IptablesError && e.code === -2) return ok(help(prog));
      throw e;
    }
  };
}

function runVersionAware(prog: string): CommandSpec['run'] {
  const inner = wrap(prog);
  return (args, ctx) => {
    const r = inner(args, ctx);
    return r;
  };
}

function saveCommand(prog: 'iptables-save' | 'ip6tables-save'): CommandSpec {
  return {
    name: prog,
    summary: `dump the node's ${prog.startsWith('ip6') ? 'IPv6' : 'IPv4'} netfilter tables`,
    run(args, ctx) {
      const podTables = prog === 'iptables-save' ? podNamespaceTables(ctx) : undefined;
      const node = nodeOf(ctx);
      if (!node && !podTables) return fail(`${prog} ${IPT_VERSION}: Could not fetch rule set generation id: Permission denied (you must be root)\n\n`, 1);
      let table: TableName | undefined;
      let counters = false;
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === '-t' || a === '--table') {
          const v = args[++i];
          if (v === undefined) return fail(`${prog} ${IPT_VERSION}: option requires an argument -- 't'\n`, 1);
          if (!TABLES.includes(v as TableName)) return fail(`${prog} ${IPT_VERSION}: Table \`${v}' does not exist\n`, 1);
          table = v as TableName;
        } else if (a.startsWith('--table=')) table = a.slice(8) as TableName;
        else if (a === '-c' || a === '--counters') counters = true;
        else if (a === '-V' || a === '--version') return ok(`${prog} ${IPT_VERSION}\n`);
        else if (a === '-f' || a === '--file' || a === '-M' || a === '--modprobe') i++;
        else if (a === '-h' || a === '--help') return ok(`Usage: ${prog} [-c] [-t table] [-f file]\n`);
        else return fail(`${prog} ${IPT_VERSION}: Unknown arguments found on commandline\n`, 1);
      }
      const date = ctime(ctx.cluster.clock.now());
      if (podTables) return ok((table ? [table] : podTables.tableNames()).map((t) => iptablesSaveTable(podTables, t, date, counters, prog)).join(''));
      const kp = kubeProxyOf(ctx.cluster);
      kp.ensureSynced();
      const nf = kp.node(node!);
      if (!nf) return ok();
      if (prog === 'ip6tables-save') {
        // A dual-stack node's IPv6 tables (kube-proxy's IPv6 proxier, flanneld's IPv6 chains);
        // those of an IPv4 single-stack node: kubelet's hint and canary chains only.
        const v6 = kp.node6(node!) ?? ipv6KubeletTables(node!);
        const t6 = table ? [table] : v6.tableNames();
        return ok(t6.map((t) => iptablesSaveTable(v6, t, date, counters, prog)).join(''));
      }
      const tables = table ? [table] : nf.tableNames();
      return ok(tables.map((t) => iptablesSaveTable(nf, t, date, counters, prog)).join(''));
    },
  };
}

export const iptablesCommands: CommandSpec[] = [
  { name: 'iptables', summary: 'administer the node\'s IPv4 packet filter and NAT rules', run: runVersionAware('iptables') },
  { name: 'ip6tables', summary: 'administer the node\'s IPv6 packet filter and NAT rules', run: runVersionAware('ip6tables') },
  saveCommand('iptables-save'),
  saveCommand('ip6tables-save'),
];

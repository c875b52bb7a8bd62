/**
 * `nft` (nftables 1.0.6) on a node: list the ruleset, tables, chains, sets and maps
 * (-a handles, -s, -t, -y, -n, -T), delete a rule by handle, flush a chain, set or map.
 * It sees what the node's kernel has: iptables-nft's tables (kubelet, the CNI agent, and
 * kube-proxy in iptables/IPVS mode) and kube-proxy's nftables tables in nftables mode.
 * Errors are nft's: evaluation errors (src/evaluate.c table_not_found & co., with the
 * misspelling hint of src/misspell.c) and the kernel's ENOENT as nft reports it
 * (src/cmd.c nft_cmd_enoent), each with the command line and carets.
 */
import type { CommandContext, CommandSpec } from '../../../shell/command';
import type { RunResult } from '../../../types';
import { kubeProxyOf } from '../../../controllers/kube-proxy';
import type { NftSet, NftTable } from '../../../dataplane/nftables/ruleset';
import { NodeNetfilter } from '../../../dataplane/netfilter/tables';
import type { TableName } from '../../../dataplane/netfilter/rule';
import { nodeTables, printable, iptablesChains, iptablesHandle, type TableRef } from '../../../printers/nftables/tables';
import { listChain, listChains, listSet, listSets, tableText, type NftListOptions } from '../../../printers/nftables/ruleset';
import { errorRecord, parseCli, tokenize, type NftFlags, type Token } from './nft-cli';
import { closest } from './nft-misspell';
import { nodeOf } from './node';

const FAMILIES = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];
const NOT_SIMULATED = ['add', 'create', 'insert', 'replace', 'rename', 'reset', 'export', 'import', 'monitor', 'describe', 'get', 'destroy'];

class NftError extends Error {
  constructor(readonly out: string) {
    super(out);
  }
}

/** The IPv6 iptables tables of an IPv4 node: kubelet's hint and canary chains (as ip6tables shows them). */
function ipv6Tables(node: string): NodeNetfilter {
  const v6 = new NodeNetfilter(node);
  v6.table('mangle').set('KUBE-IPTABLES-HINT', { name: 'KUBE-IPTABLES-HINT', rules: [] });
  for (const t of ['mangle', 'nat', 'filter'] as TableName[]) v6.table(t).set('KUBE-KUBELET-CANARY', { name: 'KUBE-KUBELET-CANARY', rules: [] });
  return v6;
}

/** A small recursive-descent reader of the command buffer, with bison's messages for what it does not accept. */
class Reader {
  i = 0;
  constructor(readonly line: string, readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  /** The token's kind as bison names it: "string", "number", "newline" (the end of the buffer). */
  private kind(t: Token | undefined): string {
    if (!t) return 'newline';
    if (/^\d+$/.test(t.text)) return 'number';
    if (t.text === '{' || t.text === '}') return `'${t.text}'`;
    return 'string';
  }

  private loc(t: Token | undefined): [number, number] {
    return t ? [t.first, t.last] : [this.line.length + 1, this.line.length + 1];
  }

  unexpected(expecting?: string): never {
    const t = this.peek();
    const [a, b] = this.loc(t);
    throw new NftError(errorRecord(`syntax error, unexpected ${this.kind(t)}${expecting ? `, expecting ${expecting}` : ''}`, this.line, a, b));
  }

  /** An identifier (a string token). */
  ident(): Token {
    const t = this.peek();
    if (!t || this.kind(t) !== 'string') this.unexpected('string');
    this.i++;
    return t;
  }

  keyword(word: string): Token {
    const t = this.peek();
    if (!t || t.text !== word) this.unexpected(word);
    this.i++;
    return t;
  }

  family(): string | undefined {
    const t = this.peek();
    if (t && FAMILIES.includes(t.text)) {
      this.i++;
      return t.text;
    }
    return undefined;
  }

  /** The end of the command; `only` when nothing else could follow (bison then lists what it expected). */
  end(only = false): void {
    if (this.peek()) this.unexpected(only ? 'end of file or newline or semicolon' : undefined);
  }
}

interface Spec {
  family: string;
  table?: Token;
  name?: Token;
}

function tableSpec(r: Reader): Spec {
  const family = r.family() ?? 'ip';
  return { family, table: r.ident() };
}

function objSpec(r: Reader): Spec {
  const s = tableSpec(r);
  s.name = r.ident();
  return s;
}

class Session {
  readonly tables: TableRef[];
  constructor(readonly r: Reader, readonly flags: NftFlags, readonly ctx: CommandContext, nf: NodeNetfilter, node: string) {
    const kp = kubeProxyOf(ctx.cluster);
    this.tables = nodeTables(nf, ipv6Tables(node), kp.mode === 'nftables' ? kp.nftables.ruleset(node) : undefined);
  }

  get opts(): NftListOptions {
    const f = this.flags;
    return { handles: f.handles, stateless: f.stateless, terse: f.terse, numericPrio: f.numericPrio, numericTime: f.numericTime, now: this.ctx.cluster.clock.now() };
  }

  error(msg: string, t: Token): never {
    throw new NftError(errorRecord(msg, this.r.line, t.first, t.last));
  }

  find(s: Spec): TableRef | undefined {
    return this.tables.find((t) => t.family === s.family && t.name === s.table!.text);
  }

  /** table_not_found: ENOENT, with the closest table name of any family. */
  tableNotFound(s: Spec): never {
    const t = closest(this.tables.map((x) => ({ name: x.name, obj: x })), s.table!.text);
    if (!t) this.error('No such file or directory', s.table!);
    this.error(`No such file or directory; did you mean table ‘${t.name}’ in family ${t.family}?`, s.table!);
  }

  tableOrFail(s: Spec): TableRef {
    return this.find(s) ?? this.tableNotFound(s);
  }

  chainNames(t: TableRef): string[] {
    return t.nft ? [...t.nft.chains.keys()] : iptablesChains(t.ipt!.nf, t.ipt!.table, t.family).map((c) => c.name);
  }

  /** chain_lookup_fuzzy: the closest chain name over every table (the first table wins a tie). */
  fuzzyChain(name: string): { chain: string; table: TableRef } | undefined {
    const all = this.tables.flatMap((t) => this.chainNames(t).map((c) => ({ name: c, obj: { chain: c, table: t } })));
    return closest(all, name);
  }

  setNames(t: TableRef): { name: string; map: boolean }[] {
    return t.nft ? [...t.nft.sets.values()].map((s) => ({ name: s.name, map: s.map })) : [];
  }

  /** The named set (or map) of a `list|flush set|map` command, or nft's ENOENT for it. */
  setOrFail(s: Spec, map: boolean): { t: TableRef; set: NftSet } {
    const t = this.tableOrFail(s);
    const set = t.nft?.sets.get(s.name!.text);
    if (!set) this.setNotFound(s);
    if (set.map !== map) this.error('No such file or directory', s.name!);
    return { t, set };
  }

  setNotFound(s: Spec): never {
    const all = this.tables.flatMap((t) => this.setNames(t).map((x) => ({ name: x.name, obj: { ...x, table: t } })));
    const f = closest(all, s.name!.text);
    if (!f) this.error('No such file or directory', s.name!);
    this.error(`No such file or directory; did you mean ${f.map ? 'map' : 'set'} ‘${f.name}’ in table ${f.table.family} ‘${f.table.name}’?`, s.name!);
  }

  /** The kernel's ENOENT on a rule or chain command, as nft_cmd_enoent_{rule,chain} reports it. */
  enoent(s: Spec, at: Token, obj: 'rule' | 'chain'): never {
    const f = this.fuzzyChain(s.name!.text);
    if (f) {
      // table_fuzzy_check
      if (!this.find(s) && (s.table!.text !== f.table.name || s.family !== f.table.family)) {
        this.error(`No such file or directory; did you mean table ‘${f.table.name}’ in family ${f.table.family}?`, s.table!);
      }
      if (obj === 'chain' || f.chain !== s.name!.text) {
        this.error(`No such file or directory; did you mean chain ‘${f.chain}’ in table ${f.table.family} ‘${f.table.name}’?`, at);
      }
    }
    this.error('Could not process rule: No such file or directory', at);
  }

  run(): RunResult {
    const r = this.r;
    const verb = r.peek();
    if (!verb) return r.unexpected();
    if (NOT_SIMULATED.includes(verb.text)) {
      return { stdout: '', stderr: `netlab: \`nft ${verb.text}\` is not simulated here; nft lists the node's tables, deletes rules by handle and flushes chains, sets and maps\n`, exitCode: 1 };
    }
    r.i++;
    switch (verb.text) {
      case 'list': return this.list();
      case 'delete': return this.delete();
      case 'flush': return this.flush();
      default: r.i--; return r.unexpected();
    }
  }

  private out(stdout: string, stderr = ''): RunResult {
    return { stdout, stderr, exitCode: 0 };
  }

  /** The iptables-nft warning (on stderr) for a table holding compat expressions. */
  private warn(t: TableRef, onlyChain?: string): string {
    if (!t.ipt) return '';
    return printable(t, this.flags.stateless, onlyChain).xt ? `# Warning: table ${t.family} ${t.name} is managed by iptables-nft, do not touch!\n` : '';
  }

  private filtered(family: string | undefined): TableRef[] {
    return this.tables.filter((t) => !family || t.family === family);
  }

  private list(): RunResult {
    const r = this.r;
    const what = r.ident();
    const o = this.opts;
    switch (what.text) {
      case 'ruleset': {
        const fam = r.family();
        r.end();
        const tables = this.filtered(fam);
        return this.out(tables.map((t) => tableText(printable(t, o.stateless), o)).join(''), tables.map((t) => this.warn(t)).join(''));
      }
      case 'tables': {
        const fam = r.family();
        r.end();
        return this.out(this.filtered(fam).map((t) => `table ${t.family} ${t.name}\n`).join(''));
      }
      case 'table': {
        const s = tableSpec(r);
        r.end(true);
        const t = this.tableOrFail(s);
        return this.out(tableText(printable(t, o.stateless), o), this.warn(t));
      }
      case 'chain': {
        const s = objSpec(r);
        r.end(true);
        const t = this.tableOrFail(s);
        const p = printable(t, o.stateless, s.name!.text);
        const c = p.chains.find((x) => x.name === s.name!.text);
        if (!c) {
          const f = this.fuzzyChain(s.name!.text);
          if (!f) this.error('No such file or directory', s.name!);
          this.error(`No such file or directory; did you mean chain ‘${f.chain}’ in table ${f.table.family} ‘${f.table.name}’?`, s.name!);
        }
        return this.out(listChain(p, c, o), this.warn(t, c.name));
      }
      case 'chains': {
        const fam = r.family();
        r.end();
        return this.out(listChains(this.filtered(fam).map((t) => printable(t, o.stateless)), o));
      }
      case 'set': case 'map': {
        const s = objSpec(r);
        r.end(true);
        const { t, set } = this.setOrFail(s, what.text === 'map');
        return this.out(listSet(printable(t, o.stateless), set, o));
      }
      case 'sets': case 'maps': {
        const fam = r.family();
        r.end();
        return this.out(listSets(this.filtered(fam).map((t) => printable(t, o.stateless)), what.text, o));
      }
      default:
        r.i--;
        return r.unexpected();
    }
  }

  private delete(): RunResult {
    const r = this.r;
    const what = r.ident();
    if (what.text !== 'rule') {
      r.i--;
      if (['table', 'chain', 'set', 'map', 'element'].includes(what.text)) {
        return { stdout: '', stderr: `netlab: \`nft delete ${what.text}\` is not simulated here; delete rules by handle (nft -a list chain …) or flush a chain, set or map\n`, exitCode: 1 };
      }
      return r.unexpected();
    }
    const s = objSpec(r);
    const hk = r.peek();
    if (!hk || hk.text !== 'handle') r.unexpected('handle');
    r.i++;
    const num = r.peek();
    if (!num || !/^\d+$/.test(num.text)) return r.unexpected('number');
    r.i++;
    r.end(true);
    const t = this.find(s);
    if (!t) this.enoent(s, s.table!, 'rule');
    if (!this.chainNames(t).includes(s.name!.text)) this.enoent(s, s.name!, 'rule');
    const handle = Number(num.text);
    if (this.flags.check) {
      return this.out('');
    }
    if (t.nft) {
      const c = t.nft.chains.get(s.name!.text)!;
      const idx = c.rules.findIndex((x) => x.handle === handle);
      if (idx < 0) this.enoent(s, num, 'rule');
      c.rules = c.rules.filter((_, k) => k !== idx);
      t.nft.dirtyChains.add(c.name);
    } else {
      const { nf, table } = t.ipt!;
      const key = `${t.family} ${table}`;
      printable(t, true); // handles are given in listing order: as if the learner had listed the table first
      const c = nf.chain(table, s.name!.text)!;
      const idx = c.rules.findIndex((x) => iptablesHandle(nf, key, { rule: x }) === handle);
      if (idx < 0) this.enoent(s, num, 'rule');
      nf.own(table, c.name)!.rules.splice(idx, 1);
      nf.markDirty(table, c.name);
    }
    return this.out('');
  }

  private flush(): RunResult {
    const r = this.r;
    const what = r.ident();
    switch (what.text) {
      case 'chain': {
        const s = objSpec(r);
        r.end(true);
        const t = this.find(s);
        if (!t || !this.chainNames(t).includes(s.name!.text)) this.enoent(s, t ? s.name! : s.table!, 'chain');
        if (this.flags.check) return this.out('');
        if (t.nft) {
          const c = t.nft.chains.get(s.name!.text)!;
          if (c.rules.length) {
            c.rules = [];
            t.nft.dirtyChains.add(c.name);
          }
        } else {
          const { nf, table } = t.ipt!;
          const c = nf.own(table, s.name!.text)!;
          if (c.rules.length) {
            c.rules = [];
            nf.markDirty(table, c.name);
          }
        }
            return this.out('');
      }
      case 'set': case 'map': {
        const s = objSpec(r);
        r.end(true);
        const { t, set } = this.setOrFail(s, what.text === 'map');
        if (this.flags.check) return this.out('');
        if (set.elements.size) {
          set.elements.clear();
          (t.nft as NftTable).dirtySets.add(set.name);
        }
            return this.out('');
      }
      case 'ruleset': case 'table':
        return { stdout: '', stderr: `netlab: \`nft flush ${what.text}\` is not simulated here; flush one chain, set or map\n`, exitCode: 1 };
      default:
        r.i--;
        return r.unexpected();
    }
  }
}

export const nftCommand: CommandSpec = {
  name: 'nft',
  summary: 'list and edit the node\'s nftables ruleset (kube-proxy\'s table in nftables mode)',
  run(args, ctx) {
    const cli = parseCli(args);
    if ('done' in cli) return cli.done;
    const node = nodeOf(ctx);
    if (!node) return { stdout: '', stderr: 'Operation not permitted (you must be root)\n', exitCode: 1 };
    // a dual-stack node's ip6 tables would hold kube-proxy's IPv6 rules, which are not derived
    if (ctx.cluster.settings.podCIDRv6) return { stdout: '', stderr: 'netlab: nft on a dual-stack node would list the ip6 tables beside the ip ones; this simulation does not translate the IPv6 rules to nft\'s syntax (iptables-save and ip6tables-save show both families)\n', exitCode: 1 };
    const kp = kubeProxyOf(ctx.cluster);
    kp.ensureSynced();
    const nf = kp.node(node);
    if (!nf) return { stdout: '', stderr: 'Operation not permitted (you must be root)\n', exitCode: 1 };
    const { line, tokens } = tokenize(cli.words);
    try {
      return new Session(new Reader(line, tokens), cli.flags, ctx, nf, node).run();
    } catch (e) {
      if (e instanceof NftError) return { stdout: '', stderr: e.out, exitCode: 1 };
      throw e;
    }
  },
};

/** `ipset list [NAME]` / `ipset -L` / `ipset list -n` / `ipset -t list` (ipset 7.17). */
import type { CommandSpec } from '../../../shell/command';
import { fail, ok } from '../../../types';
import { kubeProxyOf } from '../../../controllers/kube-proxy';
import { cniIpsets } from '../../../controllers/kube-proxy/cni-chains';
import { printIpset } from '../../../dataplane/ipvs/ipset';
import { sha256Bytes as sha256 } from '../../../cluster/hash';
import { nodeOf } from './node';

const V = 'ipset v7.17';

export const ipsetCommand: CommandSpec = {
  name: 'ipset',
  summary: 'list the node\'s IP sets (kube-proxy IPVS mode, Calico Felix)',
  run(args, ctx) {
    const node = nodeOf(ctx);
    if (!node) return fail(`${V}: Kernel error received: Operation not permitted\n`, 1);
    let cmd: string | undefined;
    let name: string | undefined;
    let namesOnly = false, terse = false;
    for (const a of args) {
      if (a === '-n' || a === '-name') namesOnly = true;
      else if (a === '-t' || a === '-terse') terse = true;
      else if (a === '-o' || a === '-output' || a === 'plain' || a === '-s' || a === '-sorted' || a === '-q' || a === '-quiet') continue;
      else if (a === 'list' || a === '-L' || a === '--list' || a === 'save' || a === '-S') cmd = 'list';
      else if (a === 'version' || a === '-v' || a === '--version') return ok(`${V}, protocol version: 7\n`);
      else if (a === 'help' || a === '-h') return ok(`${V}\n\nUsage: ipset [options] COMMAND\n`);
      else if (!cmd) return fail(`${V}: No command specified: unknown argument ${a}\nTry \`ipset help' for more information.\n`, 1);
      else if (!name) name = a;
      else return fail(`${V}: Unknown argument: \`${a}'\nTry \`ipset help' for more information.\n`, 1);
    }
    if (!cmd) return fail(`${V}: No command specified.\nTry \`ipset help' for more information.\n`, 1);
    const kp = kubeProxyOf(ctx.cluster);
    kp.ensureSynced();
    // kube-proxy's IPVS sets, then the CNI agent's (Felix's cali40*), in the order they were created.
    const own = kp.mode === 'ipvs' ? [...kp.ipvs.refresh(node).sets.values()] : [];
    const all = [...own, ...cniIpsets(ctx.cluster, node)];
    const nf = kp.node(node);
    const refs = new Map<string, number>();
    for (const t of nf?.tableNames() ?? []) {
      for (const c of nf!.tables.get(t)!.values()) {
        for (const r of c.rules) for (const m of r.matches) if (m.kind === 'set') refs.set(m.name, (refs.get(m.name) ?? 0) + 1);
      }
    }
    if (!name && !all.length) return ok();
    const sets = name ? [all.find((s) => s.name === name)] : all;
    if (sets[0] === undefined) return fail(`${V}: The set with the given name does not exist\n`, 1);
    const enc = new TextEncoder();
    const blocks = sets.map((s) => {
      if (namesOnly) return s!.name + '\n';
      const h = sha256(enc.encode(`${node}/${s!.name}`));
      const initval = ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0;
      const text = printIpset(s!, refs.get(s!.name) ?? 0, initval);
      return terse ? text.slice(0, text.indexOf('Members:\n') + 'Members:\n'.length) : text;
    });
    return ok(namesOnly ? blocks.join('') : blocks.join('\n'));
  },
};

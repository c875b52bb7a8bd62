/**
 * bridge — iproute2's bridge(8): `bridge link` lists the ports enslaved to a Linux bridge
 * (cni0 under flannel, weave under Weave Net; calico, cilium and the AWS VPC CNI route
 * instead and have none), `bridge fdb` the forwarding database (bridge/fdb.c layout):
 * what each bridge learned on its ports, every device's own and multicast entries, VXLAN
 * VTEPs; narrowed with `br BRIDGE`, `dev DEV` and `dynamic`.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { ok, fail } from '../../../types';
import { clusterNodes, cniPlugin, hostNamespace } from '../../../controllers/cni';
import { bridgeFdb, bridgeLink, type FdbFilter } from '../../../printers/iproute';

const USAGE = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | vni | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -com[pressvlans] -c[olor] -p[retty] -j[son] }
`;

function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

export function runBridge(args: string[], ctx: CommandContext): RunResult {
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) {
    const a = args[i];
    if (a === '-V' || a === '-Version') return ok('bridge utility, 6.1.0\n');
    if (!['-d', '-details', '-s', '-statistics', '-c', '-color', '-o', '-oneline', '-com', '-compressvlans'].includes(a)) {
      return fail(`Option "${a}" is unknown, try "bridge help".\n`, 255);
    }
    i++;
  }
  const object = args[i];
  if (object === undefined || object === 'help') return fail(USAGE, 255);
  const sub = args[i + 1] ?? 'show';
  const ns = hostNamespace(ctx.cluster, ctx.host);
  if (!ns) return fail('Cannot open netlink socket: Operation not permitted\n', 1);
  if (matches(object, 'link')) {
    if (!(matches(sub, 'show') || matches(sub, 'list') || sub === 'lst')) {
      if (sub === 'set') return fail('RTNETLINK answers: Operation not permitted\n', 2);
      return fail(`Command "${sub}" is unknown, try "bridge link help".\n`, 255);
    }
    const dev = args[i + 2] === 'dev' ? args[i + 3] : args[i + 2];
    if (dev !== undefined && !ns.links.some((l) => l.name === dev)) return fail(`Cannot find device "${dev}"\n`, 1);
    const text = bridgeLink(ns);
    return ok(dev === undefined ? text : text.split('\n').filter((l) => l.includes(` ${dev}@`) || l.includes(` ${dev}:`)).map((l) => l + '\n').join(''));
  }
  if (matches(object, 'fdb')) {
    if (!(matches(sub, 'show') || matches(sub, 'list') || sub === 'lst')) {
      if (['add', 'append', 'del', 'replace'].includes(sub)) return fail('RTNETLINK answers: Operation not permitted\n', 2);
      return fail(`Command "${sub}" is unknown, try "bridge fdb help".\n`, 255);
    }
    // fdb_show: `dev`/`brport DEV`, `br BRIDGE`, `dynamic`; words it does not know are skipped
    const filter: FdbFilter = {};
    const rest = args.slice(i + 2);
    for (let j = 0; j < rest.length; j++) {
      const w = rest[j];
      if (w === 'dev' || w === 'brport' || w === 'br' || w === 'vlan' || w === 'state') {
        const v = rest[++j];
        if (v === undefined) return fail('Command line is not complete. Try option "help"\n', 255);
        if (w === 'br') filter.br = v;
        else if (w === 'dev' || w === 'brport') filter.dev = v;
      } else if (w === 'dynamic') filter.dynamic = true;
    }
    if (filter.br !== undefined && !ns.links.some((l) => l.name === filter.br)) return fail(`Cannot find bridge device "${filter.br}"\n`, 255);
    if (filter.dev !== undefined && !ns.links.some((l) => l.name === filter.dev)) return fail(`Cannot find device "${filter.dev}"\n`, 255);
    const fdb = cniPlugin(ctx.cluster.settings).vxlanFdb;
    const vteps = ctx.host.kind === 'node' && fdb ? fdb(ctx.host.node, clusterNodes(ctx.cluster)) : [];
    return ok(bridgeFdb(ns, vteps, filter));
  }
  if (matches(object, 'vlan')) {
    let out = 'port              vlan-id  \n';
    for (const l of ns.links) if (l.kind === 'bridge' || (l.master && l.kind === 'veth')) out += `${l.name.padEnd(17)} 1 PVID Egress Untagged\n`;
    return ok(out);
  }
  return fail(`Object "${object}" is unknown, try "bridge help".\n`, 255);
}

export const bridgeCommand: CommandSpec = {
  name: 'bridge',
  summary: 'show bridge ports and forwarding database',
  run: runBridge,
  complete(args) {
    if (args.length <= 1) return ['link', 'fdb', 'vlan'].filter((w) => w.startsWith(args[0] ?? ''));
    return [];
  },
};

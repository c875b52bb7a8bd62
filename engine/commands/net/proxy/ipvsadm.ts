/**
 * `ipvsadm` (1.31): -L/-l/--list with -n, --stats, --rate, --exact, -c, -t/-u/--sctp-service
 * VIP:PORT, and -S/--save. The table is the node's IPVS state (IPVS proxy mode only; on an
 * iptables-mode node the ip_vs module is not loaded).
 */
import type { CommandSpec } from '../../../shell/command';
import { fail, ok } from '../../../types';
import { kubeProxyOf } from '../../../controllers/kube-proxy';
import { vsKey } from '../../../dataplane/ipvs/ipvs';
import { ipvsConnections, ipvsService, ipvsTitle, sortServices, type IpvsFormat } from '../../../printers/netfilter/ipvsadm';
import { nodeOf } from './node';

const NOT_LOADED = "Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n";

export const ipvsadmCommand: CommandSpec = {
  name: 'ipvsadm',
  summary: 'Linux Virtual Server administration (list the node\'s IPVS table)',
  run(args, ctx) {
    const node = nodeOf(ctx);
    if (!node) return fail("Can't initialize ipvs: Permission denied (you must be root)\nAre you sure that IP Virtual Server is built in the kernel or as module?\n", 1);
    const fmt: IpvsFormat = { numeric: false, stats: false, rate: false, exact: false };
    let list = false, conns = false, save = false;
    let only: { proto: string; addr: string } | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.startsWith('--')) {
        switch (a) {
          case '--list': list = true; break;
          case '--numeric': fmt.numeric = true; break;
          case '--stats': fmt.stats = true; list = true; break;
          case '--rate': fmt.rate = true; list = true; break;
          case '--exact': fmt.exact = true; break;
          case '--connection': conns = true; break;
          case '--save': save = true; break;
          case '--persistent-conn': fmt.persistentConn = true; break;
          case '--sort': break;
          case '--tcp-service': case '--udp-service': case '--sctp-service': {
            const v = args[++i];
            if (!v) return fail(`ipvsadm: option '${a}' requires an argument\n`, 2);
            only = { proto: a === '--tcp-service' ? 'TCP' : a === '--udp-service' ? 'UDP' : 'SCTP', addr: v };
            break;
          }
          case '--version': return ok('ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n');
          case '--help': return ok('ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\nUsage:\n  ipvsadm -L|l [virtual-service] [options]\n');
          default: return fail(`ipvsadm: unrecognized option '${a}'\nTry \`ipvsadm -h' or 'ipvsadm --help' for more information.\n`, 2);
        }
        continue;
      }
      if (!a.startsWith('-') || a.length < 2) return fail(`ipvsadm: invalid option -- '${a}'\n`, 2);
      for (let k = 1; k < a.length; k++) {
        const l = a[k];
        if (l === 'L' || l === 'l') list = true;
        else if (l === 'n') fmt.numeric = true;
        else if (l === 'c') conns = true;
        else if (l === 'S') save = true;
        else if (l === 't' || l === 'u') {
          const v = a.slice(k + 1) || args[++i];
          if (!v) return fail(`ipvsadm: option requires an argument -- '${l}'\n`, 2);
          only = { proto: l === 't' ? 'TCP' : 'UDP', addr: v };
          break;
        } else if (l === 'V') return ok('ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n');
        else return fail(`ipvsadm: invalid option -- '${l}'\nTry \`ipvsadm -h' or 'ipvsadm --help' for more information.\n`, 2);
      }
    }
    if (!list && !save && !conns) list = true;
    const kp = kubeProxyOf(ctx.cluster);
    kp.ensureSynced();
    if (kp.mode !== 'ipvs') return fail(NOT_LOADED, 1);
    const st = kp.ipvs.refresh(node);
    const now = ctx.cluster.clock.now();
    if (conns) {
      kp.ipvs.tick(now);
      return ok(ipvsConnections(st.conns, now, fmt));
    }
    let services = sortServices([...st.vs.values()]);
    if (only) {
      const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(only.addr);
      if (!m) return fail('Illegal virtual server address[:port] specified\n', 2);
      const vs = st.vs.get(vsKey(only.proto, m[1], Number(m[2])));
      if (!vs) return fail('No such service\n', 1);
      services = [vs];
    }
    if (save) {
      let out = '';
      for (const vs of services) {
        const flag = vs.proto === 'TCP' ? '-t' : vs.proto === 'UDP' ? '-u' : '--sctp-service';
        const addr = `${vs.ip}:${fmt.numeric ? vs.port : vs.port}`;
        out += `-A ${flag} ${addr} -s ${vs.scheduler}${vs.persistent ? ` -p ${vs.persistent}` : ''}\n`;
        for (const r of vs.reals) out += `-a ${flag} ${addr} -r ${r.ip}:${r.port} -m -w ${r.weight}\n`;
      }
      return ok(out);
    }
    return ok((only ? ipvsTitle(fmt) : ipvsTitle(fmt)) + services.map((vs) => ipvsService(vs, fmt)).join(''));
  },
};

/** `id` and `uname`: the learner is uid 1000 on the workstation; root on nodes and in containers. */
import type { CommandSpec } from '../../shell/command';
import { hostFlavour, hostName } from '../../hosts/hosts';
import { NODE_KERNEL_RELEASE, NODE_KERNEL_VERSION } from '../../cluster/release';

export const id: CommandSpec = {
  name: 'id',
  summary: 'print real and effective user and group IDs',
  run(args, ctx) {
    const ws = ctx.host.kind === 'workstation';
    const [uid, user] = ws ? [1000, 'learner'] : [0, 'root'];
    if (args.includes('-u')) return { stdout: args.includes('-n') ? `${user}\n` : `${uid}\n`, stderr: '', exitCode: 0 };
    if (args.includes('-g')) return { stdout: args.includes('-n') ? `${user}\n` : `${uid}\n`, stderr: '', exitCode: 0 };
    if (args.length && args[0].startsWith('-')) return { stdout: '', stderr: `id: invalid option -- '${args[0].slice(1, 2)}'\nTry 'id --help' for more information.\n`, exitCode: 1 };
    const busybox = hostFlavour(ctx.cluster, ctx.host) === 'busybox';
    const groups = ws ? 'groups=1000(learner),27(sudo)' : busybox ? 'groups=0(root),10(wheel)' : 'groups=0(root)';
    return { stdout: `uid=${uid}(${user}) gid=${uid}(${user}) ${groups}\n`, stderr: '', exitCode: 0 };
  },
};

/** Every machine runs the nodes' kernel (containers share it): the one the Node's status names (cluster/release.ts). */
const KERNEL = NODE_KERNEL_RELEASE;
const VERSION = NODE_KERNEL_VERSION;

export const uname: CommandSpec = {
  name: 'uname',
  summary: 'print system information',
  run(args, ctx) {
    const flags = new Set<string>();
    for (const a of args) {
      if (a === '--all') flags.add('a');
      else if (/^-[asnrvmpio]+$/.test(a)) for (const c of a.slice(1)) flags.add(c);
      else if (a.startsWith('-')) return { stdout: '', stderr: `uname: invalid option -- '${a.slice(1, 2)}'\nTry 'uname --help' for more information.\n`, exitCode: 1 };
      else return { stdout: '', stderr: `uname: extra operand '${a}'\nTry 'uname --help' for more information.\n`, exitCode: 1 };
    }
    const busybox = hostFlavour(ctx.cluster, ctx.host) === 'busybox';
    const fields: [string, string][] = [['s', 'Linux'], ['n', hostName(ctx.cluster, ctx.host)], ['r', KERNEL], ['v', VERSION], ['m', 'x86_64'], ['p', busybox ? 'unknown' : 'x86_64'], ['i', busybox ? 'unknown' : 'x86_64'], ['o', 'GNU/Linux']];
    let sel: string[];
    if (flags.has('a')) sel = busybox ? ['s', 'n', 'r', 'v', 'm', 'o'] : ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'];
    else if (flags.size === 0) sel = ['s'];
    else sel = fields.map(([k]) => k).filter((k) => flags.has(k));
    // GNU omits unknown -p/-i under -a; Ubuntu's coreutils reports x86_64
    return { stdout: fields.filter(([k]) => sel.includes(k)).map(([, v]) => v).join(' ') + '\n', stderr: '', exitCode: 0 };
  },
};

/** `id` and `uname`: the learner is uid 1000 on the workstation; root on nodes and in containers. */
import type { CommandSpec } from '../../shell/command';
import { hostFlavour, hostIdentity, hostName, hostProfile, isBusyboxApplet } from '../../hosts/hosts';
import { NODE_KERNEL_RELEASE, NODE_KERNEL_VERSION } from '../../cluster/release';

export const id: CommandSpec = {
  name: 'id',
  summary: 'print real and effective user and group IDs',
  run(args, ctx) {
    const ws = ctx.host.kind === 'workstation';
    // who: the learner, root on nodes, the image's USER in a container (hosts.ts hostIdentity)
    const who = hostIdentity(ctx.cluster, ctx.host);
    if (args.includes('-u')) return { stdout: args.includes('-n') ? `${who.user}\n` : `${who.uid}\n`, stderr: '', exitCode: 0 };
    if (args.includes('-g')) return { stdout: args.includes('-n') ? `${who.group}\n` : `${who.gid}\n`, stderr: '', exitCode: 0 };
    if (args.length && args[0].startsWith('-')) return { stdout: '', stderr: `id: invalid option -- '${args[0].slice(1, 2)}'\nTry 'id --help' for more information.\n`, exitCode: 1 };
    const busybox = hostFlavour(ctx.cluster, ctx.host) === 'busybox';
    // root is in wheel in busybox's and Alpine's /etc/group; a system user adduser -S made is in its own group only
    const groups = ws ? 'groups=1000(learner),27(sudo)' : busybox && who.uid === 0 ? 'groups=0(root),10(wheel)' : `groups=${who.gid}(${who.group})`;
    return { stdout: `uid=${who.uid}(${who.user}) gid=${who.gid}(${who.group}) ${groups}\n`, stderr: '', exitCode: 0 };
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
    // busybox's applet (coreutils/uname.c) where the image's uname is one — netshoot's too; coreutils' elsewhere
    const busybox = isBusyboxApplet(ctx.cluster, ctx.host, 'uname');
    // -o: busybox's CONFIG_UNAME_OSNAME — defconfig's "GNU/Linux" in docker-library's build, "Linux" in Alpine's busyboxconfig
    const os = busybox && hostProfile(ctx.cluster, ctx.host)?.family !== 'busybox' ? 'Linux' : 'GNU/Linux';
    // -p/-i: "unknown" (busybox, Debian's coreutils); Ubuntu's coreutils (nodes, the workstation, the cilium image) reports the machine
    const ubuntu = ctx.host.kind !== 'pod' || hostProfile(ctx.cluster, ctx.host)?.family === 'cilium';
    const unknown = ubuntu ? 'x86_64' : 'unknown';
    const fields: [string, string][] = [['s', 'Linux'], ['n', hostName(ctx.cluster, ctx.host)], ['r', KERNEL], ['v', VERSION], ['m', 'x86_64'], ['p', unknown], ['i', unknown], ['o', os]];
    let sel: string[];
    // -a leaves out the unknown fields (GNU and busybox alike)
    if (flags.has('a')) sel = ubuntu ? ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'] : ['s', 'n', 'r', 'v', 'm', 'o'];
    else if (flags.size === 0) sel = ['s'];
    else sel = fields.map(([k]) => k).filter((k) => flags.has(k));
    return { stdout: fields.filter(([k]) => sel.includes(k)).map(([, v]) => v).join(' ') + '\n', stderr: '', exitCode: 0 };
  },
};

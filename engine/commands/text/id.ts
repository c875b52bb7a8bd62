/** `id` and `uname`: the learner is uid 1000 on the workstation; root on nodes and in containers. */
import type { CommandSpec } from '../../shell/command';
import { containerIdentity, hostFlavour, hostIdentity, hostName, hostProfile, isBusyboxApplet } from '../../hosts/hosts';
import { NODE_KERNEL_RELEASE, NODE_KERNEL_VERSION } from '../../cluster/release';

export const id: CommandSpec = {
  name: 'id',
  summary: 'print real and effective user and group IDs',
  run(args, ctx) {
    const ws = ctx.host.kind === 'workstation';
    // who: the learner, root on nodes, the image's USER in a container (hosts.ts hostIdentity)
    const who = hostIdentity(ctx.cluster, ctx.host);
    const bbId = isBusyboxApplet(ctx.cluster, ctx.host, 'id');
    // -n of an id without a name: busybox's print_common prints the number and returns 1
    // ("id -Gn/-un/-gn should return 1 if name not found"), GNU id fails with a message
    const byName = (n: number, name: string, what: 'user' | 'group') =>
      name ? { stdout: `${name}\n`, stderr: '', exitCode: 0 } : bbId ? { stdout: `${n}\n`, stderr: '', exitCode: 1 } : { stdout: '', stderr: `id: cannot find name for ${what} ID ${n}\n`, exitCode: 1 };
    // short options may come together (`id -un`): getopt's letters
    const letters = new Set<string>();
    for (const a of args) {
      if (!/^-[a-zA-Z]+$/.test(a)) continue;
      for (const ch of a.slice(1)) {
        if (!'ugnGr'.includes(ch)) return { stdout: '', stderr: `id: invalid option -- '${ch}'\nTry 'id --help' for more information.\n`, exitCode: 1 };
        letters.add(ch);
      }
    }
    if (letters.has('u')) return letters.has('n') ? byName(who.uid, who.user, 'user') : { stdout: `${who.uid}\n`, stderr: '', exitCode: 0 };
    if (letters.has('g')) return letters.has('n') ? byName(who.gid, who.group, 'group') : { stdout: `${who.gid}\n`, stderr: '', exitCode: 0 };
    if (letters.has('G')) {
      const busyboxId = hostFlavour(ctx.cluster, ctx.host) === 'busybox' || bbId;
      const ci = ctx.host.kind === 'pod' ? containerIdentity(ctx.cluster, ctx.host) : undefined;
      const list = ctx.host.kind === 'workstation' ? [1000, 27] : ci?.overridden ? (busyboxId ? ci.groups : [who.gid, ...ci.groups.filter((g) => g !== who.gid)]) : busyboxId && who.uid === 0 ? [0, 10] : [who.gid];
      return { stdout: list.join(' ') + '\n', stderr: '', exitCode: 0 };
    }
    if (args.length && args[0].startsWith('-')) return { stdout: '', stderr: `id: invalid option -- '${args[0].slice(1, 2)}'\nTry 'id --help' for more information.\n`, exitCode: 1 };
    const busybox = hostFlavour(ctx.cluster, ctx.host) === 'busybox';
    const named = (n: number, name: string) => (name ? `${n}(${name})` : `${n}`);
    if (ctx.host.kind === 'pod') {
      const ci = containerIdentity(ctx.cluster, ctx.host);
      if (ci.overridden) {
        // a securityContext's ids: names only where the image's files have them; busybox's id
        // lists getgroups() as the kernel sorts it, GNU id the primary group first (coreutils id.c print_full_info)
        const nameOf = (g: number) => (g === who.gid ? who.group : g === 0 ? 'root' : g === 10 && busybox ? 'wheel' : '');
        const list = busybox || isBusyboxApplet(ctx.cluster, ctx.host, 'id') ? ci.groups : [who.gid, ...ci.groups.filter((g) => g !== who.gid)];
        return { stdout: `uid=${named(who.uid, who.user)} gid=${named(who.gid, who.group)} groups=${list.map((g) => named(g, nameOf(g))).join(',')}\n`, stderr: '', exitCode: 0 };
      }
    }
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

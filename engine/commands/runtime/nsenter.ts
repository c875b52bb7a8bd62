/**
 * nsenter (util-linux 2.37.2, Ubuntu 22.04's; sys-utils/nsenter.c) on a node: run a program
 * with the namespaces of another process (`-t PID` and the namespaces to enter) or of a
 * namespace file (`--net=/var/run/netns/cni-…`, `-n/proc/PID/ns/net`).
 *
 * What the simulation tells apart: the network namespace — a Pod sandbox's (its pause
 * process and its containers' processes hold it; a hostNetwork Pod's is the node's) or the
 * node's (every other process: systemd, the kubelet, the shims) — and the mount namespace:
 * entering a container's (-m, or -a) runs the program from that container's image, as
 * `kubectl exec` would; without it the program is the node's own binary, run in the Pod's
 * network namespace exactly as `ip netns exec` runs it. The other namespaces (-u -i -p -C
 * -U -T) are accepted and change nothing the simulation shows.
 *
 * Errors as nsenter.c has them: `cannot open /proc/N/ns/net: No such file or directory`
 * (open_target_fd; the namespaces are opened in namespace_files order: user, cgroup, ipc,
 * uts, net, pid, mnt), `neither filename nor target pid supplied for ns/net`, `no target PID
 * specified for --all`, `failed to parse pid: 'x'`, `failed to execute X: No such file or
 * directory` (errexec: status 127), getopt's `invalid option`; all status 1 otherwise.
 */
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { HostRef, RunResult } from '../../types';
import { isEditRequest, isStreaming } from '../../types';
import type { KubeObject } from '../../cluster/types';
import { netnsName } from '../../controllers/cni/netdev';
import { hasTool } from '../../hosts/hosts';
import { nodeProcesses, type NodeProcess } from './processes';
import { unmodelledCommand } from '../net/catalog/unmodelled';

const unmodelled = unmodelledCommand('nsenter');

type Ns = 'user' | 'cgroup' | 'ipc' | 'uts' | 'net' | 'pid' | 'mnt' | 'time';
const ORDER: Ns[] = ['user', 'cgroup', 'ipc', 'uts', 'net', 'pid', 'mnt', 'time'];
const SHORT: Record<string, Ns> = { m: 'mnt', u: 'uts', i: 'ipc', n: 'net', p: 'pid', C: 'cgroup', U: 'user', T: 'time' };
const LONG: Record<string, Ns> = { mount: 'mnt', uts: 'uts', ipc: 'ipc', net: 'net', pid: 'pid', cgroup: 'cgroup', user: 'user', time: 'time' };

const TRY = "Try 'nsenter --help' for more information.\n";
const die = (msg: string, code = 1): RunResult => ({ stdout: '', stderr: `nsenter: ${msg}\n`, exitCode: code });

/** Whose namespace a file or a process holds: a Pod's sandbox, or the node's own (undefined). */
interface Holder {
  pod?: KubeObject;
  /** The container whose mount namespace it is (a container's process); the pause container's otherwise. */
  container?: string;
  proc?: NodeProcess;
}

const HELP = `
Usage:
 nsenter [options] [<program> [<argument>...]]

Run a program with namespaces of other processes.

Options:
 -a, --all              enter all namespaces
 -t, --target <pid>     target process to get namespaces from
 -m, --mount[=<file>]   enter mount namespace
 -u, --uts[=<file>]     enter UTS namespace (hostname etc)
 -i, --ipc[=<file>]     enter System V IPC namespace
 -n, --net[=<file>]     enter network namespace
 -p, --pid[=<file>]     enter pid namespace
 -C, --cgroup[=<file>]  enter cgroup namespace
 -U, --user[=<file>]    enter user namespace
 -T, --time[=<file>]    enter time namespace
 -S, --setuid <uid>     set uid in entered namespace
 -G, --setgid <gid>     set gid in entered namespace
     --preserve-credentials do not touch uids or gids
 -r, --root[=<dir>]     set the root directory
 -w, --wd[=<dir>]       set the working directory
 -F, --no-fork          do not fork before exec'ing <program>

 -h, --help             display this help
 -V, --version          display version

For more details see nsenter(1).
`;

export function runNsenter(args: string[], ctx: CommandContext): RunResult {
  if (ctx.host.kind !== 'node') return unmodelled.run(args, ctx) as RunResult;
  const node = ctx.host.node;
  let all = false;
  let target: number | undefined;
  const wanted = new Set<Ns>();
  const files = new Map<Ns, string>();
  let i = 0;
  // getopt_long "+ahVt:m::u::i::n::p::C::U::T::S:G:r::w::FZ": options stop at the first program word
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const val = eq > 0 ? a.slice(eq + 1) : undefined;
      if (name === 'all') all = true;
      else if (name === 'help') return { stdout: HELP, stderr: '', exitCode: 0 };
      else if (name === 'version') return { stdout: 'nsenter from util-linux 2.37.2\n', stderr: '', exitCode: 0 };
      else if (name === 'target') {
        const v = val ?? args[++i];
        if (v === undefined) return { stdout: '', stderr: `nsenter: option '--target' requires an argument\n${TRY}`, exitCode: 1 };
        if (!/^\d+$/.test(v)) return die(`failed to parse pid: '${v}'`);
        target = Number(v);
      } else if (LONG[name]) {
        if (val !== undefined) files.set(LONG[name], val);
        else wanted.add(LONG[name]);
      } else if (['setuid', 'setgid'].includes(name)) {
        if (val === undefined) i++;
      } else if (['preserve-credentials', 'no-fork', 'follow-context', 'root', 'wd'].includes(name)) continue;
      else return { stdout: '', stderr: `nsenter: unrecognized option '${a}'\n${TRY}`, exitCode: 1 };
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const rest = a.slice(j + 1);
      if (c === 'a') all = true;
      else if (c === 'h') return { stdout: HELP, stderr: '', exitCode: 0 };
      else if (c === 'V') return { stdout: 'nsenter from util-linux 2.37.2\n', stderr: '', exitCode: 0 };
      else if (c === 't' || c === 'S' || c === 'G') {
        const v = rest || args[++i];
        if (v === undefined) return { stdout: '', stderr: `nsenter: option requires an argument -- '${c}'\n${TRY}`, exitCode: 1 };
        if (c === 't') {
          if (!/^\d+$/.test(v)) return die(`failed to parse pid: '${v}'`);
          target = Number(v);
        }
        break;
      } else if (SHORT[c]) {
        // an optional argument must be glued on: `-n/var/run/netns/x`
        if (rest) {
          files.set(SHORT[c], rest);
          break;
        }
        wanted.add(SHORT[c]);
      } else if (c === 'r' || c === 'w') break;
      else if (c === 'F' || c === 'Z') continue;
      else return { stdout: '', stderr: `nsenter: invalid option -- '${c}'\n${TRY}`, exitCode: 1 };
    }
  }
  const program = args.slice(i);
  if (all && target === undefined) return die('no target PID specified for --all');
  const procs = nodeProcesses(ctx.cluster, node);
  const holderOf = (p: NodeProcess): Holder => (p.pod && p.comm !== 'containerd-shim' ? { pod: p.pod, container: p.container, proc: p } : { proc: p });
  // namespace files given with the option are opened while parsing: they come first
  const held = new Map<Ns, Holder>();
  for (const [ns, path] of files) {
    const h = openFile(ctx, procs, ns, path);
    if (typeof h === 'string') return die(h);
    held.set(ns, h);
  }
  // -a skips the user namespace the caller already shares (is_same_namespace), which it cannot tell for a missing PID
  if (all) for (const ns of ORDER) if (ns !== 'user' || !procs.some((p) => p.pid === target)) wanted.add(ns);
  for (const ns of ORDER) {
    if (!wanted.has(ns) || held.has(ns)) continue;
    if (target === undefined) return die(`neither filename nor target pid supplied for ns/${ns}`);
    const p = procs.find((x) => x.pid === target);
    if (!p) return die(`cannot open /proc/${target}/ns/${ns}: No such file or directory`);
    held.set(ns, holderOf(p));
  }
  if (!program.length) return { stdout: '', stderr: `netlab: the interactive shell nsenter starts is not simulated here; give it a program (nsenter -t PID -n ip addr)\n`, exitCode: 1 };
  const [cmd, ...cargs] = program;
  const name = cmd.slice(cmd.lastIndexOf('/') + 1);
  const net = held.get('net')?.pod;
  const mnt = held.get('mnt');
  // the mount namespace decides whose binaries run: a container's own filesystem, or the node's
  if (mnt?.pod) {
    const host: HostRef = { kind: 'pod', namespace: mnt.pod.metadata.namespace ?? 'default', pod: mnt.pod.metadata.name, container: mnt.container ?? '' };
    // the pause container's root holds /pause and nothing else
    if (!mnt.container || !hasTool(ctx.cluster, host, name)) return die(`failed to execute ${cmd}: No such file or directory`, 127);
    return ctx.shell.execIn(host, [name, ...cargs]);
  }
  if (!hasTool(ctx.cluster, ctx.host, name) || !ctx.commands.find(name)) return die(`failed to execute ${cmd}: No such file or directory`, 127);
  if (!net || net.spec?.hostNetwork) return ctx.shell.runIn(ctx.host, [name, ...cargs].map(quote).join(' '));
  // the node's binary in the Pod's network namespace: what `ip netns exec` does
  const ip = ctx.commands.find('ip')!;
  const out = ip.run(['netns', 'exec', netnsName(net), name, ...cargs], { ...ctx, name: 'ip' });
  if (isStreaming(out) || isEditRequest(out)) return die(`failed to execute ${cmd}: Operation not supported`, 126);
  return out;
}

function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** A namespace file: /proc/PID/ns/TYPE, or a bind-mounted network namespace under /var/run/netns (/run/netns). */
function openFile(ctx: CommandContext, procs: NodeProcess[], ns: Ns, path: string): Holder | string {
  const m = /^\/proc\/(\d+)\/ns\/(\w+)$/.exec(path);
  if (m) {
    const p = procs.find((x) => x.pid === Number(m[1]));
    if (!p || !['user', 'cgroup', 'ipc', 'uts', 'net', 'pid', 'mnt', 'time', 'pid_for_children', 'time_for_children'].includes(m[2])) return `cannot open ${path}: No such file or directory`;
    if (m[2] !== ns) return `reassociate to namespace 'ns/${ns}' failed: Invalid argument`;
    return p.pod && p.comm !== 'containerd-shim' ? { pod: p.pod, container: p.container, proc: p } : { proc: p };
  }
  const n = /^\/(?:var\/)?run\/netns\/([^/]+)$/.exec(path);
  if (n) {
    const node = (ctx.host as { node: string }).node;
    const pod = ctx.cluster.store.list('Pod').find((p) => p.spec?.nodeName === node && !p.spec?.hostNetwork && netnsName(p) === n[1] && procs.some((x) => x.pod?.metadata.uid === p.metadata.uid));
    if (!pod) return `cannot open ${path}: No such file or directory`;
    if (ns !== 'net') return `reassociate to namespace 'ns/${ns}' failed: Invalid argument`;
    return { pod };
  }
  return ctx.cluster.fs.read(ctx.host, path) === undefined ? `cannot open ${path}: No such file or directory` : `reassociate to namespace 'ns/${ns}' failed: Invalid argument`;
}

export const nsenterCommand: CommandSpec = { name: 'nsenter', summary: 'run program in different namespaces', run: runNsenter };

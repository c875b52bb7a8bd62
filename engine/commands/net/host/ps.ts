/**
 * ps — busybox 1.36's applet (procps/ps.c, the DESKTOP build the busybox image ships):
 * the default `-o pid,user,time,args`, each column `%-*s ` wide as out_spec says (PID 5,
 * USER 8, TIME 5), the last unpadded; a row's PID right-aligned (`%*u`), TIME as
 * format_time's `%2u:%02u` of the CPU seconds. The processes are those of the container's
 * own PID namespace: its main process (PID 1: the container's command and args, or the
 * image's entrypoint and cmd) and ps itself, which kubectl exec started (runc exec's child:
 * the simulation numbers it 7). With shareProcessNamespace the pause process is PID 1 and
 * every container's process follows (as ss -p numbers them). Sleeping processes spent no
 * CPU: 0:00. Other builds of ps (procps-ng in netshoot, on nodes) are not modelled.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { hostPod, isBusyboxHost } from '../../../hosts/hosts';
import { imageName } from '../../../hosts/images';
import { unmodelledCommand } from '../catalog/unmodelled';

/** The images' ENTRYPOINT and CMD (their Dockerfiles), for a container that sets neither. */
const IMAGE_DEFAULTS: Record<string, { entrypoint?: string[]; cmd?: string[] }> = {
  busybox: { cmd: ['sh'] },
  alpine: { cmd: ['/bin/sh'] },
  'curlimages/curl': { entrypoint: ['/entrypoint.sh'], cmd: ['curl'] },
  'e2e-test-images/agnhost': { entrypoint: ['/agnhost'], cmd: ['pause'] },
};

/** busybox's /etc/passwd: the names get_cached_username finds; any other uid prints as a number. */
const USERS: Record<number, string> = { 0: 'root', 1: 'daemon', 2: 'bin', 3: 'sys', 4: 'sync', 8: 'mail', 33: 'www-data', 37: 'operator', 65534: 'nobody' };

interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  securityContext?: { runAsUser?: number };
}

function argv(c: Container): string[] {
  const d = IMAGE_DEFAULTS[imageName(c.image ?? '')] ?? {};
  if (c.command) return [...c.command, ...(c.args ?? [])];
  return [...(d.entrypoint ?? []), ...(c.args ?? d.cmd ?? [])];
}

function row(pid: number, uid: number, args: string): string {
  const user = USERS[uid] ?? String(uid);
  return `${String(pid).padStart(5)} ${user.padEnd(8)} ${' 0:00'} ${args}`;
}

const unmodelled = unmodelledCommand('ps');

export const psCommand: CommandSpec = {
  name: 'ps',
  summary: 'report process status',
  run(args: string[], ctx: CommandContext): RunResult {
    if (!isBusyboxHost(ctx.cluster, ctx.host) || ctx.host.kind !== 'pod') return unmodelled.run(args, ctx) as RunResult;
    for (const a of args) {
      if (/^-[aAdeflT]*o/.test(a)) return { stdout: '', stderr: 'netlab: ps -o is not simulated here (the default columns are)\n', exitCode: 1 };
      // getopt32 "Zo:*aAdeflT": the POSIX selection flags are accepted and change nothing (every process is
      // listed); getopt32 stops at the first non-option word, so BSD-style `ps aux` lists them too
      if (!/^-[aAdeflT]+$/.test(a) && !/^[a-z]+$/.test(a)) {
        const bad = a.startsWith('-') ? a.slice(1, 2) : a.slice(0, 1);
        return { stdout: '', stderr: `ps: invalid option -- '${bad}'\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ps [-o COL1,COL2=HEADER] [-T]\n\nShow list of processes\n\n\t-o COL1,COL2=HEADER\tSelect columns for display\n\t-T\t\t\tShow threads\n`, exitCode: 1 };
      }
    }
    const pod = hostPod(ctx.cluster, ctx.host);
    const spec = (pod?.spec ?? {}) as { containers?: Container[]; shareProcessNamespace?: boolean; securityContext?: { runAsUser?: number } };
    const containers = spec.containers ?? [];
    const uidOf = (c: Container) => c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser ?? 0;
    const self = containers.find((c) => ctx.host.kind === 'pod' && c.name === ctx.host.container) ?? containers[0];
    const rows = ['PID   USER     TIME  COMMAND'];
    if (spec.shareProcessNamespace) {
      // one PID namespace: the sandbox's pause is PID 1, each container's process after it
      rows.push(row(1, 65535, '/pause'));
      containers.forEach((c, i) => rows.push(row(7 + i * 10, uidOf(c), argv(c).join(' '))));
      rows.push(row(7 + containers.length * 10, self ? uidOf(self) : 0, ['ps', ...args].join(' ')));
    } else {
      if (self) rows.push(row(1, uidOf(self), argv(self).join(' ')));
      rows.push(row(7, self ? uidOf(self) : 0, ['ps', ...args].join(' ')));
    }
    return { stdout: rows.join('\n') + '\n', stderr: '', exitCode: 0 };
  },
};

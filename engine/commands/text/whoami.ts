import type { CommandSpec } from '../../shell/command';
import { hostIdentity, isBusyboxApplet } from '../../hosts/hosts';

export const whoami: CommandSpec = {
  name: 'whoami',
  summary: 'print effective user name',
  run(args, ctx) {
    if (args.length && !args[0].startsWith('-')) return { stdout: '', stderr: `whoami: extra operand '${args[0]}'\nTry 'whoami --help' for more information.\n`, exitCode: 1 };
    const who = hostIdentity(ctx.cluster, ctx.host);
    if (who.user) return { stdout: who.user + '\n', stderr: '', exitCode: 0 };
    // a uid the image's /etc/passwd does not name (a securityContext's runAsUser): busybox's
    // whoami dies in bb_getpwuid ("unknown uid %u"), coreutils' says it cannot find the name
    return isBusyboxApplet(ctx.cluster, ctx.host, 'whoami')
      ? { stdout: '', stderr: `whoami: unknown uid ${who.uid}\n`, exitCode: 1 }
      : { stdout: '', stderr: `whoami: cannot find name for user ID ${who.uid}\n`, exitCode: 1 };
  },
};

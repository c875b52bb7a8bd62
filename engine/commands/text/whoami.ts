import type { CommandSpec } from '../../shell/command';
import { hostUser } from '../../hosts/hosts';

export const whoami: CommandSpec = {
  name: 'whoami',
  summary: 'print effective user name',
  run(args, ctx) {
    if (args.length && !args[0].startsWith('-')) return { stdout: '', stderr: `whoami: extra operand '${args[0]}'\nTry 'whoami --help' for more information.\n`, exitCode: 1 };
    return { stdout: hostUser(ctx.cluster, ctx.host) + '\n', stderr: '', exitCode: 0 };
  },
};

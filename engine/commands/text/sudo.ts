/** `sudo CMD …`: the simulated machines trust the learner; runs CMD on this host (sudo.ws). */
import type { CommandSpec } from '../../shell/command';
import { shellQuote } from '../../shell/shell';

export const sudo: CommandSpec = {
  name: 'sudo',
  summary: 'execute a command as another user',
  run(args, ctx) {
    let i = 0;
    while (i < args.length && args[i].startsWith('-')) {
      if (args[i] === '--') {
        i++;
        break;
      }
      if (['-E', '-H', '-n', '-s', '-i'].includes(args[i])) i++;
      else if (args[i] === '-u') i += 2;
      else return { stdout: '', stderr: `sudo: invalid option -- '${args[i].slice(1, 2)}'\nusage: sudo -h | -K | -k | -V\n`, exitCode: 1 };
    }
    const cmd = args.slice(i);
    if (cmd.length === 0) return { stdout: '', stderr: 'usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\nusage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command [arg ...]]\nusage: sudo [-ABbEHkNnPS] [-r role] [-t type] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] [VAR=value] [-i | -s] [<command>]\nusage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] file ...\n', exitCode: 1 };
    if (!ctx.shell.lookup(cmd[0])) return { stdout: '', stderr: `sudo: ${cmd[0]}: command not found\n`, exitCode: 1 };
    return ctx.shell.runIn(ctx.host, cmd.map(shellQuote).join(' '), { stdin: ctx.stdin });
  },
};

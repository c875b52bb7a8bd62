/**
 * `sh` / `bash`: `-c 'CMD' [arg0 [args]]` runs CMD; `sh FILE` runs a script from the
 * virtual filesystem; text on stdin is run as a script; with nothing, an interactive
 * child shell starts on the same host (`exit` returns).
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { readOperand } from './util';

function run(args: string[], ctx: CommandContext): RunResult {
  const self = ctx.name === 'bash' ? 'bash' : 'sh';
  const busybox = ctx.shell.flavour === 'busybox' && self === 'sh';
  let i = 0;
  let command: string | undefined;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-c') {
      if (i + 1 >= args.length) return { stdout: '', stderr: busybox ? 'sh: -c requires an argument\n' : `${self}: -c: option requires an argument\n`, exitCode: 2 };
      command = args[++i];
      i++;
      break;
    }
    if (/^-[eilsuvx]+$/.test(a) || a === '--login' || a === '--norc' || a === '--noprofile') continue;
    if (a.startsWith('-')) {
      return busybox
        ? { stdout: '', stderr: `sh: ${a}: invalid option\n`, exitCode: 2 }
        : { stdout: '', stderr: `${self}: ${a}: invalid option\nUsage:\t${self} [GNU long option] [option] ...\n\t${self} [option] script-file ...\n`, exitCode: 2 };
    }
    break;
  }
  const rest = args.slice(i);
  const shell = ctx.shell;
  if (command !== undefined) {
    return shell.runIn(ctx.host, command, { stdin: ctx.stdin, argv0: rest[0] ?? self, args: rest.slice(1), env: ctx.env, deadline: ctx.deadline });
  }
  if (rest.length > 0) {
    const file = readOperand(ctx, self, rest[0]);
    if (!file.ok) {
      return busybox
        ? { stdout: '', stderr: `sh: can't open '${rest[0]}': No such file or directory\n`, exitCode: 2 }
        : { stdout: '', stderr: `${self}: ${rest[0]}: No such file or directory\n`, exitCode: 127 };
    }
    return shell.runIn(ctx.host, file.content, { stdin: ctx.stdin, argv0: rest[0], args: rest.slice(1), env: ctx.env, deadline: ctx.deadline });
  }
  if (ctx.stdin !== '') return shell.runIn(ctx.host, ctx.stdin, { argv0: self, env: ctx.env, deadline: ctx.deadline });
  shell.enter(ctx.host, { via: 'shell', cwd: ctx.cwd, shell: self });
  return { stdout: '', stderr: '', exitCode: 0 };
}

export const sh: CommandSpec = { name: 'sh', summary: 'command interpreter (shell)', run };
export const bash: CommandSpec = { name: 'bash', summary: 'GNU Bourne-Again SHell', run };

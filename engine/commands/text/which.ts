/** `which` and `type`: where a command lives on this host (or that it is a shell builtin). */
import type { CommandContext, CommandSpec } from '../../shell/command';
import { hostTools } from '../../hosts/hosts';
import { programPath } from '../../hosts/paths';

/** Builtins of bash (and busybox ash) among our commands. */
export const SHELL_BUILTINS = new Set([':', 'jobs', 'wait', 'alias', 'unalias', 'cd', 'command', 'echo', 'exit', 'export', 'false', 'help', 'history', 'printf', 'pwd', 'read', 'test', '[', 'true', 'type', 'unset']);

/** The path a tool is installed at on this host: the first PATH directory holding it (hosts/paths.ts). */
export function toolPath(ctx: CommandContext, name: string): string | undefined {
  if (!hostTools(ctx.cluster, ctx.host).has(name) || !ctx.commands.find(name)) return undefined;
  return programPath(ctx.cluster, ctx.host, name);
}

export const which: CommandSpec = {
  name: 'which',
  summary: 'locate a command',
  run(args, ctx) {
    let out = '';
    let code = 0;
    const names = args.filter((a) => !a.startsWith('-'));
    if (names.length === 0) return { stdout: '', stderr: '', exitCode: 1 };
    for (const n of names) {
      const p = toolPath(ctx, n);
      if (p && !(SHELL_BUILTINS.has(n) && ['cd', 'exit', 'export', 'unset', 'history', 'help', 'type'].includes(n))) out += p + '\n';
      else code = 1;
    }
    return { stdout: out, stderr: '', exitCode: code };
  },
};

export const type: CommandSpec = {
  name: 'type',
  summary: 'display information about command type',
  run(args, ctx) {
    const busybox = ctx.shell.flavour === 'busybox';
    let out = '';
    let err = '';
    let code = 0;
    for (const n of args.filter((a) => !a.startsWith('-'))) {
      if (['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'in', '{', '}', '!', 'case', 'esac'].includes(n)) {
        out += `${n} is a shell keyword\n`;
        continue;
      }
      const aliasOf = ctx.shell.frame.aliases?.[n];
      if (aliasOf !== undefined) {
        out += busybox ? `${n} is an alias for ${aliasOf}\n` : `${n} is aliased to \`${aliasOf}'\n`;
        continue;
      }
      if (ctx.shell.frame.functions?.[n]) {
        out += `${n} is a function\n`;
        continue;
      }
      if (SHELL_BUILTINS.has(n) || ['exit', 'set', 'source', '.', 'return', 'local', 'break', 'continue'].includes(n)) {
        out += busybox ? `${n} is a shell builtin\n` : `${n} is a shell builtin\n`;
        continue;
      }
      const p = toolPath(ctx, n);
      if (p) out += `${n} is ${p}\n`;
      else {
        err += busybox ? '' : `bash: type: ${n}: not found\n`;
        if (busybox) out += `${n}: not found\n`;
        code = 1;
      }
    }
    return { stdout: out, stderr: err, exitCode: code };
  },
};

/**
 * `command -v NAME` / `command -V NAME` (bash builtins/command.def, ash's commandcmd →
 * describe_command): -v prints a program's path, a builtin's or function's name, an alias as
 * `alias NAME='VALUE'`; nothing and status 1 for a name it cannot find. -V describes as `type`
 * does. `command NAME ARGS` itself (running past functions) is the interpreter's.
 */
export const command: CommandSpec = {
  name: 'command',
  summary: 'execute a simple command or display information about commands',
  run(args, ctx) {
    const busybox = ctx.shell.flavour === 'busybox';
    let verbose = false;
    let i = 0;
    for (; i < args.length && args[i].startsWith('-') && args[i] !== '-'; i++) {
      if (args[i] === '--') {
        i++;
        break;
      }
      for (const c of args[i].slice(1)) {
        if (c === 'V') verbose = true;
        else if (c !== 'v' && c !== 'p') {
          const err = busybox ? `sh: command: illegal option -${c}\n` : `bash: command: -${c}: invalid option\ncommand: usage: command [-pVv] command [arg ...]\n`;
          return { stdout: '', stderr: err, exitCode: 2 };
        }
      }
    }
    const names = args.slice(i);
    if (verbose) return type.run(names, ctx) as ReturnType<typeof type.run>;
    let out = '';
    let code = 0;
    for (const n of names) {
      const aliasOf = ctx.shell.frame.aliases?.[n];
      if (aliasOf !== undefined) out += busybox ? `alias ${n}='${aliasOf}'\n` : `alias ${n}='${aliasOf}'\n`;
      else if (ctx.shell.frame.functions?.[n] || SHELL_BUILTINS.has(n) || ['exit', 'set', 'source', '.', 'return', 'local', 'break', 'continue'].includes(n)) out += `${n}\n`;
      else if (n.includes('/')) {
        if (ctx.cluster.fs.binaryAt(ctx.host, n.startsWith('/') ? n : `${ctx.cwd}/${n}`)?.program) out += `${n}\n`;
        else code = 1;
      } else {
        const p = toolPath(ctx, n);
        if (p) out += `${p}\n`;
        else code = 1;
      }
    }
    return { stdout: out, stderr: '', exitCode: code };
  },
};

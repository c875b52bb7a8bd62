/** `basename NAME [SUFFIX]`, `dirname NAME…`, `printenv [VAR…]` (coreutils). */
import type { CommandSpec } from '../../shell/command';

function base(name: string, suffix?: string): string {
  if (name === '') return '';
  let s = name.replace(/\/+$/, '');
  if (s === '') return '/';
  s = s.slice(s.lastIndexOf('/') + 1);
  if (suffix && s !== suffix && s.endsWith(suffix)) s = s.slice(0, -suffix.length);
  return s;
}

function dir(name: string): string {
  const s = name.replace(/\/+$/, '');
  if (s === '') return name.startsWith('/') ? '/' : '.';
  const i = s.lastIndexOf('/');
  if (i < 0) return '.';
  return s.slice(0, i).replace(/\/+$/, '') || '/';
}

export const basename: CommandSpec = {
  name: 'basename',
  summary: 'strip directory and suffix from filenames',
  run(args) {
    let multiple = false;
    let suffix: string | undefined;
    const ops: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-a' || a === '--multiple') multiple = true;
      else if (a === '-s') {
        suffix = args[++i];
        multiple = true;
      } else if (a.startsWith('--suffix=')) {
        suffix = a.slice(9);
        multiple = true;
      } else ops.push(a);
    }
    if (ops.length === 0) return { stdout: '', stderr: "basename: missing operand\nTry 'basename --help' for more information.\n", exitCode: 1 };
    if (!multiple) {
      if (ops.length > 2) return { stdout: '', stderr: `basename: extra operand '${ops[2]}'\nTry 'basename --help' for more information.\n`, exitCode: 1 };
      return { stdout: base(ops[0], ops[1]) + '\n', stderr: '', exitCode: 0 };
    }
    return { stdout: ops.map((o) => base(o, suffix) + '\n').join(''), stderr: '', exitCode: 0 };
  },
};

export const dirname: CommandSpec = {
  name: 'dirname',
  summary: 'strip last component from file name',
  run(args) {
    const ops = args.filter((a) => a !== '--');
    if (ops.length === 0) return { stdout: '', stderr: "dirname: missing operand\nTry 'dirname --help' for more information.\n", exitCode: 1 };
    return { stdout: ops.map((o) => dir(o) + '\n').join(''), stderr: '', exitCode: 0 };
  },
};

export const printenv: CommandSpec = {
  name: 'printenv',
  summary: 'print all or part of environment',
  run(args, ctx) {
    if (args.length === 0) return { stdout: Object.entries(ctx.env).map(([k, v]) => `${k}=${v}\n`).join(''), stderr: '', exitCode: 0 };
    let out = '';
    let code = 0;
    for (const a of args) {
      if (a in ctx.env) out += ctx.env[a] + '\n';
      else code = 1;
    }
    return { stdout: out, stderr: '', exitCode: code };
  },
};

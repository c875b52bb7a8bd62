/** `alias [name[=value] ...]` and `unalias [-a] name ...` (bash builtins/alias.def). */
import type { CommandSpec } from '../../shell/command';

const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

export const alias: CommandSpec = {
  name: 'alias',
  summary: 'define or display aliases',
  run(args, ctx) {
    const frame = ctx.shell.frame;
    const sh = ctx.shell.flavour === 'busybox' ? 'sh' : 'bash';
    const aliases = (frame.aliases ??= {});
    const ops = args.filter((a) => a !== '-p' && a !== '--');
    if (ops.length === 0) {
      const out = Object.keys(aliases).sort().map((k) => `alias ${k}=${quote(aliases[k])}\n`).join('');
      return { stdout: out, stderr: '', exitCode: 0 };
    }
    let out = '';
    let err = '';
    for (const a of ops) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        const name = a.slice(0, eq);
        if (/[\s/$`'"\\=]/.test(name)) {
          err += `${sh}: alias: \`${name}': invalid alias name\n`;
          continue;
        }
        aliases[name] = a.slice(eq + 1);
      } else if (a in aliases) out += `alias ${a}=${quote(aliases[a])}\n`;
      else err += `${sh}: alias: ${a}: not found\n`;
    }
    return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
  },
};

export const unalias: CommandSpec = {
  name: 'unalias',
  summary: 'remove alias definitions',
  run(args, ctx) {
    const frame = ctx.shell.frame;
    const sh = ctx.shell.flavour === 'busybox' ? 'sh' : 'bash';
    if (args.length === 0) return { stdout: '', stderr: `${sh}: unalias: usage: unalias [-a] name [name ...]\n`, exitCode: 2 };
    if (args.includes('-a')) {
      frame.aliases = {};
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    let err = '';
    for (const a of args) {
      if (frame.aliases && a in frame.aliases) delete frame.aliases[a];
      else err += `${sh}: unalias: ${a}: not found\n`;
    }
    return { stdout: '', stderr: err, exitCode: err ? 1 : 0 };
  },
};

/** `export` and `unset` (bash builtins/setattr.def, builtins/set.def). */
import type { CommandSpec } from '../../shell/command';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function shellName(ctx: { shell: { flavour: string } }): string {
  return ctx.shell.flavour === 'busybox' ? 'sh' : 'bash';
}

/** bash's `declare -x` quoting of a value. */
function declareValue(v: string): string {
  return '"' + v.replace(/(["\\$`])/g, '\\$1') + '"';
}

export const exportCmd: CommandSpec = {
  name: 'export',
  summary: 'set export attribute for shell variables',
  run(args, ctx) {
    const frame = ctx.shell.frame;
    const busybox = shellName(ctx) === 'sh';
    const ops = args.filter((a) => a !== '--' && a !== '-p');
    const bad = args.find((a) => /^-./.test(a) && a !== '-p' && a !== '--' && a !== '-n');
    if (bad) return { stdout: '', stderr: `${shellName(ctx)}: export: ${bad.slice(0, 2)}: invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p\n`, exitCode: 2 };
    const unexport = args.includes('-n');
    if (ops.filter((a) => a !== '-n').length === 0) {
      const names = [...new Set(frame.exported)].filter((n) => n in frame.vars).sort();
      const out = names.map((n) => (busybox ? `export ${n}='${frame.vars[n].replace(/'/g, `'"'"'`)}'` : `declare -x ${n}=${declareValue(frame.vars[n])}`)).join('\n');
      return { stdout: out ? out + '\n' : '', stderr: '', exitCode: 0 };
    }
    let err = '';
    let code = 0;
    for (const a of ops) {
      if (a === '-n') continue;
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (!NAME.test(name)) {
        err += busybox ? `sh: export: bad variable name '${a}'\n` : `bash: export: \`${a}': not a valid identifier\n`;
        code = busybox ? 2 : 1;
        continue;
      }
      if (eq >= 0) frame.vars[name] = a.slice(eq + 1);
      if (unexport) frame.exported = frame.exported.filter((x) => x !== name);
      else if (!frame.exported.includes(name)) frame.exported.push(name);
    }
    return { stdout: '', stderr: err, exitCode: code };
  },
};

export const unset: CommandSpec = {
  name: 'unset',
  summary: 'unset values and attributes of shell variables',
  run(args, ctx) {
    const frame = ctx.shell.frame;
    let err = '';
    let code = 0;
    for (const a of args) {
      if (a === '-v' || a === '-f' || a === '--') continue;
      if (!NAME.test(a)) {
        err += shellName(ctx) === 'sh' ? `sh: unset: bad variable name '${a}'\n` : `bash: unset: \`${a}': not a valid identifier\n`;
        code = 1;
        continue;
      }
      delete frame.vars[a];
      frame.exported = frame.exported.filter((x) => x !== a);
    }
    return { stdout: '', stderr: err, exitCode: code };
  },
};

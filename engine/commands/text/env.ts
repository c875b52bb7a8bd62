/** `env` (coreutils src/env.c): print the environment, or run a command in a modified one. */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, usageError } from './util';

export const env: CommandSpec = {
  name: 'env',
  summary: 'run a program in a modified environment',
  run(args, ctx) {
    const p = getopt(args, { short: 'iu:0', long: { ignore: { key: 'i' }, unset: { key: 'u', arg: true }, null: { key: '0' } }, stopAtOperand: true });
    if (isOptError(p)) return usageError('env', p, undefined, 125);
    let vars: Record<string, string> = { ...ctx.env };
    let nul = false;
    for (const [k, v] of p.opts) {
      if (k === 'i') vars = {};
      else if (k === 'u') delete vars[v];
      else if (k === '0') nul = true;
    }
    let i = 0;
    for (; i < p.operands.length; i++) {
      const a = p.operands[i];
      const eq = a.indexOf('=');
      if (eq <= 0) break;
      vars[a.slice(0, eq)] = a.slice(eq + 1);
    }
    const cmd = p.operands.slice(i);
    if (cmd.length === 0) {
      const out = Object.entries(vars).map(([k, v]) => `${k}=${v}`).join(nul ? '\0' : '\n');
      return { stdout: out ? out + (nul ? '\0' : '\n') : '', stderr: '', exitCode: 0 };
    }
    const spec = ctx.shell.lookup(cmd[0]);
    if (!spec) return { stdout: '', stderr: `env: '${cmd[0]}': No such file or directory\n`, exitCode: 127 };
    return spec.run(cmd.slice(1), { ...ctx, name: cmd[0], env: vars });
  },
};

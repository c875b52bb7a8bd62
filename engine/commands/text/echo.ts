/** `echo` as bash's builtin: -n, -e, -E only when the whole argument is made of them (bash builtins/echo.def). */
import type { CommandSpec } from '../../shell/command';
import { unescape } from './printf-format';

export const echo: CommandSpec = {
  name: 'echo',
  summary: 'display a line of text',
  run(args) {
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      if (!/^-[neE]+$/.test(a)) break;
      for (const c of a.slice(1)) {
        if (c === 'n') newline = false;
        else if (c === 'e') escapes = true;
        else escapes = false;
      }
    }
    let text = args.slice(i).join(' ');
    if (escapes) {
      const u = unescape(text, { echo: true });
      if (u.stop) return { stdout: u.text, stderr: '', exitCode: 0 };
      text = u.text;
    }
    return { stdout: text + (newline ? '\n' : ''), stderr: '', exitCode: 0 };
  },
};

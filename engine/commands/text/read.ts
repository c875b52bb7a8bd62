/** `read [-r] [-p PROMPT] [NAME]...` (bash builtins/read.def): one line of standard input into variables. */
import type { CommandSpec } from '../../shell/command';

export const read: CommandSpec = {
  name: 'read',
  summary: 'read a line from the standard input and split it into fields',
  run(args, ctx) {
    let raw = false;
    let prompt = '';
    const names: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-r') raw = true;
      else if (a === '-p') prompt = args[++i] ?? '';
      else if (/^-./.test(a)) {
        const sh = ctx.shell.flavour === 'busybox' ? 'sh' : 'bash';
        return { stdout: '', stderr: `${sh}: read: ${a.slice(0, 2)}: invalid option\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n`, exitCode: 2 };
      } else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(a)) {
        return { stdout: '', stderr: `bash: read: \`${a}': not a valid identifier\n`, exitCode: 1 };
      } else names.push(a);
    }
    const input = ctx.shell.input;
    const text = input.text;
    if (text === '') return { stdout: '', stderr: prompt, exitCode: 1 };
    let nl = text.indexOf('\n');
    let line: string;
    // without -r a backslash-newline continues the line
    if (!raw) {
      while (nl > 0 && text[nl - 1] === '\\') nl = text.indexOf('\n', nl + 1);
    }
    if (nl < 0) {
      line = text;
      input.text = '';
    } else {
      line = text.slice(0, nl);
      input.text = text.slice(nl + 1);
    }
    if (!raw) line = line.replace(/\\\n/g, '').replace(/\\(.)/g, '$1');
    const vars = names.length ? names : ['REPLY'];
    const frame = ctx.shell.frame;
    if (!names.length) frame.vars.REPLY = line;
    else {
      let rest = line.replace(/^[ \t]+/, '');
      vars.forEach((v, i) => {
        if (i === vars.length - 1) {
          frame.vars[v] = rest.replace(/[ \t]+$/, '');
          return;
        }
        const m = /^(\S*)[ \t]*/.exec(rest)!;
        frame.vars[v] = m[1];
        rest = rest.slice(m[0].length);
      });
    }
    return { stdout: '', stderr: prompt, exitCode: nl < 0 ? 1 : 0 };
  },
};

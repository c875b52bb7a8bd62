/**
 * `nohup COMMAND…` and `setsid COMMAND…`: run a program immune to hangups, or in a new
 * session, as each host's own tool does.
 *
 * nohup — GNU coreutils (src/nohup.c, 8.32 on the nodes, 9.1 in Debian bookworm images): with
 * a terminal on stdin it is replaced by /dev/null ("ignoring input"); with a terminal on
 * stdout the output is appended to ./nohup.out (created 0600 even if nothing is written); a
 * terminal on stderr is sent where stdout goes. What it says, on the original stderr:
 * "ignoring input and appending output to 'nohup.out'", "appending output to 'nohup.out'",
 * "ignoring input and redirecting stderr to stdout", "redirecting stderr to stdout" or
 * "ignoring input". A COMMAND it cannot run: "failed to run command 'X': No such file or
 * directory", 127 (EXIT_ENOENT). No operand: "missing operand", 125. busybox (coreutils/
 * nohup.c 1_36_1) says only "appending output to nohup.out" (unquoted); its exec error goes
 * where stderr now points (into nohup.out), and no operand prints its usage, exit 127
 * (xfunc_error_retval).
 *
 * setsid — util-linux (sys-utils/setsid.c, 2.37/2.38): at an interactive shell with job
 * control setsid leads its own process group, so setsid() would fail: it forks, and the
 * parent exits 0 at once (the child's status only with -w); a shell without job control
 * (a script, `sh -c`, `sim`) has it exec the program, whose status it returns. "no command
 * specified", exit 1; "failed to execute X: No such file or directory", 127. busybox
 * (util-linux/setsid.c 1_36_1): the same fork, no -w (-c only); its errors "can't execute
 * 'X': …". A program that keeps running (a capture, a listener) detached from the terminal is
 * not simulated: it would need a process outside this terminal's job table.
 *
 * The program's SIGHUP is ignored under nohup: a job started `nohup CMD &` is not ended by
 * hanging up; here the simulation still stops it with the session (no process outlives it).
 */
import type { CommandOutcome, RunResult, Streaming } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { isEditRequest, isStreaming } from '../../types';
import { isBusyboxApplet, isMuslHost } from '../../hosts/hosts';
import { resolvePath } from '../../hosts/vfs';
import { bbUsage } from '../net/host/busybox';

/** Runs argv as exec would (the shell's lookup of the program), or undefined when there is none. */
function execProgram(argv: string[], ctx: CommandContext, stdin: string): RunResult | Streaming | undefined {
  const spec = ctx.shell.lookup(argv[0]);
  if (!spec) return undefined;
  const outcome = spec.run(argv.slice(1), { ...ctx, name: argv[0], stdin, interactive: false, ttys: undefined });
  return isEditRequest(outcome) ? outcome.finish(null) : outcome;
}

/** A streaming program whose output goes elsewhere (nohup.out): the terminal sees none of it. */
function divert(s: Streaming, route: (out: string, err: string) => { stdout: string; stderr: string }): Streaming {
  const first = route(s.stdout, s.stderr);
  return {
    streaming: true,
    stdout: first.stdout,
    stderr: first.stderr,
    intervalMs: s.intervalMs,
    step() {
      const r = s.step();
      return { ...r, ...route(r.stdout ?? '', r.stderr ?? '') };
    },
    interrupt(signal) {
      const r = s.interrupt(signal);
      return { ...r, ...route(r.stdout ?? '', r.stderr ?? '') };
    },
    hangup: s.hangup ? () => { const r = s.hangup!(); return route(r.stdout ?? '', r.stderr ?? ''); } : undefined,
  };
}

const NOHUP_TRY = "Try 'nohup --help' for more information.\n";
/** nohup.c usage() with emit_ancillary_info. */
const NOHUP_HELP = `Usage: nohup COMMAND [ARG]...
  or:  nohup OPTION
Run COMMAND, ignoring hangup signals.

      --help     display this help and exit
      --version  output version information and exit

If standard input is a terminal, redirect it from an unreadable file.
If standard output is a terminal, append output to 'nohup.out' if possible,
'$HOME/nohup.out' otherwise.
If standard error is a terminal, redirect it to standard output.
To save output to FILE, use 'nohup COMMAND > FILE'.

NOTE: your shell may have its own version of nohup, which usually supersedes
the version described here.  Please refer to your shell's documentation
for details about the options it supports.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Full documentation <https://www.gnu.org/software/coreutils/nohup>
or available locally via: info '(coreutils) nohup invocation'
`;

export const nohup: CommandSpec = {
  name: 'nohup',
  summary: 'run a command immune to hangups, with output to a non-tty',
  run(args, ctx): CommandOutcome {
    const busybox = isBusyboxApplet(ctx.cluster, ctx.host, 'nohup');
    let i = 0;
    if (!busybox) {
      // coreutils: parse_gnu_standard_options_only, then the operands
      const a = args[0];
      if (a === '--help') return { stdout: NOHUP_HELP, stderr: '', exitCode: 0 };
      if (a === '--version') {
        const [v, year] = ctx.host.kind === 'pod' ? ['9.1', 2022] : ['8.32', 2020];
        return { stdout: `nohup (GNU coreutils) ${v}\nCopyright (C) ${year} Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\nThis is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n\nWritten by Jim Meyering.\n`, stderr: '', exitCode: 0 };
      }
      if (a === '--') i = 1;
      else if (a !== undefined && a.startsWith('--')) return { stdout: '', stderr: `nohup: unrecognized option '${a}'\n${NOHUP_TRY}`, exitCode: 125 };
      else if (a !== undefined && a.startsWith('-') && a.length > 1) return { stdout: '', stderr: `nohup: invalid option -- '${a[1]}'\n${NOHUP_TRY}`, exitCode: 125 };
    }
    const argv = args.slice(i);
    if (!argv.length) {
      if (busybox) return { stdout: '', stderr: bbUsage('nohup', 'PROG ARGS', 'Run PROG immune to hangups, with output to a non-tty'), exitCode: 127 };
      return { stdout: '', stderr: `nohup: missing operand\n${NOHUP_TRY}`, exitCode: 125 };
    }
    const tty = ctx.ttys ?? { shell: false, stdin: false, stdout: false, stderr: false };
    const ignoring = tty.stdin;
    let notice = '';
    // where the program's stdout and stderr go: the terminal's streams, or nohup.out
    let file: string | undefined;
    if (tty.stdout) {
      file = resolvePath(ctx.cwd, 'nohup.out');
      if (!ctx.cluster.fs.exists(ctx.host, file)) ctx.cluster.fs.write(ctx.host, file, '');
      notice += busybox ? 'nohup: appending output to nohup.out\n' : `nohup: ${ignoring ? 'ignoring input and appending output to' : 'appending output to'} 'nohup.out'\n`;
    } else if (!busybox && tty.stderr) notice += ignoring ? 'nohup: ignoring input and redirecting stderr to stdout\n' : 'nohup: redirecting stderr to stdout\n';
    else if (!busybox && ignoring) notice += 'nohup: ignoring input\n';
    const route = (out: string, err: string) => {
      // stderr at a terminal follows stdout (dup2(out_fd, STDERR_FILENO))
      const toOut = tty.stderr ? out + err : out;
      const toErr = tty.stderr ? '' : err;
      if (file) {
        if (toOut) ctx.cluster.fs.append(ctx.host, file, toOut);
        return { stdout: '', stderr: toErr };
      }
      return { stdout: toOut, stderr: toErr };
    };
    const outcome = execProgram(argv, ctx, ignoring ? '' : ctx.stdin);
    if (!outcome) {
      if (busybox) {
        // BB_EXECVP_or_die: bb_perror_msg to the stderr nohup already redirected
        const r = route('', `nohup: can't execute '${argv[0]}': No such file or directory\n`);
        return { stdout: r.stdout, stderr: notice + r.stderr, exitCode: 127 };
      }
      // coreutils puts the saved stderr back for its exec error
      return { stdout: '', stderr: `${notice}nohup: failed to run command '${argv[0]}': No such file or directory\n`, exitCode: 127 };
    }
    if (isStreaming(outcome)) {
      const d = divert(outcome, route);
      return { ...d, stderr: notice + d.stderr };
    }
    const r = route(outcome.stdout, outcome.stderr);
    return { stdout: r.stdout, stderr: notice + r.stderr, exitCode: outcome.exitCode };
  },
};

const SETSID_TRY = "Try 'setsid --help' for more information.\n";
const SETSID_HELP = `
Usage:
 setsid [options] <program> [arguments ...]

Run a program in a new session.

Options:
 -c, --ctty     set the controlling terminal to the current one
 -f, --fork     always fork
 -w, --wait     wait program to exit, and use the same return

 -h, --help     display this help
 -V, --version  display version

For more details see setsid(1).
`;

/** util-linux's version line: 2.37.2 on the Ubuntu 22.04 nodes, 2.38.1 in Debian bookworm images. */
const UTIL_LINUX = (ctx: CommandContext) => `setsid from util-linux ${ctx.host.kind === 'pod' ? '2.38.1' : '2.37.2'}\n`;

export const setsid: CommandSpec = {
  name: 'setsid',
  summary: 'run a program in a new session',
  run(args, ctx): CommandOutcome {
    const busybox = isBusyboxApplet(ctx.cluster, ctx.host, 'setsid');
    let wait = false;
    let i = 0;
    // getopt "+Vhcfw" (util-linux) / "^+c" (busybox): options stop at the program
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        i++;
        break;
      }
      if (!a.startsWith('-') || a === '-') break;
      if (!busybox && a.startsWith('--')) {
        const long = ['--ctty', '--fork', '--wait', '--help', '--version'].filter((l) => l.startsWith(a));
        if (long.length !== 1) return { stdout: '', stderr: `setsid: ${long.length ? 'option' : 'unrecognized option'} '${a}'${long.length ? ' is ambiguous' : ''}\n${SETSID_TRY}`, exitCode: 1 };
        if (long[0] === '--help') return { stdout: SETSID_HELP, stderr: '', exitCode: 0 };
        if (long[0] === '--version') return { stdout: UTIL_LINUX(ctx), stderr: '', exitCode: 0 };
        if (long[0] === '--wait') wait = true;
        continue;
      }
      for (const c of a.slice(1)) {
        if (busybox && c === 'c') continue;
        if (busybox) return { stdout: '', stderr: `${isMuslHost(ctx.cluster, ctx.host) ? `setsid: unrecognized option: ${c}` : `setsid: invalid option -- '${c}'`}\n${bbUsage('setsid', '[-c] PROG ARGS', 'Run PROG in a new session. PROG will have no controlling terminal\nand will not be affected by keyboard signals (^C etc).\n\n\t-c\tSet controlling terminal to stdin')}`, exitCode: 1 };
        if (c === 'h') return { stdout: SETSID_HELP, stderr: '', exitCode: 0 };
        if (c === 'V') return { stdout: UTIL_LINUX(ctx), stderr: '', exitCode: 0 };
        if (c === 'w') wait = true;
        else if (c !== 'c' && c !== 'f') return { stdout: '', stderr: `setsid: invalid option -- '${c}'\n${SETSID_TRY}`, exitCode: 1 };
      }
    }
    const argv = args.slice(i);
    if (!argv.length) {
      if (busybox) return { stdout: '', stderr: bbUsage('setsid', '[-c] PROG ARGS', 'Run PROG in a new session. PROG will have no controlling terminal\nand will not be affected by keyboard signals (^C etc).\n\n\t-c\tSet controlling terminal to stdin'), exitCode: 1 };
      return { stdout: '', stderr: `setsid: no command specified\n${SETSID_TRY}`, exitCode: 1 };
    }
    // a process group leader (the foreground command of a shell with job control) forks
    const forks = ctx.ttys?.shell === true;
    const outcome = execProgram(argv, ctx, ctx.stdin);
    if (!outcome) {
      const msg = busybox ? `setsid: can't execute '${argv[0]}': No such file or directory\n` : `setsid: failed to execute ${argv[0]}: No such file or directory\n`;
      // the forked child fails on its own; the parent that did not wait has already exited 0
      return { stdout: '', stderr: msg, exitCode: forks && !wait ? 0 : 127 };
    }
    if (isStreaming(outcome)) {
      if (!forks || wait) return outcome;
      outcome.interrupt('KILL');
      return { stdout: outcome.stdout, stderr: `${outcome.stderr}netlab: ${argv[0]} would go on running detached from this terminal (setsid forked); a detached program is not simulated here\n`, exitCode: 0 };
    }
    const r: RunResult = outcome;
    return { ...r, exitCode: forks && !wait ? 0 : r.exitCode };
  },
};

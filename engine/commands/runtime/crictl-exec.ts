/**
 * crictl exec — cri-tools cmd/crictl/exec.go (v1.34): `crictl exec [-s] [-it] [--timeout N]
 * CONTAINER-ID COMMAND [ARG...]` runs COMMAND in that container, as the kubelet's exec does for
 * `kubectl exec` (the same shell machinery: execIn, or a pushed shell for `-it … sh`).
 *
 * - fewer than two arguments: cli.ShowSubcommandHelp, status 0;
 * - the ID is any unique prefix (containerd's truncindex); an unknown one is containerd's
 *   NotFound, logged by cri-client's klog line, then logrus.Fatal of
 *   `execing command in container ID: …` (`… synchronously: …` with -s);
 * - a container that is not running: containerd's `container is in CONTAINER_EXITED state`;
 * - -s (ExecSync): fmt.Println of the stdout, then of the stderr; a non-zero exit is cri-client's
 *   CodeExitError `command 'CMD' exited with N: STDERR`;
 * - streaming: stdout/stderr pass through; a non-zero exit is client-go's CodeExitError
 *   `command terminated with exit code N`; -t without -i is `tty=true must be specified with
 *   interactive=true`.
 * Filter flags (--name, --pod, --latest…) are not modeled.
 */
import type { CommandContext } from '../../shell/command';
import type { RunResult } from '../../types';
import { byPrefix, containersOn, fatal, klogError } from './crictl-status';

const SHELLS = new Set(['sh', 'bash', 'ash', '/bin/sh', '/bin/bash', '/bin/ash']);

const HELP = 'NAME:\n   crictl exec - Run a command in a running container\n\nUSAGE:\n   crictl exec [command options] [CONTAINER-ID] COMMAND [ARG...]\n';

export function runCrictlExec(args: string[], ctx: CommandContext, node: string): RunResult {
  let sync = false;
  let tty = false;
  let stdin = false;
  let i = 0;
  const err = (msg: string): RunResult => ({ stdout: '', stderr: fatal(ctx, msg), exitCode: 1 });
  // urfave/cli: flags before the first argument; short ones may be combined (`-it`, `-si`)
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--sync') sync = true;
    else if (flag === '--tty') tty = true;
    else if (flag === '--interactive') stdin = true;
    else if (flag === '--timeout' || flag === '-timeout') {
      const v = inline ?? args[++i];
      if (v === undefined) return { stdout: HELP, stderr: `Incorrect Usage: flag needs an argument: ${flag}\n\n`, exitCode: 1 };
      if (!/^-?\d+$/.test(v)) return { stdout: HELP, stderr: `Incorrect Usage: invalid value "${v}" for flag ${flag}: parse error\n\n`, exitCode: 1 };
    } else if (/^-[sit]+$/.test(flag)) {
      for (const ch of flag.slice(1)) {
        if (ch === 's') sync = true;
        if (ch === 'i') stdin = true;
        if (ch === 't') tty = true;
      }
    } else return { stdout: '', stderr: `crictl exec: the option ${flag} is not modeled by this simulated cluster (-s, -i, -t and --timeout are)\n`, exitCode: 1 };
  }
  const rest = args.slice(i);
  if (rest.length < 2) return { stdout: HELP, stderr: '', exitCode: 0 };
  const [id, ...cmd] = rest;
  const wrap = sync ? `execing command in container ${id} synchronously: ` : `execing command in container ${id}: `;
  const found = byPrefix(containersOn(ctx, node).filter((f) => f.c.current), (f) => f.c.id, id);
  if (!found) {
    const e = `rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found`;
    const line = klogError(ctx, sync ? 'ExecSync cmd from runtime service failed' : 'Exec cmd from runtime service failed', e, 'containerID', id);
    return { stdout: '', stderr: line + fatal(ctx, wrap + e), exitCode: 1 };
  }
  if (found.c.state !== 'Running') {
    const state = found.c.state === 'Created' ? 'CONTAINER_CREATED' : 'CONTAINER_EXITED';
    return err(`${wrap}rpc error: code = Unknown desc = container is in ${state} state`);
  }
  const host = { kind: 'pod' as const, namespace: found.c.namespace, pod: found.c.pod, container: found.c.name };
  if (sync) {
    const r = ctx.shell.execIn(host, cmd, '');
    if (r.exitCode !== 0) return err(`${wrap}command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr}`);
    return { stdout: `${r.stdout}\n${r.stderr}\n`, stderr: '', exitCode: 0 };
  }
  if (tty && !stdin) return err(`${wrap}tty=true must be specified with interactive=true`);
  if (tty && stdin && cmd.length === 1 && SHELLS.has(cmd[0])) {
    ctx.shell.enter(host, { via: 'shell' });
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  const r = ctx.shell.execIn(host, cmd, stdin ? ctx.stdin : '');
  if (r.exitCode !== 0) return { stdout: r.stdout, stderr: r.stderr + fatal(ctx, `${wrap}command terminated with exit code ${r.exitCode}`), exitCode: 1 };
  return r;
}

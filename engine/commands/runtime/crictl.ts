/**
 * crictl (kubernetes-sigs/cri-tools v1.34, cmd/crictl) on a node: what containerd's CRI
 * plugin holds for the kubelet. `crictl pods` lists the Pod sandboxes — one per Pod bound to
 * the node, the thing that owns the Pod's network namespace (held open by the pause
 * container, which the CRI does not list as a container) — and `crictl ps` the app
 * containers, each inside a sandbox. Derived from the Pods the kubelet runs: container IDs
 * are the ones in status.containerStatuses, sandbox IDs a digest of the sandbox.
 *
 * Layout (display.go): text/tabwriter with minwidth 20, padding 3; the last column is not
 * padded. IDs are cut to 13 characters unless --no-trunc; IMAGE is the image ID without
 * `sha256:` (the kubelet passes image IDs); CREATED is go-units HumanDuration + " ago".
 * Both lists are sorted newest first (sandboxByCreated, containerByCreated). `ps` shows
 * running containers unless -a; an exited container stays listed until the kubelet's
 * garbage collector removes it (one dead instance per container is kept).
 */
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { RunResult } from '../../types';
import { fail, ok } from '../../types';
export { sandboxId } from './sandboxes';
import { containersOf, sandboxesOn } from './sandboxes';
import { CRICTL_VERSION_LINE, fatal, humanDuration, runCrictlStatus } from './crictl-status';
import { CRI_DIAL_ERROR } from './systemd';
import { runCrictlExec } from './crictl-exec';
export { humanDuration } from './crictl-status';
import { tabwrite } from '../../printers/kubectl/tabwriter';

const TRUNC = 13;
const TABLE = { minwidth: 20, padding: 3 };

interface Opts {
  name?: RegExp;
  namespace?: RegExp;
  pod?: string;
  id?: string;
  state?: string;
  quiet: boolean;
  noTrunc: boolean;
  all: boolean;
  latest: boolean;
  last?: number;
}

const VALUE_FLAGS: Record<string, keyof Opts> = { '--name': 'name', '--namespace': 'namespace', '--pod': 'pod', '-p': 'pod', '--id': 'id', '--state': 'state', '-s': 'state', '--last': 'last', '-n': 'last' };
const BOOL_FLAGS: Record<string, keyof Opts> = { '--quiet': 'quiet', '-q': 'quiet', '--no-trunc': 'noTrunc', '--all': 'all', '-a': 'all', '--latest': 'latest', '-l': 'latest' };

/** urfave/cli flags (`--name x`, `--name=x`, `-q`); which ones a subcommand takes. */
function parseOpts(args: string[], sub: 'pods' | 'ps'): Opts | RunResult {
  const o: Opts = { quiet: false, noTrunc: false, all: false, latest: false };
  const allowed = sub === 'pods' ? ['name', 'namespace', 'id', 'state', 'quiet', 'noTrunc', 'latest', 'last'] : ['name', 'namespace', 'pod', 'id', 'state', 'quiet', 'noTrunc', 'all', 'latest', 'last'];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('-') && eq > 0 ? a.slice(0, eq) : a;
    const key = VALUE_FLAGS[flag] ?? BOOL_FLAGS[flag];
    if (!a.startsWith('-') || !key || !allowed.includes(key)) {
      if (a.startsWith('-')) return fail(`crictl ${sub}: the option ${flag} is not modeled by this simulated cluster\n`, 1);
      return fail(`crictl ${sub}: arguments are not modeled by this simulated cluster (filter with --name, --namespace${sub === 'ps' ? ', --pod' : ''})\n`, 1);
    }
    if (BOOL_FLAGS[flag]) {
      (o as unknown as Record<string, unknown>)[key] = true;
      continue;
    }
    const v = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (v === undefined) return fail(`Incorrect Usage: flag needs an argument: ${flag}\n`, 1);
    if (key === 'name' || key === 'namespace') {
      try {
        o[key] = new RegExp(v);
      } catch {
        return fail(`crictl ${sub}: the pattern ${v} is not a valid regular expression\n`, 1);
      }
    } else if (key === 'last') {
      if (!/^\d+$/.test(v)) return fail(`Incorrect Usage: invalid value "${v}" for flag -n: parse error\n`, 1);
      o.last = Number(v);
    } else (o as unknown as Record<string, unknown>)[key] = v;
  }
  return o;
}

function limit<T>(list: T[], o: Opts): T[] {
  const n = o.latest ? 1 : o.last && o.last > 0 ? o.last : list.length;
  return list.slice(0, Math.min(n, list.length));
}

function trunc(id: string, o: Opts): string {
  return o.noTrunc ? id : id.slice(0, TRUNC);
}

function ago(now: number, at: number): string {
  return `${humanDuration(Math.max(0, now - at))} ago`;
}

function runPods(ctx: CommandContext, node: string, o: Opts): RunResult {
  const now = ctx.cluster.clock.now();
  let list = sandboxesOn(ctx.cluster, node).map((x) => x.sandbox);
  if (o.id) list = list.filter((s) => s.id.startsWith(o.id!));
  if (o.state) {
    const want = o.state.toLowerCase();
    if (want !== 'ready' && want !== 'notready') return fail('FATA[0000] --state should be ready or notready\n', 1);
    list = list.filter((s) => s.state.toLowerCase() === want);
  }
  list = limit(list.filter((s) => (!o.name || o.name.test(s.name)) && (!o.namespace || o.namespace.test(s.namespace))), o);
  if (o.quiet) return ok(list.map((s) => s.id + '\n').join(''));
  const rows = [['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME'], ...list.map((s) => [trunc(s.id, o), ago(now, s.created), s.state, s.name, s.namespace, '0', '(default)'])];
  return ok(tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', TABLE));
}

function runPs(ctx: CommandContext, node: string, o: Opts): RunResult {
  const now = ctx.cluster.clock.now();
  const boxes = sandboxesOn(ctx.cluster, node);
  if (o.pod) {
    // containerd resolves a sandbox ID by any unique prefix
    const match = boxes.filter((b) => b.sandbox.id.startsWith(o.pod!));
    if (match.length !== 1) return fail(`FATA[0000] listing containers: rpc error: code = NotFound desc = an error occurred when try to find sandbox "${o.pod}": not found\n`, 1);
  }
  let list = boxes.flatMap((b) => containersOf(b.pod, b.sandbox));
  if (o.pod) list = list.filter((c) => c.podId.startsWith(o.pod!));
  if (o.id) list = list.filter((c) => c.id.startsWith(o.id!));
  if (o.state) {
    const want = o.state.toLowerCase();
    if (!['created', 'running', 'exited', 'unknown'].includes(want)) return fail('FATA[0000] --state should be one of created, running, exited or unknown\n', 1);
    list = list.filter((c) => c.state.toLowerCase() === want);
  } else if (!o.all && !o.latest && !o.last) list = list.filter((c) => c.state === 'Running');
  list = list.filter((c) => (!o.name || o.name.test(c.name)) && (!o.namespace || o.namespace.test(c.namespace)));
  list = limit(list.sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : 1)), o);
  if (o.quiet) return ok(list.map((c) => c.id + '\n').join(''));
  const rows = [
    ['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE'],
    ...list.map((c) => [trunc(c.id, o), trunc(c.image, o), ago(now, c.created), c.state, c.name, String(c.attempt), trunc(c.podId, o), c.pod, c.namespace]),
  ];
  return ok(tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', TABLE));
}

/** The subcommands that open a CRI connection (cmd/crictl: getRuntimeService / getImageService first thing in their Action). */
const CONNECTING = ['pods', 'ps', 'exec', 'inspect', 'inspectp', 'logs', 'images', 'image', 'img', 'version', 'info', 'stats', 'statsp', 'rm', 'rmp', 'stop', 'stopp', 'start', 'create', 'run', 'runp', 'pull', 'rmi', 'imagefsinfo', 'port-forward', 'attach', 'update', 'checkpoint', 'events'];

export function runCrictl(args: string[], ctx: CommandContext): RunResult {
  if (ctx.host.kind !== 'node') return fail('bash: crictl: command not found\n', 127);
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    return ok('NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n\nCOMMANDS (modeled here):\n   exec                Run a command in a running container\n   images, image, img  List images\n   inspect             Display the status of one or more containers\n   inspectp            Display the status of one or more pods\n   logs                Fetch the logs of a container\n   pods                List pods\n   ps                  List containers\n   version             Display runtime version information\n');
  }
  if (sub === '--version' || sub === '-v') return ok(CRICTL_VERSION_LINE);
  // containerd stopped: its socket is gone, and the CRI client's first call (Version, in
  // cri-client's validateServiceConnection) fails before the subcommand does anything
  if (!ctx.cluster.kubelet.runtimeUp(ctx.host.node) && CONNECTING.includes(sub)) {
    const api = sub === 'images' || sub === 'image' || sub === 'img' ? 'image' : 'runtime';
    return fail(fatal(ctx, `validate service connection: validate CRI v1 ${api} API for endpoint "unix:///run/containerd/containerd.sock": ${CRI_DIAL_ERROR}`), 1);
  }
  if (sub === 'pods' || sub === 'ps') {
    const o = parseOpts(rest, sub);
    if (!('quiet' in o)) return o;
    return sub === 'pods' ? runPods(ctx, ctx.host.node, o) : runPs(ctx, ctx.host.node, o);
  }
  if (sub === 'exec') return runCrictlExec(rest, ctx, ctx.host.node);
  const status = runCrictlStatus(sub, rest, ctx, ctx.host.node);
  if (status) return status;
  return fail(`crictl: "crictl ${sub}" is not modeled by this simulated cluster (pods, ps, exec, inspect, inspectp, logs, images and version are)\n`, 1);
}

export const crictlCommand: CommandSpec = {
  name: 'crictl',
  summary: 'list the Pod sandboxes and containers of the node\'s container runtime',
  run: runCrictl,
  complete(args) {
    if (args.length <= 1) return ['exec', 'images', 'inspect', 'inspectp', 'logs', 'pods', 'ps', 'version'].filter((w) => w.startsWith(args[0] ?? ''));
    return [];
  },
};

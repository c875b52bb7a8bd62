/**
 * kubectl: one CommandSpec whose verbs live one per file in this folder. The verb table
 * below carries each verb's flags, so parsing, `unknown flag` errors and completion all
 * come from one place.
 */
import { isEditRequest, isStreaming, type CommandOutcome, type EditRequest, type RunResult } from '../../types';
import { loadOpenApi, openApi } from '../../cluster/openapi';
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { ClusterRuntime } from '../../controllers/runtime';
import { RESOURCES, isServed, resourceFor } from '../../cluster/resources';
import type { KindStore } from '../../cluster/store';
import { GLOBAL_FLAGS, type FlagDef } from './flags';
import { errorText, KubectlError, makeKctx, parseVerbFlags, type Kctx } from './common';
import { GET_FLAGS, runGet } from './get';
import { DESCRIBE_FLAGS, runDescribe } from './describe';
import { APPLY_FLAGS, runApply } from './apply';
import { CREATE_FLAGS, runCreate } from './create';
import { DELETE_FLAGS, runDelete } from './delete';
import { LABEL_FLAGS, runLabel, runAnnotate } from './label';
import { SCALE_FLAGS, runScale } from './scale';
import { EXPOSE_FLAGS, runExpose } from './expose';
import { RUN_FLAGS, runRun } from './run';
import { EXEC_FLAGS, runExec } from './exec';
import { CP_FLAGS, runCp } from './cp';
import { LOGS_FLAGS, runLogs } from './logs';
import { ROLLOUT_FLAGS, runRollout } from './rollout';
import { EDIT_FLAGS, runEdit } from './edit';
import { INFO_FLAGS, runApiResources, runClusterInfo, runConfig, runVersion } from './info';
import { EXPLAIN_FLAGS, runExplain } from './explain';
import { HELP_TEXT, KUBECTL_COMMANDS, optionsText, renderVerbHelp } from './help';
import { HELP_TEXTS } from './help-texts';
import { contextNamespace } from './kubeconfig';
import { REPLACE_FLAGS, runReplace } from './replace';
import { PATCH_FLAGS, runPatch } from './patch';
import { WAIT_FLAGS, runWait } from './wait';
import { SET_FLAGS, runSet } from './set';
import { NODE_FLAGS, runCordon, runDrain, runTaint } from './nodes';
import { EVENTS_FLAGS, runApiVersions, runEvents, runTop } from './misc';
import { AUTH_FLAGS, runAuth } from './auth';
import { PORT_FORWARD_FLAGS, runPortForward } from './port-forward';
import { DEBUG_FLAGS, runDebug } from './debug';
import { PROXY_FLAGS, runProxy } from './proxy';
import { DIFF_FLAGS, runDiff } from './diff';
import { ATTACH_FLAGS, runAttach } from './attach';
import { nodeKubectl } from '../runtime/kubectl-node';

interface Verb {
  flags: FlagDef[];
  run(k: Kctx): CommandOutcome;
  /** Positional arguments complete as resource types, then names. */
  completesResources?: boolean;
}

const VERBS: Record<string, Verb> = {
  get: { flags: GET_FLAGS, run: runGet, completesResources: true },
  describe: { flags: DESCRIBE_FLAGS, run: runDescribe, completesResources: true },
  apply: { flags: APPLY_FLAGS, run: runApply },
  create: { flags: CREATE_FLAGS, run: runCreate },
  delete: { flags: DELETE_FLAGS, run: runDelete, completesResources: true },
  label: { flags: LABEL_FLAGS, run: runLabel, completesResources: true },
  annotate: { flags: LABEL_FLAGS, run: runAnnotate, completesResources: true },
  scale: { flags: SCALE_FLAGS, run: runScale, completesResources: true },
  expose: { flags: EXPOSE_FLAGS, run: runExpose, completesResources: true },
  run: { flags: RUN_FLAGS, run: runRun },
  exec: { flags: EXEC_FLAGS, run: runExec },
  cp: { flags: CP_FLAGS, run: runCp },
  logs: { flags: LOGS_FLAGS, run: runLogs },
  rollout: { flags: ROLLOUT_FLAGS, run: runRollout },
  edit: { flags: EDIT_FLAGS, run: runEdit, completesResources: true },
  'api-resources': { flags: INFO_FLAGS['api-resources'], run: runApiResources },
  'cluster-info': { flags: INFO_FLAGS['cluster-info'], run: runClusterInfo },
  version: { flags: INFO_FLAGS.version, run: runVersion },
  config: { flags: INFO_FLAGS.config, run: runConfig },
  explain: { flags: EXPLAIN_FLAGS, run: runExplain },
  patch: { flags: PATCH_FLAGS, run: runPatch, completesResources: true },
  wait: { flags: WAIT_FLAGS, run: runWait, completesResources: true },
  set: { flags: SET_FLAGS, run: runSet },
  replace: { flags: REPLACE_FLAGS, run: runReplace },
  cordon: { flags: NODE_FLAGS, run: runCordon },
  uncordon: { flags: NODE_FLAGS, run: runCordon },
  drain: { flags: NODE_FLAGS, run: runDrain },
  taint: { flags: NODE_FLAGS, run: runTaint },
  events: { flags: EVENTS_FLAGS, run: runEvents },
  'api-versions': { flags: [], run: runApiVersions },
  auth: { flags: AUTH_FLAGS, run: runAuth },
  'port-forward': { flags: PORT_FORWARD_FLAGS, run: runPortForward },
  debug: { flags: DEBUG_FLAGS, run: runDebug },
  proxy: { flags: PROXY_FLAGS, run: runProxy },
  diff: { flags: DIFF_FLAGS, run: runDiff },
  attach: { flags: ATTACH_FLAGS, run: runAttach },
  top: { flags: [{ long: 'all-namespaces', short: 'A', type: 'bool' }, { long: 'selector', short: 'l', type: 'string' }, { long: 'containers', type: 'bool' }, { long: 'sort-by', type: 'string' }, { long: 'no-headers', type: 'bool' }], run: runTop },
};

function levenshtein(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** cobra's SuggestionsFor: distance ≤ 2 or a prefix match, in command order. */
export function suggestionsFor(typed: string): string[] {
  return KUBECTL_COMMANDS.filter((c) => levenshtein(typed.toLowerCase(), c) <= 2 || c.startsWith(typed.toLowerCase()));
}

/** The flags before the verb (`kubectl -n kube-system get pods`) are kubectl's global flags. */
function splitVerb(args: string[]): { verb?: string; rest: string[] } {
  const valueFlags = new Set(GLOBAL_FLAGS.filter((f) => f.type !== 'bool').flatMap((f) => [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])]));
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-')) {
      if (valueFlags.has(a)) i++;
      continue;
    }
    return { verb: a, rest: [...args.slice(0, i), ...args.slice(i + 1)] };
  }
  return { rest: args };
}

function runKubectl(args: string[], ctx: CommandContext): CommandOutcome {
  // on a node: no kubeconfig, no server (commands/runtime/kubectl-node.ts)
  const onNode = nodeKubectl(args, ctx);
  if (onNode) return onNode;
  const { verb, rest } = splitVerb(args);
  if (!verb) {
    if (rest.some((a) => a === '-h' || a === '--help') || rest.length === 0) return { stdout: HELP_TEXT, stderr: '', exitCode: 0 };
    if (rest.includes('--version')) return { stdout: '', stderr: `error: unknown flag: --version\nSee 'kubectl --help' for usage.\n`, exitCode: 1 };
    return { stdout: HELP_TEXT, stderr: '', exitCode: 0 };
  }
  if (verb === 'help') return { stdout: HELP_TEXT, stderr: '', exitCode: 0 };
  // options.go: Run prints the usage (the inherited flags); its help template is empty
  if (verb === 'options') return { stdout: rest.some((a) => a === '-h' || a === '--help') ? '' : optionsText(ctx.shell.frame.vars.HOME ?? '/home/learner'), stderr: '', exitCode: 0 };
  const spec = VERBS[verb];
  if (!spec) {
    if (KUBECTL_COMMANDS.includes(verb)) {
      return { stdout: '', stderr: `error: "kubectl ${verb}" is not modeled by this simulated cluster\n`, exitCode: 1 };
    }
    const sugg = suggestionsFor(verb);
    const tail = sugg.length > 0 ? '\n\nDid you mean this?\n' + sugg.map((s) => `\t${s}\n`).join('') : '\n';
    return { stdout: '', stderr: `error: unknown command "${verb}" for "kubectl"${tail}`, exitCode: 1 };
  }
  const cluster = ctx.cluster as ClusterRuntime;
  let k: Kctx | undefined;
  try {
    const verbPath = verb === 'rollout' || verb === 'config' || verb === 'create' || verb === 'set' ? `${verb}${rest.find((a) => !a.startsWith('-')) ? ' ' + rest.find((a) => !a.startsWith('-')) : ''}` : verb;
    const flags = parseVerbFlags(verbPath, rest, spec.flags);
    if (flags.values.get('help') === true) return { stdout: verbHelp(verb, rest), stderr: '', exitCode: 0 };
    k = makeKctx(cluster, ctx, verb, flags, contextNamespace(cluster, ctx));
    if (WRITES_MANIFESTS.has(verb) && !openApi()) return afterSchemas(verb, rest, ctx);
    return withWarnings(k, spec.run(k));
  } catch (e) {
    const failed = { stdout: e instanceof KubectlError ? e.stdout : '', stderr: errorText(e), exitCode: e instanceof KubectlError ? e.code : 1 };
    return k ? withWarnings(k, failed) : failed;
  }
}

/** Verbs whose requests carry ?fieldValidation: the server checks their bodies against its OpenAPI schemas. */
const WRITES_MANIFESTS = new Set(['apply', 'create', 'replace']);

/**
 * The schemas load on first use (cluster/openapi): a write that needs them waits for them
 * (in the browser a few milliseconds), then runs as if they had been there.
 */
function afterSchemas(verb: string, rest: string[], ctx: CommandContext): CommandOutcome {
  void loadOpenApi();
  return {
    streaming: true,
    stdout: '',
    stderr: '',
    intervalMs: 50,
    step() {
      if (!openApi()) return {};
      // apply, create and replace answer at once (a RunResult)
      const r = runKubectl([verb, ...rest], ctx) as RunResult;
      return { ...r, done: true };
    },
    interrupt: () => ({ exitCode: 130 }),
  };
}

/**
 * What kubectl wrote to stderr before its output (k.early: the server's warnings) goes in
 * front of the verb's stderr, and a terminal shows it first. With --warnings-as-errors a
 * command that succeeded fails after its output (cmd.go PersistentPostRunE:
 * "%d warning received" / "%d warnings received").
 */
function withWarnings(k: Kctx, outcome: CommandOutcome): CommandOutcome {
  if (isStreaming(outcome)) return k.early ? { ...outcome, stderr: k.early + outcome.stderr } : outcome;
  if (isEditRequest(outcome)) {
    // read when the save is sent: the server's warnings to the edit's PATCH come then
    // each pass of the editor loop prints the warnings its own save brought
    const wrap = (e: EditRequest, seen: number): EditRequest => ({
      ...e,
      finish: (saved) => {
        const r = e.finish(saved);
        const early = k.early.slice(seen);
        return { ...withEarly(early, r), ...(r.reopen ? { reopen: wrap(r.reopen, k.early.length) } : {}) };
      },
    });
    return wrap(outcome, 0);
  }
  let res = withEarly(k.early, outcome);
  const n = k.warnings.size;
  if (res.exitCode === 0 && n > 0 && k.flags.values.get('warnings-as-errors') === true) {
    res = { ...res, stderr: `${res.stderr}error: ${n} ${n === 1 ? 'warning' : 'warnings'} received\n`, exitCode: 1 };
  }
  return res;
}

function withEarly(early: string, r: RunResult): RunResult {
  if (!early) return r;
  return { ...r, stderr: early + r.stderr, stderrLead: early.length + (r.stderrLead ?? 0), ...(r.chunks ? { chunks: [{ stream: 'stderr' as const, text: early }, ...r.chunks] } : {}) };
}

/**
 * `kubectl VERB [SUBCOMMAND…] --help`: the help of the deepest command the words name (`rollout
 * status`, `create secret generic`), as kubectl v1.34 prints it (help.ts over help-texts.ts).
 */
function verbHelp(verb: string, rest: string[]): string {
  let path = verb;
  for (const w of rest.filter((a) => !a.startsWith('-'))) {
    if (!HELP_TEXTS[`${path} ${w}`]) break;
    path = `${path} ${w}`;
  }
  const h = HELP_TEXTS[path];
  return h ? renderVerbHelp(path, h) : '';
}

// ---- completion ---------------------------------------------------------------------------

/** The types discovery lists now: built in, or a custom resource whose CRD is installed. */
function resourceWords(store: KindStore): string[] {
  const out: string[] = [];
  for (const r of RESOURCES) if (isServed(r, store)) out.push(r.plural, r.singular, ...r.shortNames);
  return [...new Set(out)].sort();
}

function flagWords(defs: FlagDef[]): string[] {
  return [...defs, ...GLOBAL_FLAGS].map((f) => `--${f.long}`).sort();
}

export function completeKubectl(args: string[], ctx: CommandContext): string[] {
  const cluster = ctx.cluster as ClusterRuntime;
  const partial = args[args.length - 1] ?? '';
  const before = args.slice(0, -1);
  const starts = (xs: string[]) => xs.filter((x) => x.startsWith(partial));
  const { verb, rest } = splitVerb(before);
  const prev = before[before.length - 1];
  if (prev === '-n' || prev === '--namespace') return starts(cluster.store.list('Namespace').map((n) => n.metadata.name));
  if (prev === '-o' || prev === '--output') return starts(['custom-columns=', 'go-template=', 'go-template-file=', 'json', 'jsonpath=', 'name', 'wide', 'yaml']);
  if (!verb) return starts(Object.keys(VERBS).concat('help').sort());
  const spec = VERBS[verb];
  if (!spec) return [];
  if (partial.startsWith('-')) return starts(flagWords(spec.flags));
  let ns = contextNamespace(cluster, ctx);
  for (let i = 0; i < rest.length; i++) {
    if ((rest[i] === '-n' || rest[i] === '--namespace') && rest[i + 1]) ns = rest[i + 1];
    else if (rest[i].startsWith('--namespace=')) ns = rest[i].slice(12);
  }
  const positional = rest.filter((a, i) => !a.startsWith('-') && !(rest[i - 1] === '-n' || rest[i - 1] === '--namespace' || rest[i - 1] === '-o' || rest[i - 1] === '-l' || rest[i - 1] === '-c'));
  const names = (kind: string) => {
    const info = resourceFor(kind);
    if (!info) return [];
    return cluster.store.list(info.kind, info.namespaced ? ns : undefined).map((o) => o.metadata.name);
  };
  if (verb === 'exec' || verb === 'logs' || verb === 'debug' || verb === 'attach') {
    if (prev === '-c' || prev === '--container') {
      const podName = positional[0];
      const store: KindStore = cluster.store;
      const pod = podName ? store.get('Pod', ns, podName) : undefined;
      return starts((pod?.spec?.containers ?? []).map((c) => c.name));
    }
    if (positional.length === 0) return starts(names('Pod'));
    return [];
  }
  if (verb === 'rollout') {
    if (positional.length === 0) return starts(['history', 'pause', 'restart', 'resume', 'status', 'undo']);
    if (positional.length === 1) return starts(cluster.store.list('Deployment', ns).map((d) => `deployment/${d.metadata.name}`));
    return [];
  }
  if (verb === 'config') return positional.length === 0 ? starts(['current-context', 'get-contexts', 'view', 'use-context', 'get-clusters']) : [];
  if (verb === 'create') {
    if (positional.length === 0) return starts(['clusterrole', 'clusterrolebinding', 'configmap', 'deployment', 'namespace', 'role', 'rolebinding', 'secret', 'service', 'serviceaccount']);
    if (positional.length === 1 && positional[0] === 'service') return starts(['clusterip', 'externalname', 'loadbalancer', 'nodeport']);
    if (positional.length === 1 && positional[0] === 'secret') return starts(['generic', 'tls']);
    return [];
  }
  if (verb === 'explain') return positional.length === 0 ? starts(resourceWords(cluster.store)) : [];
  if (!spec.completesResources) return [];
  if (partial.includes('/')) {
    const [type, ...r] = partial.split('/');
    void r;
    return names(type).map((n) => `${type}/${n}`).filter((x) => x.startsWith(partial));
  }
  if (positional.length === 0) {
    if (partial.includes(',')) {
      const head = partial.slice(0, partial.lastIndexOf(',') + 1);
      return resourceWords(cluster.store).map((w) => head + w).filter((x) => x.startsWith(partial));
    }
    return starts(resourceWords(cluster.store));
  }
  return starts(names(positional[0].split(',')[0]));
}

export const kubectlCommand: CommandSpec = {
  name: 'kubectl',
  summary: 'kubectl controls the Kubernetes cluster manager',
  run: runKubectl,
  complete: completeKubectl,
};

export const kubectlCommands: CommandSpec[] = [kubectlCommand];

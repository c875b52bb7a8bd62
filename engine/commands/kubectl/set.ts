/**
 * kubectl set image — k8s.io/kubectl/pkg/cmd/set/set_image.go: `deployment.apps/web image updated`;
 * kubectl set selector — set_selector.go: a Service's whole selector replaced, `service/web selector updated`;
 * kubectl set env — k8s.io/kubectl/pkg/cmd/set/set_env.go: `deployment.apps/web env updated`.
 */
import type { CommandOutcome } from '../../types';
import { notFound } from '../../cluster/api';
import { flagBool, flagString, type FlagDef } from './flags';
import type { Container, EnvVar, KubeObject, PodSpec } from '../../cluster/types';
import type { ResourceInfo } from '../../cluster/resources';
import { dryRunStrategy, dryRunText, KubectlError, kindPrefix, type Kctx, fieldManager } from './common';
import { parseSelection } from './get';
import { parseSelectorString, SelectorParseError, type Requirement } from '../../cluster/labels';

export const SET_FLAGS: FlagDef[] = [
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'all', type: 'bool' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'local', type: 'bool' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'record', type: 'bool' },
  // set env
  { long: 'containers', short: 'c', type: 'string' },
  { long: 'list', type: 'bool' },
];

export function runSet(k: Kctx): CommandOutcome {
  const [sub, ...args] = k.flags.positional;
  if (sub === 'env') return runSetEnv(k, args);
  if (sub === 'selector') return runSetSelector(k, args);
  const dry = dryRunStrategy(k);
  if (sub !== 'image') {
    if (!sub) throw new KubectlError("error: Required resource not specified.\nSee 'kubectl set -h' for help and examples");
    throw new KubectlError(`error: unknown command "${sub}" for "kubectl set"`);
  }
  const resArgs = args.filter((a) => !a.includes('='));
  const pairs = args.filter((a) => a.includes('=')).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as const);
  if (resArgs.length === 0 || pairs.length === 0) throw new KubectlError("error: you must specify an update to image (in the form of container=image)\nSee 'kubectl set image -h' for help and examples");
  const sel = parseSelection(resArgs, 'set image');
  let stdout = '';
  for (const r of sel.requests) {
    for (const name of r.names ?? []) {
      const { live, next, spec } = podSpecToEdit(k, r.info, name);
      const all: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
      for (const [cname, image] of pairs) {
        const hits = cname === '*' ? all : all.filter((c) => c.name === cname);
        if (hits.length === 0) throw new KubectlError(`error: unable to find container named "${cname}"`);
        for (const c of hits) c.image = image;
      }
      // set_image.go: a client dry run prints the local change; a server one is the PATCH with ?dryRun=All
      if (JSON.stringify(next) !== JSON.stringify(live) && dry !== 'client') k.cluster.api.update(next, { fieldManager: fieldManager(k, 'kubectl-set'), dryRun: dry === 'server' });
      stdout += `${kindPrefix(r.info)}/${name} image updated${dryRunText(dry)}\n`;
    }
  }
  return { stdout, stderr: '', exitCode: 0 };
}

/** A container name pattern as set_env.go's selectContainers matches it (path.Match: `*` and `?`). */
function containerMatcher(pattern: string): (name: string) => boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return (name) => re.test(name);
}

/** envutil.SplitEnvironmentFromResources: resources first, then KEY=VALUE and KEY- arguments. */
function splitEnvironment(args: string[]): { resources: string[]; env: string[] } | undefined {
  const resources: string[] = [];
  const env: string[] = [];
  for (const a of args) {
    const isEnv = a.includes('=') || a.endsWith('-');
    if (isEnv) env.push(a);
    else if (env.length > 0) return undefined;
    else resources.push(a);
  }
  return { resources, env };
}

/** set_env.go's updateEnv: replace a variable in place, append a new one, drop removed ones. */
function updateEnv(existing: EnvVar[], add: EnvVar[], remove: string[]): EnvVar[] {
  const out = existing.map((e) => ({ ...e }));
  for (const a of add) {
    const at = out.findIndex((e) => e.name === a.name);
    if (at >= 0) out[at] = a;
    else out.push(a);
  }
  return out.filter((e) => !remove.includes(e.name));
}

function runSetEnv(k: Kctx, args: string[]): CommandOutcome {
  const dry = dryRunStrategy(k);
  const split = splitEnvironment(args);
  if (!split) throw new KubectlError(`error: all resources must be specified before environment changes: ${args.join(' ')}`);
  if (split.resources.length === 0) throw new KubectlError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const add: EnvVar[] = [];
  const remove: string[] = [];
  for (const a of split.env) {
    const eq = a.indexOf('=');
    if (eq < 0) {
      remove.push(a.slice(0, -1));
      continue;
    }
    const name = a.slice(0, eq);
    if (name === '') throw new KubectlError(`error: invalid environment variable: ${a}`);
    add.push({ name, value: a.slice(eq + 1) });
  }
  const list = flagBool(k.flags, 'list');
  const matches = containerMatcher(flagString(k.flags, 'containers') ?? '*');
  const sel = parseSelection(split.resources, 'set env');
  let stdout = '';
  let stderr = '';
  for (const r of sel.requests) {
    for (const name of r.names ?? []) {
      const { live, next, spec } = podSpecToEdit(k, r.info, name);
      const containers: Container[] = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].filter((c) => matches(c.name));
      if (containers.length === 0) {
        stderr += `warning: ${r.info.kind}/${name} does not have any containers matching "${flagString(k.flags, 'containers') ?? '*'}"\n`;
        continue;
      }
      for (const c of containers) {
        const env = updateEnv(c.env ?? [], add, remove);
        if (env.length > 0) c.env = env;
        else delete c.env;
        if (list) {
          stdout += `# ${r.info.kind} ${name}, container ${c.name}\n`;
          for (const e of c.env ?? []) {
            if (e.valueFrom) {
              const ref = e.valueFrom.configMapKeyRef ? `configmap ${e.valueFrom.configMapKeyRef.name}, key ${e.valueFrom.configMapKeyRef.key}`
                : e.valueFrom.secretKeyRef ? `secret ${e.valueFrom.secretKeyRef.name}, key ${e.valueFrom.secretKeyRef.key}`
                : e.valueFrom.fieldRef ? `field path ${e.valueFrom.fieldRef.fieldPath}`
                : e.valueFrom.resourceFieldRef ? `resource ${e.valueFrom.resourceFieldRef.resource}` : 'an unknown source';
              stdout += `# ${e.name} from ${ref}\n`;
            } else stdout += `${e.name}=${e.value ?? ''}\n`;
          }
        }
      }
      if (list) continue;
      // no change, no patch and no message (set_env.go skips an empty patch)
      if (JSON.stringify(next) === JSON.stringify(live)) continue;
      // set_env.go: as set image
      if (dry !== 'client') k.cluster.api.update(next, { fieldManager: fieldManager(k, 'kubectl-set'), dryRun: dry === 'server' });
      stdout += `${kindPrefix(r.info)}/${name} env updated${dryRunText(dry)}\n`;
    }
  }
  return { stdout, stderr, exitCode: 0 };
}

/**
 * The object `set` edits, a copy of it, and the pod spec inside the copy: a Pod's spec, or a
 * workload's pod template (read through the loose shape: the kind is the learner's).
 */
function podSpecToEdit(k: Kctx, info: ResourceInfo, name: string): { live: KubeObject; next: KubeObject; spec: Partial<PodSpec> } {
  const live = k.store.get(info.kind, k.namespace, name);
  if (!live) throw notFound(info, name);
  const next = structuredClone(live);
  const spec: Partial<PodSpec> | undefined = info.kind === 'Pod' ? next.spec : next.spec?.template?.spec;
  if (!spec) throw new KubectlError(`error: ${kindPrefix(info)}/${name} has no containers`);
  return { live, next, spec };
}

/**
 * set_selector.go: the last argument is the selector (metav1.ParseToLabelSelector), the
 * others name the objects; only a Service's selector can be set (updateSelectorForObject),
 * and only from equality requirements.
 */
function runSetSelector(k: Kctx, args: string[]): CommandOutcome {
  const dry = dryRunStrategy(k);
  if (args.length === 0) throw new KubectlError('error: one selector is required');
  const resources = args.slice(0, -1);
  let reqs: Requirement[];
  try {
    reqs = parseSelectorString(args[args.length - 1]);
  } catch (e) {
    if (e instanceof SelectorParseError) throw new KubectlError(`error: ${e.message}`);
    throw e;
  }
  if (resources.length === 0) {
    throw new KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  }
  const matchLabels: Record<string, string> = {};
  const expressions: Requirement[] = [];
  for (const r of reqs) {
    if (r.op === '=') matchLabels[r.key] = r.values[0] ?? '';
    else expressions.push(r);
  }
  const sel = parseSelection(resources, 'set selector');
  let stdout = '';
  for (const r of sel.requests) {
    for (const name of r.names ?? []) {
      const live = k.store.get(r.info.kind, r.info.namespaced ? k.namespace : undefined, name);
      if (!live) throw notFound(r.info, name);
      if (r.info.kind !== 'Service') throw new KubectlError('error: setting a selector is only supported for Services', 1, stdout);
      if (expressions.length) {
        const text = expressions.map((x) => `{${x.key} ${GO_OPERATOR[x.op]} [${x.values.join(' ')}]}`).join(' ');
        throw new KubectlError(`error: match expression [${text}] not supported on this object`, 1, stdout);
      }
      const next = structuredClone(live);
      next.spec.selector = { ...matchLabels };
      if (dry !== 'client') k.cluster.api.update(next, { fieldManager: fieldManager(k, 'kubectl-set'), dryRun: dry === 'server' });
      stdout += `${kindPrefix(r.info)}/${name} selector updated${dryRunText(dry)}\n`;
    }
  }
  return { stdout, stderr: '', exitCode: 0 };
}

/** metav1.LabelSelectorOperator as a requirement prints (%v of LabelSelectorRequirement). */
const GO_OPERATOR: Record<Requirement['op'], string> = { '=': 'In', '!=': 'NotIn', in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };

/**
 * Node maintenance — k8s.io/kubectl/pkg/cmd/drain (cordon, uncordon, drain) and
 * taint/taint.go: `node/node-1 cordoned`, evictions, `node/node-1 tainted`.
 */
import type { CommandOutcome } from '../../types';
import type { Node, Pod, Taint } from '../../cluster/types';
import { resourceFor } from '../../cluster/resources';
import { notFound } from '../../cluster/api';
import { flagBool, flagString, type FlagDef } from './flags';
import { errorText, KubectlError, parseSelector, selectorMatches, type Kctx, fieldManager, dryRunStrategy, dryRunText } from './common';

export const NODE_FLAGS: FlagDef[] = [
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'ignore-daemonsets', type: 'bool' },
  { long: 'delete-emptydir-data', type: 'bool' },
  { long: 'force', type: 'bool' },
  { long: 'grace-period', type: 'int' },
  { long: 'timeout', type: 'string' },
  { long: 'dry-run', type: 'string' },
  { long: 'pod-selector', type: 'string' },
  { long: 'disable-eviction', type: 'bool' },
  { long: 'overwrite', type: 'bool' },
  { long: 'all', type: 'bool' },
];

const NODE = resourceFor('Node')!;

function nodesFrom(k: Kctx, args: string[]): Node[] {
  const selector = flagString(k.flags, 'selector');
  if (selector !== undefined) {
    const reqs = parseSelector(selector);
    return k.store.list('Node').filter((n) => selectorMatches(reqs, n.metadata.labels));
  }
  if (args.length === 0) throw new KubectlError(`error: USAGE: ${k.verb} NODE [flags]\nSee 'kubectl ${k.verb} -h' for help and examples`);
  return args.map((a) => {
    const name = a.replace(/^(nodes?|no)\//, '');
    const n = k.store.get('Node', undefined, name);
    if (!n) throw notFound(NODE, name);
    return n;
  });
}

function setUnschedulable(k: Kctx, node: Node, want: boolean): string {
  const verb = want ? 'cordoned' : 'uncordoned';
  // drain.go RunCordonOrUncordon: the PATCH unless a client dry run (?dryRun=All on a server one); the printer adds the suffix
  const dry = dryRunStrategy(k);
  if (!!node.spec?.unschedulable === want) return `node/${node.metadata.name} already ${verb}${dryRunText(dry)}\n`;
  const next = structuredClone(node);
  next.spec = { ...(next.spec ?? {}) };
  if (want) next.spec.unschedulable = true;
  else delete next.spec.unschedulable;
  if (dry !== 'client') k.cluster.api.update(next, { fieldManager: k.verb === 'taint' ? fieldManager(k, 'kubectl-taint') : 'kubectl', dryRun: dry === 'server' });
  return `node/${node.metadata.name} ${verb}${dryRunText(dry)}\n`;
}

export function runCordon(k: Kctx): CommandOutcome {
  let stdout = '';
  for (const n of nodesFrom(k, k.flags.positional)) stdout += setUnschedulable(k, n, k.verb === 'cordon');
  return { stdout, stderr: '', exitCode: 0 };
}

function controllerKind(p: Pod): string | undefined {
  return (p.metadata.ownerReferences ?? []).find((r) => r.controller)?.kind;
}

export function runDrain(k: Kctx): CommandOutcome {
  // drain's dry runs (the cordon, then each eviction printed or sent with ?dryRun=All) are not modelled: refuse rather than drain
  if (dryRunStrategy(k) !== 'none') throw new KubectlError('error: kubectl drain --dry-run is not simulated here');
  const nodes = nodesFrom(k, k.flags.positional);
  let stdout = '';
  let stderr = '';
  for (const node of nodes) {
    stdout += setUnschedulable(k, node, true);
    const pods = k.store.list('Pod').filter((p) => p.spec?.nodeName === node.metadata.name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata.deletionTimestamp);
    const ds = pods.filter((p) => controllerKind(p) === 'DaemonSet');
    const mirror = pods.filter((p) => p.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined);
    const bare = pods.filter((p) => !controllerKind(p) && !mirror.includes(p));
    const local = pods.filter((p) => (p.spec?.volumes ?? []).some((v) => v.emptyDir) && !ds.includes(p) && !mirror.includes(p));
    const problems: string[] = [];
    const names = (ps: Pod[]) => ps.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ');
    if (ds.length && !flagBool(k.flags, 'ignore-daemonsets')) problems.push(`cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${names(ds)}`);
    if (bare.length && !flagBool(k.flags, 'force')) problems.push(`cannot delete Pods declare no controller (use --force to override): ${names(bare)}`);
    if (local.length && !flagBool(k.flags, 'delete-emptydir-data')) problems.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${names(local)}`);
    if (problems.length) {
      stderr += `error: unable to drain node "${node.metadata.name}" due to error: ${problems.join(', ')}, continuing command...\nThere are pending nodes to be drained:\n ${node.metadata.name}\n${problems.join('\n')}\n`;
      continue;
    }
    const warnings: string[] = [];
    if (ds.length) warnings.push(`ignoring DaemonSet-managed Pods: ${names(ds)}`);
    if (bare.length) warnings.push(`deleting Pods that declare no controller: ${names(bare)}`);
    if (warnings.length) stderr += `Warning: ${warnings.join('; ')}\n`;
    const evict = pods.filter((p) => !ds.includes(p) && !mirror.includes(p));
    for (const p of evict) stdout += `evicting pod ${p.metadata.namespace}/${p.metadata.name}\n`;
    for (const p of evict) {
      try {
        k.cluster.api.delete('Pod', p.metadata.namespace, p.metadata.name);
        stdout += `pod/${p.metadata.name} evicted\n`;
      } catch (e) {
        stderr += errorText(e);
      }
    }
    stdout += `node/${node.metadata.name} drained\n`;
  }
  return { stdout, stderr, exitCode: stderr.replace(/^Warning:.*\n/gm, '') ? 1 : 0 };
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function runTaint(k: Kctx): CommandOutcome {
  const args = k.flags.positional;
  const specs = args.filter((a) => a.includes(':') || a.includes('=') || (a.endsWith('-') && args.indexOf(a) > 1));
  const targets = args.filter((a) => !specs.includes(a));
  const [type, ...names] = targets;
  if (!type || resourceFor(type.split('/')[0])?.kind !== 'Node') throw new KubectlError("error: at least one resource name must be specified since 'all' parameter is not set\nSee 'kubectl taint -h' for help and examples");
  const nodeArgs = type.includes('/') ? [type, ...names] : names;
  if (specs.length === 0) throw new KubectlError("error: at least one taint update is required\nSee 'kubectl taint -h' for help and examples");
  const add: { key: string; value?: string; effect: string }[] = [];
  const remove: { key: string; effect?: string }[] = [];
  for (const s of specs) {
    if (s.endsWith('-')) {
      const [key, effect] = s.slice(0, -1).split(':');
      remove.push({ key, effect });
      continue;
    }
    const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(s);
    if (!m) throw new KubectlError(`error: invalid taint spec: ${s}, unknown taint spec`);
    if (!EFFECTS.includes(m[3])) throw new KubectlError(`error: invalid taint effect: ${m[3]}, unsupported taint effect`);
    add.push({ key: m[1], value: m[2] || undefined, effect: m[3] });
  }
  let stdout = '';
  for (const node of nodesFrom(k, nodeArgs)) {
    let taints: Taint[] = [...(node.spec?.taints ?? [])];
    for (const r of remove) {
      const before = taints.length;
      taints = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
      if (taints.length === before) throw new KubectlError(`error: taint "${r.key}${r.effect ? ':' + r.effect : ''}" not found`);
    }
    for (const a of add) {
      const i = taints.findIndex((t) => t.key === a.key && t.effect === a.effect);
      if (i >= 0 && !flagBool(k.flags, 'overwrite')) {
        throw new KubectlError(`error: node ${node.metadata.name} already has ${a.key} taint(s) with same effect(s) and --overwrite is false`);
      }
      const t: Taint = { effect: a.effect, key: a.key };
      if (a.value !== undefined) t.value = a.value;
      if (i >= 0) taints[i] = t;
      else taints.push(t);
    }
    const next = structuredClone(node);
    next.spec = { ...(next.spec ?? {}) };
    if (taints.length) next.spec.taints = taints;
    else delete next.spec.taints;
    // taint.go: the PATCH unless a client dry run (?dryRun=All on a server one)
    const dry = dryRunStrategy(k);
    if (dry !== 'client') k.cluster.api.update(next, { fieldManager: k.verb === 'taint' ? fieldManager(k, 'kubectl-taint') : 'kubectl', dryRun: dry === 'server' });
    stdout += `node/${node.metadata.name} ${add.length ? (remove.length ? 'modified' : 'tainted') : 'untainted'}${dryRunText(dry)}\n`;
  }
  return { stdout, stderr: '', exitCode: 0 };
}

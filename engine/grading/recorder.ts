/**
 * The authoring recorder: turns what an instructor typed in the playground into a task's
 * reference solution, and the playground's cluster into a scenario file. The playground
 * UI calls these; the output is YAML to paste into tasks.yaml / scenario.yaml.
 */
import { stringify } from 'yaml';
import type { Simulation, HistoryEntry } from '../simulation';
import type { KubeObject } from '../cluster/types';
import type { KindStore } from '../cluster/store';
import { DEFAULT_SETTINGS } from '../cluster/types';
import { SCENARIO_LEAD_MS } from '../cluster/api';

/**
 * The commands from `history` (from index `since`) as a `solution:` block. Commands that
 * failed are left out: a reference solution must not contain a command that errors.
 */
export function recordSolution(history: HistoryEntry[], since = 0): { yaml: string; commands: string[]; skipped: string[] } {
  const commands: string[] = [];
  const skipped: string[] = [];
  for (const e of history.slice(since)) {
    const line = e.command.trim();
    if (!line) continue;
    if (e.exitCode !== 0) skipped.push(line);
    else commands.push(line);
  }
  const yaml = stringify({ solution: { commands } }, { lineWidth: 0 });
  return { yaml, commands, skipped };
}

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
const BUILTIN_NAMESPACES = new Set(['default', ...SYSTEM_NAMESPACES]);

/** Objects a learner or instructor made, as opposed to the system layer and what controllers derive. */
function authored(sim: Simulation, o: KubeObject): boolean {
  const store: KindStore = sim.store;
  const ns = o.metadata.namespace;
  // Written by the cluster itself, never by an author.
  if (['Node', 'Event', 'Lease', 'ControllerRevision'].includes(o.kind)) return false;
  // The system layer (and what a CNI plugin registers, such as Cilium's CRDs) predates the scenario.
  if (Date.parse(o.metadata.creationTimestamp) < (sim.scenario.startTime ?? 0) - SCENARIO_LEAD_MS) return false;
  if (o.kind === 'Namespace') return !BUILTIN_NAMESPACES.has(o.metadata.name);
  if (ns && SYSTEM_NAMESPACES.has(ns)) return false;
  if (o.metadata.ownerReferences?.length) return false;
  // The API server's own Service and the endpoints it keeps for itself.
  if (ns === 'default' && o.metadata.name === 'kubernetes' && ['Service', 'Endpoints', 'EndpointSlice'].includes(o.kind)) return false;
  if (o.kind === 'ConfigMap' && o.metadata.name === 'kube-root-ca.crt') return false;
  // the service account controller's, in every namespace
  if (o.kind === 'ServiceAccount' && o.metadata.name === 'default') return false;
  if (o.kind === 'EndpointSlice') {
    if (o.metadata.labels?.['endpointslice.kubernetes.io/managed-by']) return false;
    // Slices of a Service with a selector are the endpoint controller's.
    const svc = store.get('Service', ns, o.metadata.labels?.['kubernetes.io/service-name'] ?? '');
    if (svc?.spec?.selector) return false;
  }
  if (o.kind === 'Endpoints') {
    const svc = store.get('Service', ns, o.metadata.name);
    if (svc?.spec?.selector) return false;
  }
  return true;
}

const KIND_ORDER = ['Namespace', 'ConfigMap', 'Secret', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'Service', 'Endpoints', 'EndpointSlice', 'NetworkPolicy', 'IngressClass', 'Ingress'];

function clean(o: KubeObject): Record<string, unknown> {
  const m = o.metadata;
  const metadata: Record<string, unknown> = { name: m.name };
  if (m.namespace && m.namespace !== 'default') metadata.namespace = m.namespace;
  if (m.labels && Object.keys(m.labels).length) metadata.labels = m.labels;
  if (m.annotations) {
    const a = Object.fromEntries(Object.entries(m.annotations).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration' && !k.startsWith('deployment.kubernetes.io/')));
    if (Object.keys(a).length) metadata.annotations = a;
  }
  const out: Record<string, unknown> = { apiVersion: o.apiVersion, kind: o.kind, metadata };
  for (const [k, v] of Object.entries(o)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata' || k === 'status') continue;
    out[k] = v;
  }
  return out;
}

/** The current cluster as a scenario file: its settings (only where they differ from the defaults) and the authored objects. */
export function exportScenario(sim: Simulation, files: Record<string, string> = {}): string {
  const cluster: Record<string, unknown> = {};
  const s: Record<string, unknown> = { ...sim.settings };
  const d: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    if (JSON.stringify(s[key]) !== JSON.stringify(d[key])) cluster[key] = s[key];
  }
  const objects = sim.store
    .all()
    .filter((o) => authored(sim, o))
    .sort((a, b) => {
      const ka = KIND_ORDER.indexOf(a.kind);
      const kb = KIND_ORDER.indexOf(b.kind);
      if (ka !== kb) return (ka < 0 ? 99 : ka) - (kb < 0 ? 99 : kb);
      const na = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
      const nb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
      return na < nb ? -1 : na > nb ? 1 : 0;
    })
    .map(clean);
  const doc: Record<string, unknown> = { cluster, objects };
  if (Object.keys(files).length) doc.files = files;
  return stringify(doc, { lineWidth: 0 });
}

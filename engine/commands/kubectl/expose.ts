/**
 * kubectl expose — k8s.io/kubectl/pkg/cmd/expose/expose.go: a Service for a deployment,
 * replica set, pod or service; selector and port found by introspection unless given.
 */
import type { CommandOutcome } from '../../types';
import { isKind, isWorkload, type KubeObject, type LabelSelector, type Manifest, type ServicePort, type ServiceSpec } from '../../cluster/types';
import { notFound } from '../../cluster/api';
import { flagString, type FlagDef } from './flags';
import { KubectlError, kindPrefix, resolveType, type Kctx, fieldManager, dryRunStrategy, dryRunText } from './common';
import { parseSelection, parseOutput, printGeneric, type Printable } from './get';
import { formatLabels } from '../../printers/kubectl/labels';
import { withGoZeroValues } from './util';

export const EXPOSE_FLAGS: FlagDef[] = [
  { long: 'port', type: 'string' },
  { long: 'target-port', type: 'string' },
  { long: 'type', type: 'string' },
  { long: 'name', type: 'string' },
  { long: 'protocol', type: 'string' },
  { long: 'selector', type: 'string' },
  { long: 'labels', short: 'l', type: 'string' },
  { long: 'external-ip', type: 'string' },
  { long: 'cluster-ip', type: 'string' },
  { long: 'load-balancer-ip', type: 'string' },
  { long: 'session-affinity', type: 'string' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'override-type', type: 'string' },
  { long: 'overrides', type: 'string' },
];

function parseLabelList(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new KubectlError(`error: invalid label spec: ${part}`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** The object's pod selector (runExpose admits Pods, Services and workloads). */
function selectorOf(o: KubeObject): Record<string, string> {
  if (isKind(o, 'Pod')) {
    if (!o.metadata.labels || Object.keys(o.metadata.labels).length === 0) {
      throw new KubectlError(`error: the pod has no labels and cannot be exposed\nSee 'kubectl expose -h' for help and examples`);
    }
    return { ...o.metadata.labels };
  }
  if (isKind(o, 'Service')) {
    if (!o.spec?.selector) throw new KubectlError(`error: couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set`);
    return { ...o.spec.selector };
  }
  const sel: LabelSelector | undefined = isWorkload(o) ? o.spec?.selector : undefined;
  if (sel?.matchExpressions?.length) {
    throw new KubectlError(`error: couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "${sel.matchExpressions.map((e) => e.key).join(',')}", to map-based selector format`);
  }
  return { ...(sel?.matchLabels ?? {}) };
}

function portsOf(o: KubeObject): { port: number; protocol: string; name?: string }[] {
  if (isKind(o, 'Service')) return (o.spec?.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP', name: p.name }));
  const spec = isKind(o, 'Pod') ? o.spec : isWorkload(o) ? o.spec?.template?.spec : undefined;
  const out: { port: number; protocol: string; name?: string }[] = [];
  for (const c of spec?.containers ?? []) for (const p of c.ports ?? []) out.push({ port: p.containerPort, protocol: p.protocol ?? 'TCP', name: p.name });
  return out;
}

export function runExpose(k: Kctx): CommandOutcome {
  const dry = dryRunStrategy(k);
  if (k.flags.positional.length === 0) {
    throw new KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n");
  }
  const sel = parseSelection(k.flags.positional, 'expose');
  const req = sel.requests[0];
  if (!req.names || req.names.length === 0) throw new KubectlError('error: resource(s) were provided, but no name was specified');
  if (!['Deployment', 'ReplicaSet', 'Pod', 'Service', 'StatefulSet'].includes(req.info.kind)) {
    throw new KubectlError(`error: cannot expose a ${req.info.kind}`);
  }
  const name = req.names[0];
  const obj = k.store.get(req.info.kind, k.namespace, name);
  if (!obj) throw notFound(req.info, name);
  const selArg = flagString(k.flags, 'selector');
  const selector = selArg ? parseLabelList(selArg) : selectorOf(obj);
  const portArg = flagString(k.flags, 'port');
  const protocol = flagString(k.flags, 'protocol');
  let ports: ServicePort[];
  if (portArg) {
    const list = portArg.split(',');
    ports = list.map((p, i) => {
      if (!/^\d+$/.test(p)) throw new KubectlError(`error: strconv.Atoi: parsing "${p}": invalid syntax`);
      const port: ServicePort = { port: Number(p), protocol: protocol ?? 'TCP' };
      if (list.length > 1) port.name = `port-${i + 1}`;
      return port;
    });
  } else {
    const found = portsOf(obj);
    if (found.length === 0) throw new KubectlError(`error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples`);
    ports = found.map((p, i) => {
      const port: ServicePort = { port: p.port, protocol: protocol ?? p.protocol };
      if (found.length > 1) port.name = p.name ?? `port-${i + 1}`;
      return port;
    });
  }
  const target = flagString(k.flags, 'target-port');
  for (const p of ports) {
    if (target !== undefined) p.targetPort = /^\d+$/.test(target) ? Number(target) : target;
    else p.targetPort = p.port;
  }
  const svcName = flagString(k.flags, 'name') ?? name;
  const labelsArg = flagString(k.flags, 'labels');
  const labels = labelsArg ? parseLabelList(labelsArg) : obj.metadata.labels ? { ...obj.metadata.labels } : undefined;
  const spec: ServiceSpec = { ports, selector };
  const type = flagString(k.flags, 'type');
  if (type) {
    const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
    const match = types.find((t) => t.toLowerCase() === type.toLowerCase());
    if (!match) throw new KubectlError(`error: cannot expose a Service with type "${type}"`);
    spec.type = match;
  }
  const clusterIP = flagString(k.flags, 'cluster-ip');
  if (clusterIP) spec.clusterIP = clusterIP;
  const ext = flagString(k.flags, 'external-ip');
  if (ext) spec.externalIPs = ext.split(',');
  const lbip = flagString(k.flags, 'load-balancer-ip');
  if (lbip) spec.loadBalancerIP = lbip;
  const aff = flagString(k.flags, 'session-affinity');
  if (aff) spec.sessionAffinity = aff;
  const metadata: { name: string; labels?: Record<string, string> } = { name: svcName };
  const svc: Manifest = { apiVersion: 'v1', kind: 'Service', metadata, spec };
  if (labels) metadata.labels = labels;
  void formatLabels;
  const output = flagString(k.flags, 'output');
  let created: Printable = withGoZeroValues(svc);
  // expose.go: a client dry run prints the generated Service; a server one is the POST with ?dryRun=All (defaulted, allocated, validated, not stored)
  if (dry !== 'client') created = k.cluster.api.create(svc, { namespace: k.namespace, fieldManager: fieldManager(k, 'kubectl-expose'), dryRun: dry === 'server' });
  if (output) {
    const mode = parseOutput(output, 'expose');
    if (mode.t !== 'table') return { stdout: printGeneric(mode, [created], true, false), stderr: '', exitCode: 0 };
  }
  return { stdout: `${kindPrefix(resolveType('service'))}/${svcName} exposed${dryRunText(dry)}\n`, stderr: '', exitCode: 0 };
}

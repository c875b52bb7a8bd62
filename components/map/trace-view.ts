/**
 * A recorded packet walk (engine PacketTrace) shaped for the map: the verdict first and what
 * decided it, the path as a few steps (DNS, the source, the Service translation, routing or
 * the overlay, policy, the destination), and which hop rows are plain "pass" rows of a
 * node's rule chains that a reader may fold away. Pure: no React, so it is unit-tested.
 */
import type { PacketTrace, TraceEnd, TraceHop, TracePolicy } from '@/engine';

export type Tone = 'ok' | 'bad' | 'warn';

export interface Verdict {
  /** "Blocked", "Delivered", … */
  title: string;
  /** What the client saw, in its own words. */
  seen: string;
  tone: Tone;
  /** The deciding hop, when there is one. */
  hop?: TraceHop;
  index?: number;
  /** The NetworkPolicy that decided it, when a policy did. */
  policy?: TracePolicy;
  /** One line naming the rule or policy that decided it. */
  decidedBy: string;
}

const OUTCOME: Record<PacketTrace['outcome'], { title: string; seen: string; tone: Tone }> = {
  delivered: { title: 'Delivered', seen: 'the connection was accepted', tone: 'ok' },
  refused: { title: 'Refused', seen: 'connection refused (RST or ICMP port unreachable)', tone: 'warn' },
  timeout: { title: 'Blocked', seen: 'dropped silently: the client waits until it times out', tone: 'bad' },
  unreachable: { title: 'Unreachable', seen: 'ICMP host unreachable', tone: 'bad' },
  nxdomain: { title: 'Name not resolved', seen: 'the name did not resolve, nothing was sent', tone: 'bad' },
};

export function policyName(p: TracePolicy): string {
  return `${p.kind} ${p.namespace}/${p.name}`;
}

export function verdictOf(t: PacketTrace): Verdict {
  const o = OUTCOME[t.outcome];
  const index = t.decidedAt ?? (t.hops.length ? t.hops.length - 1 : undefined);
  const hop = index === undefined ? undefined : t.hops[index];
  const policy = hop?.stage === 'policy' && hop.policy ? hop.policy : undefined;
  let decidedBy = hop ? hop.what : o.seen;
  if (policy) {
    const others = (policy.all ?? []).filter((n) => n !== policy.name);
    decidedBy = `${policy.direction === 'ingress' ? 'Ingress' : 'Egress'} ${t.outcome === 'delivered' ? 'allowed' : 'denied'} by ${policyName(policy)}${others.length ? ` (also selecting the Pod: ${others.join(', ')})` : ''}`;
  } else if (hop?.stage === 'netfilter' || hop?.stage === 'service') {
    decidedBy = `${hop.where}: ${hop.what}`;
  }
  return { ...o, ...(hop ? { hop, index } : {}), ...(policy ? { policy } : {}), decidedBy };
}

/** A plain "pass" row of a node's chains: folded behind the toggle. */
export function isPassRow(h: TraceHop): boolean {
  return (h.stage === 'netfilter' || h.stage === undefined) && (h.verdict === 'pass' || h.verdict === undefined);
}

export interface PathStep {
  stage: NonNullable<TraceHop['stage']>;
  label: string;
  detail?: string;
  node?: string;
  tone: Tone | 'neutral';
  /** The step holds the deciding hop. */
  decisive: boolean;
  /** Indexes of its hops in trace.hops. */
  hops: number[];
}

export function endName(e: TraceEnd | undefined): string {
  if (!e) return '';
  switch (e.kind) {
    case 'pod':
      return `${e.namespace}/${e.name}`;
    case 'node':
      return `node ${e.name}`;
    case 'workstation':
      return 'workstation';
    case 'external':
      return e.ip;
  }
}

const STAGE_LABEL: Record<PathStep['stage'], string> = {
  dns: 'DNS',
  source: 'source',
  netfilter: 'rules',
  service: 'Service',
  nat: 'SNAT',
  route: 'route',
  overlay: 'between nodes',
  policy: 'NetworkPolicy',
  lb: 'load balancer',
  internet: 'internet',
  destination: 'destination',
};

export function stageLabel(s: TraceHop['stage']): string {
  return s ? STAGE_LABEL[s] : 'hop';
}

function toneOf(h: TraceHop): Tone | 'neutral' {
  if (h.verdict === 'drop') return 'bad';
  if (h.verdict === 'reject') return 'warn';
  if (h.verdict === 'deliver') return 'ok';
  return 'neutral';
}

function worst(a: PathStep['tone'], b: PathStep['tone']): PathStep['tone'] {
  const rank = { neutral: 0, ok: 1, warn: 2, bad: 3 } as const;
  return rank[b] > rank[a] ? b : a;
}

/**
 * The walk as steps: consecutive hops of one stage on one node make one step; rule chains
 * that only passed the packet are left out (they are in the hop list).
 */
export function pathSteps(t: PacketTrace): PathStep[] {
  const steps: PathStep[] = [];
  t.hops.forEach((h, i) => {
    const stage = h.stage ?? 'netfilter';
    const last = steps[steps.length - 1];
    if (last && last.stage === stage && last.node === h.node && stage !== 'policy' && stage !== 'service') {
      last.hops.push(i);
      last.tone = worst(last.tone, toneOf(h));
      if (i === t.decidedAt) last.decisive = true;
      return;
    }
    steps.push({ stage, label: STAGE_LABEL[stage], node: h.node, tone: toneOf(h), decisive: i === t.decidedAt, hops: [i] });
  });
  for (const s of steps) {
    const first = t.hops[s.hops[0]];
    const deciding = s.hops.includes(t.decidedAt ?? -1) ? t.hops[t.decidedAt!] : undefined;
    switch (s.stage) {
      case 'dns':
        s.detail = first.what.replace(/^DNS: /, '');
        break;
      case 'source':
        s.detail = endName(t.path?.src) || first.where;
        break;
      case 'service': {
        const svc = t.path?.service ? `${t.path.service.namespace}/${t.path.service.name}` : '';
        const what = first.verdict === 'dnat' && first.detail ? first.detail : first.what;
        s.detail = svc && !what.includes(svc) ? `${svc} ${what}` : what;
        break;
      }
      case 'policy': {
        const p = first.policy;
        s.detail = p ? `${p.name} (${p.direction}${p.enforced ? '' : ', not enforced'})` : first.what;
        break;
      }
      case 'destination':
        s.detail = endName(t.path?.dst) || first.where;
        break;
      case 'overlay':
      case 'route':
      case 'nat':
      case 'lb':
      case 'internet':
        s.detail = (deciding ?? first).what;
        break;
      case 'netfilter':
        s.detail = deciding ? `${deciding.where}: ${deciding.what}` : `${s.hops.length} rule${s.hops.length === 1 ? '' : 's'}`;
        break;
    }
  }
  // chains that only passed the packet are not a step of the path
  return steps.filter((s) => s.stage !== 'netfilter' || s.decisive || s.tone !== 'neutral');
}

/** Pods, Services and nodes the walk touched, for the map to highlight (`namespace/name`). */
export function involved(t: PacketTrace | null | undefined): { pods: Map<string, 'source' | 'destination'>; service?: string; nodes: Set<string> } {
  const pods = new Map<string, 'source' | 'destination'>();
  const nodes = new Set<string>(t?.path?.nodes ?? []);
  if (!t?.path) return { pods, nodes };
  const { src, dst, service } = t.path;
  if (dst?.kind === 'pod') pods.set(`${dst.namespace}/${dst.name}`, 'destination');
  if (src.kind === 'pod') pods.set(`${src.namespace}/${src.name}`, 'source');
  return { pods, ...(service ? { service: `${service.namespace}/${service.name}` } : {}), nodes };
}

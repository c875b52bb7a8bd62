'use client';
/**
 * A live map of the simulated cluster, drawn from the object store: nodes with their Pod
 * CIDR and pods (with IPs), Services with their ClusterIP and the pods they select, the last
 * packet walk the dataplane recorded (its verdict, its path, the Pods and Service it touched
 * lit on the map), and the NetworkPolicies with who may reach whom. Loaded only when its tab opens.
 */
import { useEffect, useMemo, useState } from 'react';
import type { KubeObject, ReachabilityMatrix } from '@/engine';
import type { SimView } from '@/lib/engine-worker/protocol';
import PacketPath from './PacketPath';
import Reachability from './Reachability';
import { involved } from './trace-view';

export interface ClusterMapProps {
  /** What the engine's worker last reported. */
  sim: SimView;
  /** Bumps whenever objects change. */
  rev: number;
  /** Asks the engine for the reachability matrix (a dry run in the worker); absent: no matrix. */
  reachability?: (port?: number, proto?: 'tcp' | 'udp' | 'sctp') => Promise<ReachabilityMatrix | null>;
}

/**
 * What the learner chose on the map (the policies panel open or folded, the matrix's port) and
 * the last matrix: the map is unmounted while another tab shows, and comes back as it was.
 */
const kept: { lab: unknown; policiesOpen: boolean | null; port: string | null; got: { key: string; matrix: ReachabilityMatrix | null } } = { lab: null, policiesOpen: null, port: null, got: { key: '', matrix: null } };

/** Another lab (its engine's `reachability`): nothing of the last one's choices carries over. */
function keepFor(lab: unknown): void {
  if (kept.lab === lab) return;
  Object.assign(kept, { lab, policiesOpen: null, port: null, got: { key: '', matrix: null } });
}

/** State that outlives the map's unmounting (see `kept`). */
function useKept<K extends 'policiesOpen' | 'port'>(k: K): [(typeof kept)[K], (v: (typeof kept)[K]) => void] {
  const [v, setV] = useState(kept[k]);
  return [v, (x) => setV((kept[k] = x))];
}

/** The reachability matrix, asked again whenever the cluster changes while its panel is open. */
function useReachability(ask: ClusterMapProps['reachability'], open: boolean, port: string | null, revision: number) {
  const want = `${port ?? ''}|${revision}`;
  const [got, setGot] = useState(kept.got);
  useEffect(() => {
    if (!open || !ask) return;
    let live = true;
    const [p, proto] = port ? port.split('/') : [];
    const done = (matrix: ReachabilityMatrix | null) => live && setGot((kept.got = { key: want, matrix }));
    ask(p ? Number(p) : undefined, proto as 'tcp' | 'udp' | 'sctp' | undefined).then(done, () => done(null));
    return () => {
      live = false;
    };
  }, [ask, open, port, want]);
  return { matrix: got.matrix, loading: open && got.key !== want };
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function podReady(p: KubeObject): boolean {
  return (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

function nodeIP(n: KubeObject): string {
  return (n.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '';
}

const NS_HUES = ['#7aa7ff', '#4cc38a', '#e0af4a', '#c397f5', '#66d4d4', '#ff8f8f'];

export default function ClusterMap({ sim, rev, reachability }: ClusterMapProps) {
  keepFor(reachability);
  const [showSystem, setShowSystem] = useState(false);
  const [focus, setFocus] = useState<string | null>(null);
  const [focusPolicy, setFocusPolicy] = useState<string | null>(null);
  const policyCount = (sim.objects.NetworkPolicy ?? []).length;
  const [policiesOpen, setPoliciesOpen] = useKept('policiesOpen');
  const open = policiesOpen ?? policyCount > 0;
  const [port, setPort] = useKept('port');
  const { matrix, loading } = useReachability(reachability, open, port, sim.revision);
  const touched = useMemo(() => involved(sim.trace), [sim.trace]);
  // which directions each Pod is isolated for, and the Pods the focused policy selects
  const isolation = useMemo(() => {
    const m = new Map<string, Set<string>>();
    for (const p of open ? (matrix?.policies ?? []) : []) for (const k of p.selects) for (const d of p.isolates) (m.get(k) ?? m.set(k, new Set()).get(k)!).add(d);
    return m;
  }, [matrix, open]);
  const policySelects = new Set(focusPolicy ? (matrix?.policies.find((p) => `${p.namespace}/${p.name}` === focusPolicy)?.selects ?? []) : []);

  const data = useMemo(() => {
    void rev;
    const { Node: nodes, Pod: pods, Service: services } = sim.objects;
    const namespaces = [...new Set(pods.map((p) => p.metadata.namespace ?? 'default'))].sort();
    return { nodes, pods, services, namespaces, trace: sim.trace ?? undefined };
  }, [sim, rev]);

  const visiblePods = data.pods.filter((p) => showSystem || p.metadata.namespace !== 'kube-system');
  const hiddenCount = data.pods.length - visiblePods.length;
  const visibleServices = data.services.filter((s) => showSystem || s.metadata.namespace !== 'kube-system');
  const focusSvc = focus ? data.services.find((s) => `${s.metadata.namespace}/${s.metadata.name}` === focus) : undefined;
  const hue = (ns: string) => NS_HUES[Math.max(0, data.namespaces.indexOf(ns)) % NS_HUES.length];
  const unscheduled = visiblePods.filter((p) => !p.spec?.nodeName);

  const podCard = (p: KubeObject) => {
    const ns = p.metadata.namespace ?? 'default';
    const key = `${ns}/${p.metadata.name}`;
    const lit = (focusSvc && focusSvc.metadata.namespace === ns && selects(focusSvc.spec?.selector, p.metadata.labels)) || policySelects.has(key);
    const role = touched.pods.get(key);
    const isolated = isolation.get(key);
    const ready = podReady(p);
    const traced = role ? (sim.trace?.outcome === 'delivered' || role === 'source' ? 'border-ok ring-2 ring-ok' : 'border-bad ring-2 ring-bad') : '';
    return (
      <li
        key={key}
        className={`rounded-lg border px-2.5 py-1.5 transition-colors ${lit ? 'border-accent bg-accent-soft' : 'border-line bg-surface'} ${traced}`}
        data-pod={key}
        data-trace-role={role}
        aria-label={`Pod ${p.metadata.name}${ns !== 'default' ? ` in ${ns}` : ''}, ${p.status?.podIP ?? 'no IP'}${role ? `, ${role} of the last packet walk` : ''}${isolated ? `, isolated for ${[...isolated].join(' and ').toLowerCase()}` : ''}`}
      >
        <div className="flex items-center gap-1.5">
          <span className="h-2 w-2 shrink-0 rounded-full" style={{ background: hue(ns) }} aria-hidden="true" />
          <span className="min-w-0 flex-1 truncate font-mono text-[12px] text-ink" title={`${ns}/${p.metadata.name}`}>
            {p.metadata.name}
          </span>
          <span className={`shrink-0 text-[10px] font-semibold uppercase tracking-wide ${ready ? 'text-ok' : 'text-warn'}`}>{ready ? 'ready' : (p.status?.phase ?? 'pending')}</span>
        </div>
        <div className="mt-0.5 flex justify-between gap-2 font-mono text-[11px] text-muted">
          <span>{p.status?.podIP ?? '<none>'}</span>
          {ns !== 'default' && <span className="truncate text-faint">{ns}</span>}
        </div>
        {(role || isolated) && (
          <div className="mt-0.5 flex flex-wrap gap-1 text-[10px] font-semibold">
            {role && <span className={role === 'source' || sim.trace?.outcome === 'delivered' ? 'text-ok' : 'text-bad'}>{role === 'source' ? 'sent the packet' : sim.trace?.outcome === 'delivered' ? 'received it' : 'never got it'}</span>}
            {[...(isolated ?? [])].map((d) => (
              <span key={d} className={`rounded px-1 ${matrix?.enforced === false ? 'bg-surface-2 text-muted line-through' : 'bg-bad-soft text-bad'}`}>
                {d === 'Ingress' ? 'ingress isolated' : 'egress isolated'}
              </span>
            ))}
          </div>
        )}
      </li>
    );
  };

  return (
    <div className="h-full overflow-auto bg-bg p-3 sm:p-4" data-testid="cluster-map">
      <div className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-2">
        <h2 className="text-sm font-semibold">Cluster map</h2>
        <span className="text-xs text-muted">
          {sim.settings.cni} · kube-proxy {sim.settings.proxyMode} · pods {sim.settings.podCIDR} · services {sim.settings.serviceCIDR}
        </span>
        <label className="ml-auto flex items-center gap-1.5 text-xs text-muted">
          <input type="checkbox" checked={showSystem} onChange={(e) => setShowSystem(e.target.checked)} className="accent-[var(--accent)]" />
          kube-system{hiddenCount > 0 && !showSystem ? ` (${hiddenCount} hidden)` : ''}
        </label>
      </div>

      {data.trace ? (
        <PacketPath key={data.trace.id} trace={data.trace} />
      ) : (
        <section aria-label="Packet walks" className="mb-4 rounded-xl border border-dashed border-line px-4 py-3">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-faint">Packet walks</h3>
          <p className="mt-1 text-xs leading-relaxed text-muted">
            Run <code className="font-mono text-ink">curl</code>, <code className="font-mono text-ink">ping</code> or{' '}
            <code className="font-mono text-ink">nslookup</code> — from a Pod, with <code className="font-mono text-ink">kubectl exec</code>, on a node or from
            the workstation — and the path its packets took appears here: the verdict and what decided it, then DNS, the Service, the route or overlay and
            the policies, hop by hop; the Pods and Service involved light up below.
          </p>
        </section>
      )}

      <section aria-label="Services" className="mb-4">
        <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-faint">Services</h3>
        {visibleServices.length === 0 ? (
          <p className="text-xs text-faint">No Services.</p>
        ) : (
          <ul className="flex flex-wrap gap-2">
            {visibleServices.map((s) => {
              const key = `${s.metadata.namespace}/${s.metadata.name}`;
              const selected = data.pods.filter((p) => p.metadata.namespace === s.metadata.namespace && selects(s.spec?.selector, p.metadata.labels));
              const ready = selected.filter(podReady).length;
              const ports = (s.spec?.ports ?? []).map((p: { port: number; protocol?: string; nodePort?: number }) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol ?? 'TCP'}`).join(',');
              return (
                <li key={key}>
                  <button
                    type="button"
                    onMouseEnter={() => setFocus(key)}
                    onMouseLeave={() => setFocus(null)}
                    onFocus={() => setFocus(key)}
                    onBlur={() => setFocus(null)}
                    className={`rounded-lg border px-2.5 py-1.5 text-left ${focus === key ? 'border-accent bg-accent-soft' : 'border-line bg-surface'} ${touched.service === key ? 'ring-2 ring-accent' : ''}`}
                    data-service={key}
                    data-traced={touched.service === key ? 'true' : undefined}
                    aria-label={`Service ${s.metadata.name}, ${s.spec?.type ?? 'ClusterIP'} ${s.spec?.clusterIP ?? ''}, ${ready} ready of ${selected.length} selected pods${touched.service === key ? ', the last packet walk was sent to it' : ''}`}
                  >
                    <div className="flex items-center gap-2">
                      <span className="font-mono text-[12px] font-semibold text-ink">{s.metadata.name}</span>
                      <span className="rounded bg-surface-2 px-1 text-[10px] font-medium text-muted">{s.spec?.type ?? 'ClusterIP'}</span>
                    </div>
                    <div className="mt-0.5 font-mono text-[11px] text-muted">
                      {s.spec?.type === 'ExternalName' ? `→ ${s.spec?.externalName}` : `${s.spec?.clusterIP ?? ''} ${ports}`}
                      {s.spec?.selector && <span className="ml-2 text-faint">{ready}/{selected.length} ready</span>}
                    </div>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-label="Nodes">
        <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-faint">Nodes</h3>
        <div className="grid gap-3 [grid-template-columns:repeat(auto-fill,minmax(210px,1fr))]">
          {data.nodes.map((n) => {
            const pods = visiblePods.filter((p) => p.spec?.nodeName === n.metadata.name);
            return (
              <article
                key={n.metadata.name}
                className={`rounded-xl border bg-surface-2 p-2.5 ${touched.nodes.has(n.metadata.name) ? 'border-accent' : 'border-line'}`}
                aria-label={`Node ${n.metadata.name}${touched.nodes.has(n.metadata.name) ? ', crossed by the last packet walk' : ''}`}
              >
                <header className="mb-2 px-0.5">
                  <div className="flex items-center gap-2">
                    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" className="text-muted">
                      <rect x="1.5" y="2.5" width="13" height="11" rx="2" fill="none" stroke="currentColor" strokeWidth="1.4" />
                      <path d="M4 6h8M4 9h5" stroke="currentColor" strokeWidth="1.4" />
                    </svg>
                    <span className="font-mono text-[13px] font-semibold text-ink">{n.metadata.name}</span>
                  </div>
                  <div className="mt-0.5 font-mono text-[11px] text-muted">
                    {nodeIP(n)} · {n.spec?.podCIDR ?? 'no podCIDR'}
                  </div>
                </header>
                {pods.length === 0 ? <p className="px-0.5 text-xs text-faint">No pods.</p> : <ul className="space-y-1.5">{pods.map(podCard)}</ul>}
              </article>
            );
          })}
          {unscheduled.length > 0 && (
            <article className="rounded-xl border border-dashed border-line p-2.5" aria-label="Unscheduled pods">
              <header className="mb-2 px-0.5 text-[13px] font-semibold text-muted">Not scheduled</header>
              <ul className="space-y-1.5">{unscheduled.map(podCard)}</ul>
            </article>
          )}
        </div>
        {data.nodes.length === 0 && <p className="text-xs text-faint">No nodes yet.</p>}
      </section>

      <section aria-label="NetworkPolicies and reachability" className="mt-4" data-testid="policies-section">
        <h3 className="mb-1.5">
          <button
            type="button"
            aria-expanded={open}
            onClick={() => setPoliciesOpen(!open)}
            className="flex items-start gap-1.5 text-left text-xs font-semibold uppercase tracking-wide text-faint hover:text-ink"
            data-testid="policies-toggle"
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
            NetworkPolicies &amp; who may reach whom{policyCount > 0 ? ` (${policyCount} polic${policyCount === 1 ? 'y' : 'ies'})` : ''}
          </button>
        </h3>
        {open &&
          (reachability ? (
            <Reachability matrix={matrix} loading={loading} port={port} onPort={setPort} onFocusPolicy={setFocusPolicy} focusPolicy={focusPolicy} />
          ) : (
            <p className="text-xs text-faint">The reachability matrix needs the lab&apos;s engine.</p>
          ))}
      </section>
    </div>
  );
}

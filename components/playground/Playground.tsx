'use client';
/**
 * The playground: a free lab on a blank cluster or any lesson's scenario, with the CNI
 * plugin and kube-proxy mode of your choice. Instructors record what they type here as a
 * task's reference solution, and export the cluster as a scenario file.
 */
import { useCallback, useRef, useState } from 'react';
import type { CniName, ProxyMode } from '@/engine';
import { Workspace } from '@/components/workspace/Workspace';
import { useLab } from '@/components/workspace/useLab';
import dynamic from 'next/dynamic';

const ClusterMap = dynamic(() => import('@/components/map/ClusterMap'), { ssr: false });

export interface PlaygroundSource {
  slug: string;
  title: string;
  scenario: string;
  files: Record<string, string>;
}

interface Settings {
  source: string;
  cni: CniName;
  proxyMode: ProxyMode;
  /** Cilium's kube-proxy replacement: no kube-proxy at all (only with the Cilium CNI). */
  kpr?: boolean;
}

// Typed records, not runtime imports (the engine loads lazily): a new plugin or mode does
// not compile until it has its label here.
const CNI_LABELS: Record<CniName, string> = {
  calico: 'Calico',
  flannel: 'Flannel',
  cilium: 'Cilium',
  weave: 'Weave Net',
  'aws-vpc-cni': 'AWS VPC CNI',
};
const CNIS = (Object.keys(CNI_LABELS) as CniName[]).map((id) => ({ id, label: CNI_LABELS[id] }));
const MODES: Record<ProxyMode, true> = { iptables: true, ipvs: true, nftables: true };
const PROXY_MODES = Object.keys(MODES) as ProxyMode[];

const DEFAULTS: Settings = { source: 'blank', cni: 'calico', proxyMode: 'iptables' };

function isSettings(x: unknown): x is Settings {
  const s = x as Settings;
  return !!s && typeof s.source === 'string' && CNIS.some((c) => c.id === s.cni) && (PROXY_MODES as readonly string[]).includes(s.proxyMode) && (s.kpr === undefined || typeof s.kpr === 'boolean');
}

export function Playground({ sources }: { sources: PlaygroundSource[] }) {
  const settingsRef = useRef<Settings>(DEFAULTS);
  const [settings, setSettings] = useState<Settings>(DEFAULTS);
  const [draft, setDraft] = useState<Settings>(DEFAULTS);
  const recordRef = useRef<{ since: number } | null>(null);
  const [recording, setRecording] = useState<{ since: number } | null>(null);
  const [exported, setExported] = useState<{ title: string; text: string; file: string; note?: string } | null>(null);

  const spec = useCallback(() => {
    const s = settingsRef.current;
    const src = sources.find((x) => x.slug === s.source);
    // the switch decides, whatever the source scenario said (an exported scenario names it only when on)
    const kpr = s.cni === 'cilium' && !!s.kpr;
    return { scenario: src?.scenario ?? '', cluster: { cni: s.cni, proxyMode: kpr ? ('iptables' as const) : s.proxyMode, kubeProxyReplacement: kpr }, files: src?.files ?? {} };
  }, [sources]);

  const lab = useLab({
    id: 'playground',
    spec,
    tasks: [],
    getExtra: () => ({ settings: settingsRef.current, recording: recordRef.current }),
    onRestoreExtra: (extra) => {
      const s = isSettings(extra?.settings) ? extra.settings : DEFAULTS;
      settingsRef.current = s;
      setSettings(s);
      setDraft(s);
      const r = extra?.recording as { since?: unknown } | null | undefined;
      recordRef.current = r && typeof r.since === 'number' ? { since: r.since } : null;
      setRecording(recordRef.current);
    },
  });

  const kprOn = (x: Settings) => x.cni === 'cilium' && !!x.kpr;
  const changed = draft.source !== settings.source || draft.cni !== settings.cni || draft.proxyMode !== settings.proxyMode || kprOn(draft) !== kprOn(settings);

  const start = () => {
    settingsRef.current = draft;
    setSettings(draft);
    recordRef.current = null;
    setRecording(null);
    setExported(null);
    lab.reset();
  };

  const toggleRecording = async () => {
    const sim = lab.sim;
    if (!sim) return;
    if (recordRef.current) {
      const recorded = await lab.recordSolution(recordRef.current.since);
      if (!recorded) return;
      const { yaml, skipped } = recorded;
      setExported({
        title: 'Recorded solution',
        text: yaml,
        file: 'solution.yaml',
        note: skipped.length ? `Left out ${skipped.length} command${skipped.length === 1 ? '' : 's'} that failed: ${skipped.join(' · ')}` : undefined,
      });
      recordRef.current = null;
    } else {
      recordRef.current = { since: sim.historyLength };
      setExported(null);
    }
    setRecording(recordRef.current);
    lab.regradeAndSave();
  };

  const exportCluster = async () => {
    const text = await lab.exportScenario();
    if (text !== null) setExported({ title: 'Scenario', text, file: 'scenario.yaml' });
  };

  const recordedCount = recording && lab.sim ? lab.sim.historyLength - recording.since : 0;
  void lab.objectsRev;

  // max-w-full: a long lesson title must not widen the page past a phone's viewport.
  const select = 'max-w-full rounded-lg border border-line bg-surface px-2.5 py-1.5 text-sm text-ink';

  return (
    <main className="flex flex-col lg:h-[calc(100dvh-3.5rem)]">
      <div className="border-b border-line bg-bg px-4 py-3 sm:px-5">
        <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
          <div className="mr-2 min-w-0">
            <h1 className="text-lg font-semibold tracking-tight">Playground</h1>
            <p className="text-xs text-muted">A free cluster. Nothing is graded; everything is saved.</p>
          </div>
          <label className="flex min-w-0 max-w-full flex-col gap-1 text-xs font-medium text-muted">
            Start from
            <select className={select} value={draft.source} onChange={(e) => setDraft({ ...draft, source: e.target.value })}>
              <option value="blank">Blank cluster (3 nodes)</option>
              {sources.map((s) => (
                <option key={s.slug} value={s.slug}>
                  Lesson: {s.title}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-muted">
            CNI plugin
            <select className={select} value={draft.cni} onChange={(e) => setDraft({ ...draft, cni: e.target.value as CniName })}>
              {CNIS.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          {draft.cni === 'cilium' && (
            <label className="flex items-center gap-2 self-end pb-1.5 text-sm text-ink">
              <input type="checkbox" checked={!!draft.kpr} onChange={(e) => setDraft({ ...draft, kpr: e.target.checked })} />
              No kube-proxy (Cilium eBPF)
            </label>
          )}
          <fieldset disabled={kprOn(draft)} className="flex flex-col gap-1 text-xs font-medium text-muted disabled:opacity-40">
            <legend className="mb-1">kube-proxy mode</legend>
            <div className="flex overflow-hidden rounded-lg border border-line">
              {PROXY_MODES.map((m) => (
                <label key={m} className={`cursor-pointer px-3 py-1.5 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-[var(--focus)] ${draft.proxyMode === m ? 'bg-accent text-accent-ink' : 'bg-surface text-ink'}`}>
                  <input type="radio" name="proxyMode" value={m} checked={draft.proxyMode === m} onChange={() => setDraft({ ...draft, proxyMode: m })} className="sr-only" />
                  {m}
                </label>
              ))}
            </div>
          </fieldset>
          <button
            type="button"
            onClick={start}
            disabled={!changed}
            className="rounded-lg bg-accent px-3.5 py-1.5 text-sm font-semibold text-accent-ink hover:opacity-90 disabled:opacity-40"
          >
            {changed ? 'Start this cluster' : 'Running'}
          </button>
          <div className="flex flex-wrap items-center gap-2 lg:ml-auto">
            <button
              type="button"
              onClick={() => void toggleRecording()}
              aria-pressed={!!recording}
              className={`inline-flex items-center gap-2 rounded-lg border px-3 py-1.5 text-sm font-medium ${recording ? 'border-bad/50 bg-bad-soft text-bad' : 'border-line bg-surface text-ink hover:bg-surface-2'}`}
            >
              <span className={`h-2.5 w-2.5 rounded-full ${recording ? 'animate-pulse bg-bad' : 'bg-bad/70'}`} aria-hidden="true" />
              {recording ? `Stop recording (${recordedCount})` : 'Record a solution'}
            </button>
            <button type="button" onClick={() => void exportCluster()} className="rounded-lg border border-line bg-surface px-3 py-1.5 text-sm font-medium text-ink hover:bg-surface-2">
              Export scenario
            </button>
          </div>
        </div>
        <p className="mt-2 text-xs text-faint">
          Running: {sources.find((s) => s.slug === settings.source)?.title ?? 'blank cluster'} · {CNIS.find((c) => c.id === settings.cni)?.label} · {kprOn(settings) ? 'no kube-proxy (Cilium eBPF)' : `kube-proxy ${settings.proxyMode}`}
        </p>
      </div>
      {exported && (
        <section aria-label={exported.title} className="border-b border-line bg-surface px-4 py-3 sm:px-5">
          <div className="mb-2 flex flex-wrap items-center gap-2">
            <h2 className="text-sm font-semibold">{exported.title}</h2>
            <span className="font-mono text-xs text-faint">{exported.file}</span>
            <div className="ml-auto flex gap-2">
              <button type="button" className="rounded-md border border-line px-2.5 py-1 text-xs font-medium hover:bg-surface-2" onClick={() => void navigator.clipboard?.writeText(exported.text).catch(() => {})}>
                Copy
              </button>
              <a
                className="rounded-md border border-line px-2.5 py-1 text-xs font-medium hover:bg-surface-2"
                href={`data:text/yaml;charset=utf-8,${encodeURIComponent(exported.text)}`}
                download={exported.file}
              >
                Download
              </a>
              <button type="button" className="rounded-md px-2 py-1 text-xs text-muted hover:text-ink" onClick={() => setExported(null)} aria-label="Close">
                ✕
              </button>
            </div>
          </div>
          {exported.note && <p className="mb-2 text-xs text-warn">{exported.note}</p>}
          <pre className="max-h-56 overflow-auto rounded-lg bg-term p-3 font-mono text-[12px] leading-relaxed text-[#d5dce5]" data-testid="export">
            {exported.text}
          </pre>
        </section>
      )}
      <div id="main" className="min-h-0 flex-1 lg:flex" tabIndex={-1}>
        <div className="min-h-0 min-w-0 lg:h-full lg:flex-1">
          <Workspace lab={lab} tasks={[]} showTasks={false} mapBeside />
        </div>
        {/* On a desktop the map stays in view beside the terminal and follows every command. */}
        <aside aria-label="Live cluster map" className="hidden min-h-0 border-l border-line lg:block lg:h-full lg:w-[40%] xl:w-[38%]">
          {lab.sim && <ClusterMap sim={lab.sim} rev={lab.objectsRev} reachability={lab.reachability} />}
        </aside>
      </div>
    </main>
  );
}

'use client';
/**
 * The playground: a free lab on a blank cluster or any lesson's scenario, with the CNI
 * plugin and kube-proxy mode of your choice. It keeps the learner's work: switching the
 * CNI or the proxy mode rebuilds the same objects on the new dataplane (asked first, and
 * undone in one click); a scenario can be imported (file or drop) and the whole lab shared
 * as a link whose fragment carries it (lib/share.ts). Instructors record what they type here
 * as a task's reference solution, and export the cluster as a scenario file.
 */
import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import type { CniName, ProxyMode, SimSnapshot } from '@/engine';
import type { Dataplane, Rebuild, ScenarioCheck } from '@/engine/grading';
import { Workspace } from '@/components/workspace/Workspace';
import { useLab } from '@/components/workspace/useLab';
import { decodeShare, encodeShare, shareValue, MAX_SCENARIO_BYTES, MAX_SHARE_CHARS } from '@/lib/share';
import { ConfirmDialog, type Confirm } from './ConfirmDialog';

const ClusterMap = lazy(() => import('@/components/map/ClusterMap'));

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
  /** The scenario the running cluster was built from when it is not `source`'s: a rebuild, an import, a share link. */
  scenario?: string;
  /** Where that scenario came from, for the "Running" line ("imported web.yaml", "a share link"). */
  origin?: string;
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
  return (
    !!s &&
    typeof s.source === 'string' &&
    CNIS.some((c) => c.id === s.cni) &&
    (PROXY_MODES as readonly string[]).includes(s.proxyMode) &&
    (s.kpr === undefined || typeof s.kpr === 'boolean') &&
    (s.scenario === undefined || typeof s.scenario === 'string') &&
    (s.origin === undefined || typeof s.origin === 'string')
  );
}

const kprOn = (x: Pick<Settings, 'cni' | 'kpr'>) => x.cni === 'cilium' && !!x.kpr;
const dataplaneOf = (s: Settings): Dataplane => ({ cni: s.cni, proxyMode: s.proxyMode, kubeProxyReplacement: kprOn(s) });
const dataplaneLabel = (s: Pick<Settings, 'cni' | 'kpr' | 'proxyMode'>) => `${CNI_LABELS[s.cni]} · ${kprOn(s) ? 'no kube-proxy (Cilium eBPF)' : `kube-proxy ${s.proxyMode}`}`;
const refText = (r: { kind: string; namespace?: string; name: string }) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The largest file the importer reads (the share link's own cap on what it inflates to). */
const MAX_IMPORT_BYTES = MAX_SCENARIO_BYTES;

/** What the last switch, import or shared link replaced: Undo builds it back from its snapshot. */
interface Undo {
  settings: Settings;
  from: { snapshot: SimSnapshot; transcript: string };
  /** What the change did, for the bar that offers the undo. */
  text: string;
  dropped: { ref: string; reason: string }[];
  notes: string[];
}

/** A scenario that could not be opened: where it came from and the checker's words (file:line). */
interface OpenError {
  where: string;
  line?: number;
  message: string;
}

export function Playground({ sources }: { sources: PlaygroundSource[] }) {
  const settingsRef = useRef<Settings>(DEFAULTS);
  const [settings, setSettings] = useState<Settings>(DEFAULTS);
  const [draft, setDraft] = useState<Settings>(DEFAULTS);
  const recordRef = useRef<{ since: number } | null>(null);
  const [recording, setRecording] = useState<{ since: number } | null>(null);
  const [exported, setExported] = useState<{ title: string; text: string; file?: string; note?: string; testId?: string } | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [undo, setUndo] = useState<Undo | null>(null);
  const [openError, setOpenError] = useState<OpenError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const spec = useCallback(() => {
    const s = settingsRef.current;
    const src = s.scenario === undefined ? sources.find((x) => x.slug === s.source) : undefined;
    // the switch decides, whatever the source scenario said (an exported scenario names it only when on)
    const kpr = kprOn(s);
    return {
      scenario: s.scenario ?? src?.scenario ?? '',
      cluster: { cni: s.cni, proxyMode: kpr ? ('iptables' as const) : s.proxyMode, kubeProxyReplacement: kpr },
      // a rebuilt, imported or shared scenario carries its files itself
      files: src?.files ?? {},
    };
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

  const changed = draft.source !== settings.source || draft.cni !== settings.cni || draft.proxyMode !== settings.proxyMode || kprOn(draft) !== kprOn(settings);

  /** Builds the lab on `next`, keeping what it replaces for Undo. */
  const switchTo = (next: Settings, done: Omit<Undo, 'settings' | 'from'>) => {
    const from = lab.undoPoint();
    const before = settingsRef.current;
    settingsRef.current = next;
    setSettings(next);
    setDraft(next);
    recordRef.current = null;
    setRecording(null);
    setExported(null);
    setOpenError(null);
    setUndo(from ? { settings: before, from, ...done } : null);
    lab.replace();
  };

  const undoSwitch = () => {
    if (!undo) return;
    settingsRef.current = undo.settings;
    setSettings(undo.settings);
    setDraft(undo.settings);
    setUndo(null);
    setExported(null);
    lab.replace(undo.from);
  };

  /** "Start this cluster": the same objects on another dataplane, or another lesson's cluster; asked first when there is work to keep or lose. */
  const start = async () => {
    const target = draft;
    const sameSource = target.source === settings.source;
    setBusy('Working out what moves to the new cluster…');
    const plan: Rebuild | null = await lab.rebuildPlan(dataplaneOf(target));
    setBusy(null);
    if (!plan) return;
    if (!plan.ok) {
      setOpenError({ where: `the cluster on ${dataplaneLabel(target)}`, message: plan.message });
      return;
    }
    const fileNames = plan.files;
    const title = sources.find((s) => s.slug === target.source)?.title ?? 'a blank cluster';
    if (!sameSource) {
      const go = () => switchTo({ ...target, scenario: undefined, origin: undefined }, { text: `Started ${title} on ${dataplaneLabel(target)}.`, dropped: [], notes: [] });
      if (plan.kept.length === 0 && fileNames.length === 0) return go();
      setConfirm({
        title: `Start ${title}?`,
        action: 'Start this cluster',
        tone: 'warn',
        body: [
          { heading: 'Replaced', items: [`${plural(plan.kept.length, 'object')} you made and ${plural(fileNames.length, 'file')} in ~ — this starts the lesson’s own cluster, not yours. Undo brings yours back.`] },
        ],
        onConfirm: go,
      });
      return;
    }
    const moved = plan.kept.length + plan.dropped.length + plan.files.length > 0;
    const text = moved ? `Rebuilt on ${dataplaneLabel(target)}: ${plural(plan.kept.length, 'object')} kept${plan.dropped.length ? `, ${plan.dropped.length} dropped` : ''}.` : `Now on ${dataplaneLabel(target)}.`;
    const dropped = plan.dropped.map((d) => ({ ref: refText(d), reason: d.reason }));
    const go = () => switchTo({ ...target, scenario: plan.scenario, origin: settings.origin }, { text, dropped, notes: plan.notes });
    if (plan.kept.length === 0 && plan.dropped.length === 0 && fileNames.length === 0) return go();
    setConfirm({
      title: `Rebuild on ${dataplaneLabel(target)}?`,
      action: 'Rebuild',
      body: [
        { heading: `Kept (${plan.kept.length + fileNames.length})`, items: [...plan.kept.map(refText), ...fileNames.map((f) => `~/${f}`)] },
        {
          heading: 'Rebuilt',
          items: [
            `Pods start again on the new dataplane${plan.readdressed ? `, with addresses from ${CNI_LABELS[target.cni]}’s IPAM` : '; bare Pods keep their addresses'}; Deployments create their Pods anew.`,
            `${kprOn(target) ? 'Cilium’s eBPF load balancer' : `kube-proxy (${target.proxyMode})`} and ${CNI_LABELS[target.cni]} write every node’s rules afresh: anything changed by hand on a node is gone.`,
            'Your command history stays. Undo brings back this cluster exactly as it is now.',
          ],
        },
        ...(plan.dropped.length ? [{ heading: `Dropped (${plan.dropped.length})`, tone: 'bad' as const, items: dropped.map((d) => `${d.ref}: ${d.reason}`) }] : []),
        ...(plan.notes.length ? [{ heading: 'Note', tone: 'warn' as const, items: plan.notes }] : []),
      ],
      onConfirm: go,
    });
  };

  /** A scenario from a file or a link: checked as any scenario, then (asked first) it replaces the cluster. */
  const open = async (text: string, where: string, origin: string) => {
    setBusy(`Checking ${where}…`);
    const check: ScenarioCheck = await lab.checkScenario(text);
    setBusy(null);
    if (!check.ok) {
      setOpenError({ where, line: check.line, message: check.message });
      return false;
    }
    setOpenError(null);
    const next: Settings = { source: 'blank', cni: check.cluster.cni, proxyMode: check.cluster.proxyMode, kpr: !!check.cluster.kubeProxyReplacement, scenario: text, origin };
    const go = () => switchTo(next, { text: `Opened ${origin}: ${plural(check.objects, 'object')} on ${dataplaneLabel(next)}.`, dropped: [], notes: [] });
    const plan = await lab.rebuildPlan(dataplaneOf(settingsRef.current));
    const mine = plan?.ok ? plan.kept.length + plan.files.length : 0;
    if (mine === 0) {
      go();
      return true;
    }
    setConfirm({
      title: `Open ${origin}?`,
      action: 'Open it',
      tone: 'warn',
      body: [
        { heading: 'Opens', items: [`${plural(check.objects, 'object')} on ${dataplaneLabel(next)}.`] },
        { heading: 'Replaced', items: [`this playground’s cluster (${plural(mine, 'object or file', 'objects and files')} of yours). Undo brings it back.`] },
      ],
      onConfirm: go,
    });
    return true;
  };

  const importFile = async (file: File) => {
    if (file.size > MAX_IMPORT_BYTES) {
      setOpenError({ where: file.name, message: `the file is ${Math.round(file.size / 1024)} kB, more than the ${MAX_IMPORT_BYTES / 1024} kB a scenario may be` });
      return;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      setOpenError({ where: file.name, message: 'the file is not UTF-8 text' });
      return;
    }
    await open(text, file.name, `imported ${file.name}`);
  };

  // A share link: opened once the lab is up (its scenario is checked in the engine's worker),
  // then taken off the address bar; a link pasted into this tab's address bar comes as a hashchange.
  const ready = !!lab.sim;
  const [hashes, setHashes] = useState(0);
  useEffect(() => {
    const changed = () => setHashes((n) => n + 1);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  const openRef = useRef(open);
  useEffect(() => {
    openRef.current = open;
  });
  useEffect(() => {
    const hash = window.location.hash;
    if (!ready || shareValue(hash) === null) return;
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    void decodeShare(hash).then((r) => {
      if (r.ok) void openRef.current(r.text, 'the share link', 'a share link');
      else setOpenError({ where: 'the share link', message: r.message });
    });
  }, [ready, hashes]);

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

  const shareLink = async () => {
    const text = await lab.exportScenario();
    if (text === null) return;
    const fragment = await encodeShare(text);
    if (fragment.length > MAX_SHARE_CHARS) {
      setExported({ title: 'Share link', text: '', note: `This cluster makes a link of ${Math.round(fragment.length / 1024)} kB, more than the ${MAX_SHARE_CHARS / 1024} kB a share link may be: export the scenario and send the file instead.` });
      return;
    }
    const url = `${window.location.origin}${window.location.pathname}#${fragment}`;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      /* no clipboard permission: the link is shown to copy by hand */
    }
    setExported({
      title: 'Share link',
      text: url,
      testId: 'share-link',
      note: `${copied ? 'Copied. ' : ''}Whoever opens it gets this cluster — its objects and your files in ~ (${Math.round(text.length / 1024) || '<1'} kB of scenario in ${Math.round(url.length / 1024) || '<1'} kB of link). Nothing is uploaded: it all travels in the link.`,
    });
  };

  const recordedCount = recording && lab.sim ? lab.sim.historyLength - recording.since : 0;
  void lab.objectsRev;

  // max-w-full: a long lesson title must not widen the page past a phone's viewport.
  const select = 'max-w-full rounded-lg border border-line bg-surface px-2.5 py-1.5 text-sm text-ink';
  const button = 'rounded-lg border border-line bg-surface px-3 py-1.5 text-sm font-medium text-ink hover:bg-surface-2 disabled:opacity-40';
  const running = settings.origin ?? sources.find((s) => s.slug === settings.source)?.title ?? 'blank cluster';

  return (
    <main
      className="relative flex flex-col lg:h-[calc(100dvh-3.5rem)]"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target || !e.currentTarget.contains(e.relatedTarget as Node)) setDragging(false);
      }}
      onDrop={(e) => {
        const file = e.dataTransfer.files[0];
        if (!file) return;
        e.preventDefault();
        setDragging(false);
        void importFile(file);
      }}
    >
      {dragging && (
        <div className="pointer-events-none absolute inset-2 z-30 flex items-center justify-center rounded-2xl border-2 border-dashed border-accent bg-bg/85 text-base font-semibold text-ink" aria-hidden="true">
          Drop a scenario.yaml to open it here
        </div>
      )}
      <div className="border-b border-line bg-bg px-4 py-3 sm:px-5">
        <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
          <div className="mr-2 min-w-0">
            <h1 className="text-lg font-semibold tracking-tight">Playground</h1>
            <p className="text-xs text-muted">A free cluster. Nothing is graded; everything is saved, and a switch keeps your objects.</p>
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
            onClick={() => void start()}
            disabled={!changed || !lab.sim || !!busy}
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
            <button type="button" onClick={() => fileInput.current?.click()} disabled={!lab.sim || !!busy} className={button}>
              Import scenario…
            </button>
            <input
              ref={fileInput}
              type="file"
              accept=".yaml,.yml,application/yaml,text/yaml"
              className="sr-only"
              tabIndex={-1}
              aria-label="Scenario file to import"
              data-testid="import-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void importFile(file);
              }}
            />
            <button type="button" onClick={() => void exportCluster()} className={button}>
              Export scenario
            </button>
            <button type="button" onClick={() => void shareLink()} disabled={!lab.sim} className={button}>
              Copy share link
            </button>
          </div>
        </div>
        <p className="mt-2 text-xs text-faint" data-testid="running">
          Running: {running} · {dataplaneLabel(settings)}
          {busy && <span className="ml-2 text-muted">{busy}</span>}
        </p>
      </div>
      {undo && (
        <section aria-label="Last change" role="status" className="border-b border-line bg-surface px-4 py-2 text-sm sm:px-5" data-testid="undo-bar">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span>{undo.text}</span>
            <button type="button" className="rounded-md border border-line px-2.5 py-1 text-xs font-semibold hover:bg-surface-2" onClick={undoSwitch}>
              Undo
            </button>
            <button type="button" className="ml-auto rounded-md px-2 py-1 text-xs text-muted hover:text-ink" onClick={() => setUndo(null)} aria-label="Dismiss">
              ✕
            </button>
          </div>
          {undo.dropped.length > 0 && (
            <div className="mt-1.5 text-xs text-bad">
              <p className="font-semibold">Dropped — the new cluster cannot hold {undo.dropped.length === 1 ? 'it' : 'them'}:</p>
              <ul className="ml-4 list-disc">
                {undo.dropped.map((d) => (
                  <li key={d.ref}>
                    <span className="font-mono">{d.ref}</span>: {d.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {undo.notes.map((n) => (
            <p key={n} className="mt-1 text-xs text-warn">
              {n}
            </p>
          ))}
        </section>
      )}
      {openError && (
        <section role="alert" aria-label="Scenario not opened" className="border-b border-line bg-bad-soft px-4 py-2 text-sm text-bad sm:px-5" data-testid="open-error">
          <div className="flex flex-wrap items-start gap-2">
            <p className="min-w-0 flex-1">
              <span className="font-semibold">Not opened — nothing was changed.</span>{' '}
              <span className="break-words font-mono text-[12.5px]">
                {openError.where}
                {openError.line ? `:${openError.line}` : ''}: {openError.message}
              </span>
            </p>
            <button type="button" className="rounded-md px-2 py-1 text-xs hover:opacity-80" onClick={() => setOpenError(null)} aria-label="Dismiss">
              ✕
            </button>
          </div>
        </section>
      )}
      {exported && (
        <section aria-label={exported.title} className="border-b border-line bg-surface px-4 py-3 sm:px-5">
          <div className="mb-2 flex flex-wrap items-center gap-2">
            <h2 className="text-sm font-semibold">{exported.title}</h2>
            {exported.file && <span className="font-mono text-xs text-faint">{exported.file}</span>}
            <div className="ml-auto flex gap-2">
              {exported.text && (
                <button type="button" className="rounded-md border border-line px-2.5 py-1 text-xs font-medium hover:bg-surface-2" onClick={() => void navigator.clipboard?.writeText(exported.text).catch(() => {})}>
                  Copy
                </button>
              )}
              {exported.file && (
                <a
                  className="rounded-md border border-line px-2.5 py-1 text-xs font-medium hover:bg-surface-2"
                  href={`data:text/yaml;charset=utf-8,${encodeURIComponent(exported.text)}`}
                  download={exported.file}
                >
                  Download
                </a>
              )}
              <button type="button" className="rounded-md px-2 py-1 text-xs text-muted hover:text-ink" onClick={() => setExported(null)} aria-label="Close">
                ✕
              </button>
            </div>
          </div>
          {exported.note && <p className="mb-2 text-xs text-muted">{exported.note}</p>}
          {exported.text && (
            <pre
              tabIndex={0}
              className={`max-h-56 overflow-auto rounded-lg bg-term p-3 font-mono text-[12px] leading-relaxed text-[#d5dce5] ${exported.testId === 'share-link' ? 'whitespace-pre-wrap break-all' : ''}`}
              data-testid={exported.testId ?? 'export'}
            >
              {exported.text}
            </pre>
          )}
        </section>
      )}
      <div id="main" className="min-h-0 flex-1 lg:flex" tabIndex={-1}>
        <div className="min-h-0 min-w-0 lg:h-full lg:flex-1">
          <Workspace lab={lab} tasks={[]} showTasks={false} mapBeside />
        </div>
        {/* On a desktop the map stays in view beside the terminal and follows every command. */}
        <aside aria-label="Live cluster map" className="hidden min-h-0 border-l border-line lg:block lg:h-full lg:w-[40%] xl:w-[38%]">
          {lab.sim && (
            <Suspense fallback={null}>
              <ClusterMap sim={lab.sim} rev={lab.objectsRev} reachability={lab.reachability} />
            </Suspense>
          )}
        </aside>
      </div>
      <ConfirmDialog confirm={confirm} onClose={() => setConfirm(null)} />
    </main>
  );
}

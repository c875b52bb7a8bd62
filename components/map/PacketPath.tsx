'use client';
/**
 * The last packet walk on the map: the verdict and what decided it first, then the path as
 * steps (DNS → source → Service → route/overlay → policy → destination), then every hop as an
 * ordered list with the rule chains' plain "pass" rows folded behind a toggle.
 */
import { useState } from 'react';
import type { PacketTrace } from '@/engine';
import { isPassRow, pathSteps, stageLabel, verdictOf, type PathStep, type Tone } from './trace-view';

const TONE_TEXT: Record<Tone | 'neutral', string> = { ok: 'text-ok', bad: 'text-bad', warn: 'text-warn', neutral: 'text-muted' };
const TONE_BOX: Record<Tone, string> = { ok: 'border-ok bg-ok-soft', bad: 'border-bad bg-bad-soft', warn: 'border-warn bg-warn-soft' };

function StepChip({ s }: { s: PathStep }) {
  const border = s.decisive ? (s.tone === 'ok' ? 'border-ok' : s.tone === 'warn' ? 'border-warn' : 'border-bad') : 'border-line';
  return (
    <div className={`min-w-0 max-w-[15rem] rounded-lg border-2 bg-surface px-2 py-1 ${border}`}>
      <div className="flex items-center gap-1.5 text-[10px] font-semibold uppercase tracking-wide">
        <span className={TONE_TEXT[s.tone]}>{s.label}</span>
        {s.node && <span className="truncate font-mono normal-case text-muted">{s.node}</span>}
      </div>
      <div className="break-words font-mono text-[11px] leading-snug text-ink">{s.detail}</div>
    </div>
  );
}

export default function PacketPath({ trace }: { trace: PacketTrace }) {
  const [showPass, setShowPass] = useState(false);
  const v = verdictOf(trace);
  const steps = pathSteps(trace);
  const passCount = trace.hops.filter(isPassRow).length;
  const rows = trace.hops.map((h, i) => ({ h, i })).filter(({ h }) => showPass || !isPassRow(h));
  const listId = `trace-${trace.id}-hops`;

  return (
    <section aria-labelledby={`trace-${trace.id}-title`} className="mb-4" data-testid="packet-path">
      <h3 id={`trace-${trace.id}-title`} className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-faint">
        Last packet walk — <span className="font-mono normal-case text-muted">{trace.command || trace.to}</span>
      </h3>

      <div className={`rounded-xl border px-3 py-2 ${TONE_BOX[v.tone]}`} data-testid="trace-verdict" role="status">
        <p className="text-sm font-semibold">
          <span className={TONE_TEXT[v.tone]}>{v.title}</span>
          <span className="font-normal text-muted"> — {trace.from} → {trace.to}: {v.seen}</span>
        </p>
        <p className="mt-0.5 text-[12.5px] leading-snug text-ink" data-testid="trace-decided-by">
          {v.policy ? (
            <>
              <span className="font-semibold">{v.decidedBy}</span>
              {v.hop && <span className="text-muted"> — on {v.hop.node ?? v.hop.where}</span>}
            </>
          ) : (
            <span className="font-mono text-[11.5px]">{v.decidedBy}</span>
          )}
        </p>
        {v.policy && v.hop && <p className="mt-0.5 text-[11.5px] text-muted">{v.hop.what.replace(/^NetworkPolicy (ingress|egress): /, '')}</p>}
      </div>

      <ol aria-label="The path, step by step" className="mt-2 flex flex-wrap items-stretch gap-x-1 gap-y-1.5" data-testid="trace-steps">
        {steps.map((s, i) => (
          <li key={i} className="flex items-center gap-1" aria-label={`${s.label}${s.node ? ` on ${s.node}` : ''}: ${s.detail ?? ''}${s.decisive ? ' (decided here)' : ''}`}>
            {i > 0 && (
              <span aria-hidden="true" className="text-faint">
                →
              </span>
            )}
            <StepChip s={s} />
          </li>
        ))}
      </ol>

      <div className="mt-2 flex items-center gap-3">
        <h4 className="text-xs font-semibold text-muted">Every hop</h4>
        {passCount > 0 && (
          <button
            type="button"
            aria-expanded={showPass}
            aria-controls={listId}
            onClick={() => setShowPass((x) => !x)}
            className="rounded border border-line px-2 py-0.5 text-xs text-muted hover:text-ink"
            data-testid="trace-toggle-pass"
          >
            {showPass ? `Hide the ${passCount} rules that passed it` : `Show the ${passCount} rules that passed it`}
          </button>
        )}
      </div>
      <ol id={listId} aria-label={`Hops of the packet walk: ${rows.length} of ${trace.hops.length} shown`} className="mt-1 space-y-1 rounded-xl border border-line bg-surface p-2.5">
        {rows.map(({ h, i }) => {
          const decisive = i === v.index;
          const tone: Tone | 'neutral' = h.verdict === 'drop' ? 'bad' : h.verdict === 'reject' ? 'warn' : h.verdict === 'deliver' ? 'ok' : 'neutral';
          return (
            <li
              key={i}
              value={i + 1}
              aria-label={`Hop ${i + 1} of ${trace.hops.length}, ${stageLabel(h.stage)}${h.node ? ` on ${h.node}` : ''}: ${h.what}${h.verdict ? `, ${h.verdict}` : ''}${decisive ? ', decided here' : ''}`}
              className={`grid grid-cols-[1.75rem_minmax(0,1fr)_auto] gap-x-2 rounded px-1 py-0.5 font-mono text-[11.5px] ${decisive ? 'bg-bad-soft ring-1 ring-bad' : ''} ${decisive && tone === 'ok' ? '!bg-ok-soft !ring-ok' : ''}`}
              data-testid={decisive ? 'trace-deciding-hop' : undefined}
            >
              <span className="text-right text-faint">{i + 1}</span>
              <span className="min-w-0">
                <span className="mr-1.5 rounded bg-surface-2 px-1 text-[10px] uppercase tracking-wide text-muted">{stageLabel(h.stage)}</span>
                <span className="text-muted">{h.where}</span>
                <span className="block break-words text-ink">
                  {h.what}
                  {h.detail && <span className="text-faint"> — {h.detail}</span>}
                </span>
              </span>
              {h.verdict && <span className={`shrink-0 ${TONE_TEXT[tone]}`}>{h.verdict}</span>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

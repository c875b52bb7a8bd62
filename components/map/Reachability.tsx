'use client';
/**
 * NetworkPolicies on the map and who may reach whom: each policy with the Pods it selects and
 * the directions it isolates, and the reachability matrix (engine `reachability`: every cell a
 * dry-run walk under the current CNI), each denied cell naming the policy that denies it.
 */
import { useState } from 'react';
import type { ReachabilityCell, ReachabilityMatrix } from '@/engine';

export interface ReachabilityProps {
  matrix: ReachabilityMatrix | null;
  loading: boolean;
  /** The port the learner picked (`8080/tcp`), or null for the matrix's default. */
  port: string | null;
  onPort(port: string): void;
  /** A policy card is hovered or focused (`namespace/name`), to light its Pods on the map. */
  onFocusPolicy(key: string | null): void;
  focusPolicy: string | null;
}

function short(name: string): string {
  // a Deployment's Pod: keep the name and the last suffix readable
  return name.length > 22 ? `${name.slice(0, 12)}…${name.slice(-8)}` : name;
}

function cellText(c: ReachabilityCell): { symbol: string; tone: string; label: string } {
  if (c.allowed) return { symbol: '✓', tone: 'text-ok', label: c.unenforced ? `open — ${c.unenforced.name} is not enforced` : 'open' };
  if (c.deniedBy) return { symbol: '✗', tone: 'text-bad', label: `denied by ${c.deniedBy.kind} ${c.deniedBy.namespace}/${c.deniedBy.name} (${c.deniedBy.direction})` };
  if (c.outcome === 'refused') return { symbol: '–', tone: 'text-faint', label: 'refused: nothing listens on that port' };
  return { symbol: '✗', tone: 'text-bad', label: `${c.outcome}: ${c.reason}` };
}

export default function Reachability({ matrix, loading, port, onPort, onFocusPolicy, focusPolicy }: ReachabilityProps) {
  const [picked, setPicked] = useState<[number, number] | null>(null);
  if (!matrix) return <p className="text-xs text-muted">{loading ? 'Walking every pair of Pods…' : 'No Pods to show.'}</p>;
  const m = matrix;
  const n = m.pods.length;
  const roomy = n <= 8;
  const interactive = n <= 12;
  const portKey = `${m.port}/${m.proto}`;
  const pick = picked && picked[0] < n && picked[1] < n ? picked : null;
  const detail = pick ? { src: m.pods[pick[0]], dst: m.pods[pick[1]], c: m.cells[pick[0]][pick[1]] } : null;

  return (
    <div className="space-y-3">
      {!m.enforced && (
        <p className="rounded-lg border border-warn bg-warn-soft px-3 py-2 text-xs leading-relaxed text-ink" data-testid="reachability-note">
          <span className="font-semibold">Everything is open.</span> {m.note}.
        </p>
      )}

      <div>
        <h4 className="mb-1 text-xs font-semibold text-muted">NetworkPolicies</h4>
        {m.policies.length === 0 ? (
          <p className="text-xs text-faint">None: no Pod is isolated, every Pod accepts from and sends to every other.</p>
        ) : (
          <ul className="flex flex-wrap gap-2" data-testid="policy-list">
            {m.policies.map((p) => {
              const key = `${p.namespace}/${p.name}`;
              return (
                <li key={key}>
                  <button
                    type="button"
                    onMouseEnter={() => onFocusPolicy(key)}
                    onMouseLeave={() => onFocusPolicy(null)}
                    onFocus={() => onFocusPolicy(key)}
                    onBlur={() => onFocusPolicy(null)}
                    className={`rounded-lg border px-2.5 py-1.5 text-left ${focusPolicy === key ? 'border-accent bg-accent-soft' : 'border-line bg-surface'}`}
                    aria-label={`NetworkPolicy ${key}: isolates ${p.isolates.join(' and ')} of ${p.selects.length} Pod${p.selects.length === 1 ? '' : 's'}${p.selects.length ? ` (${p.selects.map((s) => s.split('/')[1]).join(', ')})` : ''}; ${p.ingressRules} ingress and ${p.egressRules} egress rules${m.enforced ? '' : '; not enforced'}`}
                  >
                    <div className="flex flex-wrap items-center gap-1.5">
                      <span className="font-mono text-[12px] font-semibold text-ink">{p.name}</span>
                      {p.isolates.map((d) => (
                        <span key={d} className={`rounded px-1 text-[10px] font-semibold ${m.enforced ? 'bg-bad-soft text-bad' : 'bg-surface-2 text-muted line-through'}`}>
                          {d === 'Ingress' ? 'isolates ingress' : 'isolates egress'}
                        </span>
                      ))}
                    </div>
                    <div className="mt-0.5 font-mono text-[11px] text-muted">
                      {p.namespace} · selects {p.selects.length} Pod{p.selects.length === 1 ? '' : 's'} · {p.ingressRules} in / {p.egressRules} out rule{p.ingressRules + p.egressRules === 1 ? '' : 's'}
                    </div>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>

      <div>
        <div className="mb-1 flex flex-wrap items-center gap-2">
          <h4 className="text-xs font-semibold text-muted" id="reachability-title">
            Who may reach whom
          </h4>
          {m.ports.length > 0 && (
            <label className="flex items-center gap-1 text-xs text-muted">
              port
              <select
                value={port ?? portKey}
                onChange={(e) => onPort(e.target.value)}
                className="rounded border border-line bg-surface px-1 py-0.5 font-mono text-xs text-ink"
                data-testid="reachability-port"
              >
                {[...new Set([...m.ports, portKey])].map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
          )}
          {loading && <span className="text-[11px] text-faint">updating…</span>}
        </div>
        <p className="mb-1.5 text-[11px] leading-snug text-faint">
          Each cell is a real walk from the row&apos;s Pod to the column&apos;s Pod address on {portKey} under {m.cni} (no Service, no DNS), run without touching the cluster: ✓ accepted, ✗ dropped, – refused (nothing listens).
          {m.total > n && (
            <span className="text-warn" data-testid="reachability-capped">
              {' '}
              Showing the first {n} of {m.total} Pods (the matrix walks at most {m.maxPods}).
            </span>
          )}
        </p>
        <div className="overflow-x-auto rounded-xl border border-line bg-surface" tabIndex={0} aria-labelledby="reachability-title">
          <table className="border-collapse text-[11px]" data-testid="reachability-matrix" data-port={portKey}>
            <caption className="sr-only">
              Reachability on {portKey}: rows are the sending Pods, columns the receiving Pods.
            </caption>
            <thead>
              <tr>
                <th scope="col" className="sticky left-0 bg-surface px-2 py-1 text-left font-semibold text-faint">
                  from ↓ to →
                </th>
                {m.pods.map((p, j) => (
                  <th key={j} scope="col" className="px-1.5 py-1 text-center font-mono font-semibold text-muted" title={`${p.namespace}/${p.name} ${p.ip}`}>
                    <abbr title={`${p.namespace}/${p.name}`} aria-label={`${j + 1}: ${p.name}`} className="no-underline">
                      {roomy ? (
                        <>
                          <span className="sm:hidden">{j + 1}</span>
                          <span className="hidden sm:inline">{short(p.name)}</span>
                        </>
                      ) : (
                        j + 1
                      )}
                    </abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {m.pods.map((src, i) => (
                <tr key={i} className="border-t border-line">
                  <th scope="row" className="sticky left-0 max-w-[8.5rem] truncate bg-surface px-2 py-1 text-left font-mono font-normal text-ink sm:max-w-[11rem]" title={`${src.namespace}/${src.name} ${src.ip} on ${src.node}`}>
                    <span className={`mr-1 text-faint ${roomy ? 'sm:hidden' : ''}`}>{i + 1}</span>
                    {short(src.name)}
                  </th>
                  {m.cells[i].map((c, j) => {
                    const t = cellText(c);
                    const label = `${src.name} to ${m.pods[j].name} on ${portKey}: ${t.label}`;
                    const content = (
                      <>
                        <span className={`font-semibold ${t.tone}`}>{t.symbol}</span>
                        {roomy && c.deniedBy && <span className="block max-w-[4.5rem] truncate text-[10px] text-bad sm:max-w-[8rem]">{c.deniedBy.name}</span>}
                        {roomy && !c.deniedBy && c.unenforced && <span className="block max-w-[4.5rem] truncate text-[10px] text-faint line-through sm:max-w-[8rem]">{c.unenforced.name}</span>}
                      </>
                    );
                    return (
                      <td key={j} className={`px-1.5 py-1 text-center ${c.deniedBy ? 'bg-bad-soft' : ''}`} data-cell={`${i}-${j}`} data-allowed={c.allowed} data-denied-by={c.deniedBy?.name}>
                        {interactive ? (
                          <button type="button" aria-label={label} title={label} onClick={() => setPicked([i, j])} className="w-full rounded px-0.5 hover:bg-surface-2">
                            {content}
                          </button>
                        ) : (
                          <span title={label} aria-label={label}>
                            {content}
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {detail && (
          <p className="mt-1.5 break-words text-[11.5px] leading-snug text-ink" aria-live="polite" data-testid="reachability-detail">
            <span className="font-mono">
              {detail.src.name} → {detail.dst.name} ({detail.dst.ip}:{m.port})
            </span>
            : {detail.c.reason}
          </p>
        )}
      </div>
    </div>
  );
}

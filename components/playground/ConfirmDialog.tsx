'use client';
/**
 * The playground's "ask first": a modal dialog (the platform's <dialog>: focus kept inside,
 * Esc cancels) that says what a change keeps, rebuilds and drops before it happens.
 */
import { useEffect, useRef } from 'react';

export interface ConfirmSection {
  heading: string;
  items: string[];
  tone?: 'bad' | 'warn';
}

export interface Confirm {
  title: string;
  body: ConfirmSection[];
  /** The confirming button's label. */
  action: string;
  tone?: 'warn';
  onConfirm(): void;
}

export function ConfirmDialog({ confirm, onClose }: { confirm: Confirm | null; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (confirm && !d.open) d.showModal();
    if (!confirm && d.open) d.close();
  }, [confirm]);

  return (
    <dialog
      ref={ref}
      aria-labelledby="confirm-title"
      onClose={onClose}
      className="m-auto max-h-[88dvh] w-[min(94vw,560px)] overflow-hidden rounded-2xl border border-line bg-surface p-0 text-ink shadow-2xl backdrop:bg-black/50"
    >
      {confirm && (
        <div className="flex max-h-[88dvh] flex-col">
          <h2 id="confirm-title" className="px-5 pt-5 text-base font-semibold">
            {confirm.title}
          </h2>
          <div className="min-h-0 flex-1 space-y-3 overflow-auto px-5 py-3" tabIndex={0} aria-label="What changes">
            {confirm.body.map((s) => (
              <section key={s.heading} aria-label={s.heading}>
                <h3 className={`text-xs font-semibold uppercase tracking-wide ${s.tone === 'bad' ? 'text-bad' : s.tone === 'warn' ? 'text-warn' : 'text-muted'}`}>{s.heading}</h3>
                <ul className={`mt-1 space-y-0.5 text-sm ${s.items.length > 3 ? 'ml-4 list-disc' : ''}`}>
                  {s.items.map((item) => (
                    <li key={item} className="break-words">
                      {item}
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
          <form method="dialog" className="flex justify-end gap-2 border-t border-line px-5 py-3">
            <button value="cancel" className="rounded-lg border border-line px-3 py-1.5 text-sm font-medium hover:bg-surface-2" autoFocus>
              Cancel
            </button>
            <button
              value="confirm"
              className={`rounded-lg px-3 py-1.5 text-sm font-semibold ${confirm.tone === 'warn' ? 'bg-warn text-[#0c1015]' : 'bg-accent text-accent-ink'}`}
              onClick={() => confirm.onConfirm()}
            >
              {confirm.action}
            </button>
          </form>
        </div>
      )}
    </dialog>
  );
}

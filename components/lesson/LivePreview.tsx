'use client';
/**
 * Development only: polls the lesson folder's fingerprint (app/dev/lesson-stamp) and
 * reloads the page when an instructor edits the lesson's MDX, tasks, scenario or seed
 * files; the dev server renders it afresh from lib/lessons.ts. The lab (terminal,
 * cluster, progress) is saved in the browser, so it comes back as it was; a changed
 * scenario takes effect on "Reset lab". Renders nothing.
 *
 * (A full reload rather than router.refresh(): in our tests with Next 16 and
 * `output: 'export'`, router.refresh() did not refetch the prerendered lesson page in dev.)
 */
import { useEffect } from 'react';

export function LivePreview({ slug, intervalMs = 1000 }: { slug: string; intervalMs?: number }) {
  useEffect(() => {
    if (process.env.NODE_ENV !== 'development') return;
    let last: string | undefined;
    let stopped = false;
    const tick = async () => {
      try {
        const res = await fetch(`/dev/lesson-stamp/${slug}/`, { cache: 'no-store' });
        if (!res.ok) return;
        const stamp = await res.text();
        if (last !== undefined && stamp !== last && !stopped) {
          stopped = true;
          window.location.reload();
          return;
        }
        last = stamp;
      } catch {
        // The dev server is restarting; try again on the next tick.
      }
    };
    void tick();
    const id = setInterval(tick, intervalMs);
    return () => {
      stopped = true;
      clearInterval(id);
    };
  }, [slug, intervalMs]);
  return null;
}

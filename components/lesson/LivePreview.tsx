'use client';
/**
 * Development only: polls the lesson folder's fingerprint (app/dev/lesson-stamp) and
 * re-renders the page from the server when an instructor edits the lesson's MDX, tasks,
 * scenario or seed files. Renders nothing. Scenario changes take effect on "Reset lab".
 */
import { useEffect } from 'react';
import { useRouter } from 'next/navigation';

export function LivePreview({ slug, intervalMs = 1000 }: { slug: string; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (process.env.NODE_ENV !== 'development') return;
    let last: string | undefined;
    let stopped = false;
    const tick = async () => {
      try {
        const res = await fetch(`/dev/lesson-stamp/${slug}/`, { cache: 'no-store' });
        if (!res.ok) return;
        const stamp = await res.text();
        if (last !== undefined && stamp !== last && !stopped) router.refresh();
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
  }, [slug, intervalMs, router]);
  return null;
}

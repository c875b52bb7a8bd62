'use client';
/**
 * A box that scrolls sideways and shows it: a fade on each edge that has more to see, and
 * a "scroll →" hint until the learner reaches the right end. A wide diagram on a phone
 * used to end at the screen's edge with nothing saying there was more.
 */
import { useEffect, useRef, useState, type HTMLAttributes, type ReactNode } from 'react';

type Edges = { left: boolean; right: boolean };

export function SideScroll({ children, className = '', ...rest }: HTMLAttributes<HTMLDivElement> & { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState<Edges>({ left: false, right: false });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      // A pixel of slack: zoomed layouts report fractional widths.
      const left = el.scrollLeft > 1;
      const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setEdges((e) => (e.left === left && e.right === right ? e : { left, right }));
    };
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    if (el.firstElementChild) ro.observe(el.firstElementChild);
    return () => {
      el.removeEventListener('scroll', measure);
      ro.disconnect();
    };
  }, []);
  const more = edges.right ? (edges.left ? 'both' : 'right') : edges.left ? 'left' : 'none';
  return (
    <div className="relative" data-scroll-more={more}>
      <div ref={ref} className={`overflow-x-auto ${className}`} {...rest}>
        {children}
      </div>
      <div
        aria-hidden="true"
        className={`pointer-events-none absolute inset-y-px left-px w-8 rounded-l-xl bg-gradient-to-r from-surface to-transparent transition-opacity duration-200 motion-reduce:transition-none ${edges.left ? 'opacity-100' : 'opacity-0'}`}
      />
      <div
        aria-hidden="true"
        className={`pointer-events-none absolute inset-y-px right-px w-12 rounded-r-xl bg-gradient-to-l from-surface via-surface/70 to-transparent transition-opacity duration-200 motion-reduce:transition-none ${edges.right ? 'opacity-100' : 'opacity-0'}`}
      />
      {edges.right && (
        <span
          aria-hidden="true"
          data-testid="scroll-hint"
          className="pointer-events-none absolute bottom-2 right-2 rounded-full border border-line bg-surface px-2 py-0.5 text-xs font-medium text-muted shadow-sm"
        >
          scroll →
        </span>
      )}
    </div>
  );
}

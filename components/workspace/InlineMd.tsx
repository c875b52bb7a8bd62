/** Task titles, questions and hints are short Markdown: `code` and **bold**, nothing more. */
export function InlineMd({ text }: { text: string }) {
  const parts = text.split(/(`[^`]+`|\*\*[^*]+\*\*)/g);
  return (
    <>
      {parts.map((p, i) =>
        p.startsWith('`') && p.endsWith('`') && p.length > 1 ? (
          <code key={i} className="rounded bg-surface-2 px-1 py-px font-mono text-[0.9em] text-ink">
            {p.slice(1, -1)}
          </code>
        ) : p.startsWith('**') && p.endsWith('**') && p.length > 3 ? (
          <strong key={i} className="font-semibold">
            {p.slice(2, -2)}
          </strong>
        ) : (
          p
        ),
      )}
    </>
  );
}

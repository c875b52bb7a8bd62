/**
 * A lesson's exam competencies as small chips ("CKA CoreDNS"), for the course map and the
 * lesson page. Each chip's title (and its accessible name) is the curriculum's own words:
 * "CKA v1.35 · Services & Networking (20%): Understand and use CoreDNS" (lib/competencies.ts).
 */
import { competencyTitle, sortCompetencies, type Exam } from '@/lib/competencies';

const EXAM_STYLE: Record<Exam, string> = {
  CKA: 'text-accent',
  CKAD: 'text-violet-700 dark:text-violet-300',
  KCNA: 'text-teal-700 dark:text-teal-300',
};

export function CompetencyChips({ ids, className = '' }: { ids: readonly string[]; className?: string }) {
  const list = sortCompetencies(ids);
  if (list.length === 0) return null;
  return (
    <ul className={`flex flex-wrap gap-1.5 ${className}`} aria-label="Exam competencies">
      {list.map((c) => (
        <li
          key={c.id}
          title={competencyTitle(c)}
          aria-label={competencyTitle(c)}
          data-competency={c.id}
          className="inline-flex items-baseline gap-1 rounded-md border border-line bg-surface-2 px-1.5 py-0.5 text-[0.72rem] leading-tight text-muted"
        >
          <span className={`font-semibold tracking-wide ${EXAM_STYLE[c.exam]}`}>{c.exam}</span>
          <span>{c.short}</span>
        </li>
      ))}
    </ul>
  );
}

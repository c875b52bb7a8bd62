import Link from 'next/link';
import { listLessons, type LessonSummary } from '@/lib/lessons';
import { SiteHeader } from '@/components/site/SiteHeader';
import { ContinueCard, LessonProgress, ModuleProgress } from '@/components/home/Progress';
import { HeroArt } from '@/components/home/HeroArt';
import { CompetencyChips } from '@/components/site/CompetencyChips';

export default function Home() {
  const lessons = listLessons();
  const modules: { name: string; lessons: LessonSummary[] }[] = [];
  for (const l of lessons) {
    const m = modules[modules.length - 1];
    if (m && m.name === l.module) m.lessons.push(l);
    else modules.push({ name: l.module, lessons: [l] });
  }
  const totalMinutes = lessons.reduce((a, l) => a + l.minutes, 0);
  const totalTasks = lessons.reduce((a, l) => a + l.taskCount, 0);
  const catalog = lessons.map((l) => ({ slug: l.slug, title: l.title, taskCount: l.taskCount }));
  let n = 0;

  return (
    <>
      <SiteHeader current="course" />
      <main id="main" className="mx-auto w-full max-w-6xl px-5 pb-24 sm:px-8">
        <section className="grid items-center gap-10 pb-10 pt-12 sm:pt-16 lg:grid-cols-[1.15fr_0.85fr]">
          <div>
          <p className="text-xs font-semibold uppercase tracking-[0.1em] text-accent">Kubernetes networking, hands on</p>
          <h1 className="mt-3 max-w-3xl text-[2.1rem] font-bold leading-[1.1] tracking-tight text-ink sm:text-[2.9rem]">
            Learn how packets really move through a cluster.
          </h1>
          <p className="mt-5 max-w-2xl text-[1.06rem] leading-relaxed text-muted">
            Each lesson sits beside a terminal wired to a simulated cluster. Type <code className="rounded bg-surface-2 px-1 font-mono text-[0.92em] text-ink">kubectl</code>,{' '}
            <code className="rounded bg-surface-2 px-1 font-mono text-[0.92em] text-ink">dig</code>,{' '}
            <code className="rounded bg-surface-2 px-1 font-mono text-[0.92em] text-ink">iptables-save</code> or{' '}
            <code className="rounded bg-surface-2 px-1 font-mono text-[0.92em] text-ink">ipvsadm</code> and see what a real cluster would print — every line derived
            from the cluster’s state. Tasks are checked live. Nothing to install; progress stays in your browser.
          </p>
          <div className="mt-7 flex flex-wrap items-center gap-3">
            {lessons[0] && (
              <Link href={`/lessons/${lessons[0].slug}/`} className="rounded-xl bg-accent px-4 py-2.5 text-sm font-semibold text-accent-ink shadow-sm hover:opacity-90">
                Start the course
              </Link>
            )}
            <Link href="/playground/" className="rounded-xl border border-line bg-surface px-4 py-2.5 text-sm font-semibold text-ink hover:bg-surface-2">
              Open the playground
            </Link>
            <span className="text-sm text-muted">
              {lessons.length} lessons · {totalTasks} graded tasks · ≈ {Math.round(totalMinutes / 6) / 10} h
            </span>
          </div>
          <ContinueCard lessons={catalog} />
          </div>
          <div className="hidden lg:block">
            <HeroArt />
          </div>
        </section>

        <div className="space-y-12">
          {modules.map((m, mi) => (
            <section key={m.name} aria-labelledby={`module-${mi}`}>
              <div className="mb-4 flex items-baseline gap-3 border-b border-line pb-2">
                <span className="font-mono text-xs text-faint">{String(mi + 1).padStart(2, '0')}</span>
                <h2 id={`module-${mi}`} className="text-lg font-semibold tracking-tight text-ink">
                  {m.name}
                </h2>
                <ModuleProgress name={m.name} lessons={m.lessons.map((l) => ({ slug: l.slug, taskCount: l.taskCount }))} />
              </div>
              <ol className="grid gap-3 md:grid-cols-2 lg:grid-cols-3">
                {m.lessons.map((l) => {
                  n += 1;
                  return (
                    <li key={l.slug}>
                      <Link
                        href={`/lessons/${l.slug}/`}
                        className="group flex h-full flex-col rounded-2xl border border-line bg-surface p-5 transition-colors hover:border-accent/60"
                        data-lesson={l.slug}
                      >
                        <div className="flex items-start gap-3">
                          <span className="mt-0.5 inline-flex h-7 w-7 shrink-0 items-center justify-center rounded-lg bg-surface-2 font-mono text-xs font-semibold text-muted">{n}</span>
                          <div className="min-w-0 flex-1">
                            <h3 className="font-semibold leading-snug text-ink group-hover:text-accent">{l.title}</h3>
                            <p className="mt-1.5 text-sm leading-relaxed text-muted">{l.summary}</p>
                            <CompetencyChips ids={l.competencies} className="mt-3" />
                          </div>
                        </div>
                        <div className="mt-4 flex items-center gap-3 pl-10 text-xs text-faint">
                          <span>≈ {l.minutes} min</span>
                          <span aria-hidden="true">·</span>
                          <LessonProgress slug={l.slug} total={l.taskCount} />
                        </div>
                      </Link>
                    </li>
                  );
                })}
              </ol>
            </section>
          ))}
          {lessons.length === 0 && <p className="text-muted">No lessons yet.</p>}
        </div>
      </main>
      <footer className="border-t border-line">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-5 gap-y-2 px-5 py-6 text-sm text-muted sm:px-8">
          <span>Netlab — a simulated cluster, real commands.</span>
          <Link href="/playground/" className="hover:text-ink">
            Playground
          </Link>
          <Link href="/authoring/" className="hover:text-ink">
            Write a lesson
          </Link>
        </div>
      </footer>
    </>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { getLesson, getLessonSlugs, listLessons } from '@/lib/lessons';
import { SiteHeader } from '@/components/site/SiteHeader';
import { LessonView } from '@/components/lesson/LessonView';
import { LivePreview } from '@/components/lesson/LivePreview';
import { Mdx } from '@/components/lesson/Mdx';
import { CompetencyChips } from '@/components/site/CompetencyChips';
import type { LabTask } from '@/components/workspace/types';

export const dynamicParams = false;

export function generateStaticParams() {
  return getLessonSlugs().map((slug) => ({ slug }));
}

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  const l = listLessons().find((x) => x.slug === slug);
  return { title: l?.title ?? 'Lesson', description: l?.summary };
}

export default async function LessonPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const lesson = await getLesson(slug);
  const all = listLessons();
  const index = all.findIndex((l) => l.slug === slug);
  return (
    <>
      <SiteHeader current="course">
        <div className="flex min-w-0 items-center gap-2 text-sm">
          <span className="hidden text-faint md:inline" aria-hidden="true">
            /
          </span>
          <Link href="/" prefetch={false} className="hidden text-muted hover:text-ink md:inline">
            {lesson.meta.module}
          </Link>
          <span className="hidden text-faint md:inline" aria-hidden="true">
            /
          </span>
          <span className="truncate font-medium text-ink max-sm:hidden">{lesson.meta.title}</span>
        </div>
      </SiteHeader>
      <LessonView
        slug={slug}
        title={lesson.meta.title}
        summary={lesson.meta.summary}
        module={lesson.meta.module}
        minutes={lesson.meta.minutes}
        objectives={lesson.meta.objectives}
        competencies={<CompetencyChips ids={lesson.meta.competencies} className="mt-3" />}
        prose={<Mdx code={lesson.mdxCode} />}
        scenario={lesson.scenario}
        files={lesson.files}
        tasks={lesson.tasks as unknown as LabTask[]}
        prev={lesson.prev}
        next={lesson.next}
        recap={lesson.recap}
        position={{ index, total: all.length }}
      />
      <LivePreview slug={slug} />
    </>
  );
}

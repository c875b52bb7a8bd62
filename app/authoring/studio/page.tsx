import type { Metadata } from 'next';
import { listLessons } from '@/lib/lessons';
import { SiteHeader } from '@/components/site/SiteHeader';
import { Studio, type CourseEntry } from '@/components/studio/Studio';

export const metadata: Metadata = {
  title: 'Authoring studio',
  description: 'Edit a lesson’s prose, tasks and scenario side by side with a live preview, run the lesson checker and the solution replay in the browser, and export the folder.',
};

export default function StudioPage() {
  const course: CourseEntry[] = listLessons().map((l) => ({ slug: l.slug, title: l.title, order: l.order, module: l.module }));
  return (
    <>
      <SiteHeader current="studio" />
      <Studio course={course} />
    </>
  );
}

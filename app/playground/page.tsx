import type { Metadata } from 'next';
import { listLessons, readRawLesson } from '@/lib/lessons';
import { SiteHeader } from '@/components/site/SiteHeader';
import { Playground, type PlaygroundSource } from '@/components/playground/Playground';

export const metadata: Metadata = {
  title: 'Playground',
  description: 'A free Kubernetes cluster in the browser: pick the CNI plugin and kube-proxy mode, start blank or from any lesson.',
};

export default function PlaygroundPage() {
  const sources: PlaygroundSource[] = listLessons().map((l) => {
    const raw = readRawLesson(l.slug);
    return { slug: l.slug, title: l.title, scenario: raw.scenario ?? '', files: raw.files };
  });
  return (
    <>
      <SiteHeader current="playground" />
      <Playground sources={sources} />
    </>
  );
}

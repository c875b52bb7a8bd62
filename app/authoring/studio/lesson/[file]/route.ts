/**
 * A course lesson's files as JSON (`/authoring/studio/lesson/<slug>.json`), written once per
 * lesson by the static export: what the authoring studio loads when an instructor starts
 * from an existing lesson. Raw text, exactly as in lessons/<slug>/.
 */
import { lessonFolders, readRawLesson } from '@/lib/lessons';

export const dynamic = 'force-static';

export function generateStaticParams() {
  return lessonFolders().map((slug) => ({ file: `${slug}.json` }));
}

export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  const slug = file.replace(/\.json$/, '');
  if (!lessonFolders().includes(slug)) return new Response('no such lesson', { status: 404 });
  const raw = readRawLesson(slug);
  const body = { slug, mdx: raw.mdx, tasksText: raw.tasksText, scenario: raw.scenario, files: raw.files };
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json; charset=utf-8' } });
}

/**
 * Live preview for instructors: a fingerprint (file names and modification times) of one
 * lesson folder. In `next dev` it is computed on every request, and the lesson page's
 * <LivePreview> polls it and refreshes the page when it changes — so editing index.mdx,
 * scenario.yaml, tasks.yaml or files/ shows up without a reload. In a static build it is
 * written once per lesson and never polled.
 */
import { lessonFingerprint, lessonFolders } from '@/lib/lessons';

export const dynamic = 'force-static';

// Folder names only (no parsing), so the stamp keeps working while a lesson is broken
// and the page reloads to show the error.
export function generateStaticParams() {
  return lessonFolders().map((slug) => ({ slug }));
}

export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return new Response(lessonFingerprint(slug), { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

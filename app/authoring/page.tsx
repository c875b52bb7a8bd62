import type { Metadata } from 'next';
import Link from 'next/link';
import { compileMarkdownFile } from '@/lib/mdx';
import { COMMANDS_MARKER, commandReferenceMarkdown } from '@/lib/command-reference';
import { SiteHeader } from '@/components/site/SiteHeader';
import { Mdx } from '@/components/lesson/Mdx';

export const metadata: Metadata = {
  title: 'Authoring guide',
  description: 'How to write a Netlab lesson: the folder, the frontmatter, the scenario, tasks and checks, and the lesson checker.',
};

export default async function AuthoringPage() {
  // the list of commands is the engine's, generated now (lib/command-reference.ts), never kept by hand
  const doc = await compileMarkdownFile('docs/authoring.md', { transform: (text) => text.replace(COMMANDS_MARKER, commandReferenceMarkdown()) });
  return (
    <>
      <SiteHeader current="authoring" />
      <main id="main" className="mx-auto w-full max-w-3xl px-5 pb-24 pt-10 sm:px-8">
        <p className="text-xs font-semibold uppercase tracking-[0.1em] text-accent">For instructors</p>
        <p className="mt-3 rounded-xl border border-accent/30 bg-accent-soft px-4 py-3 text-sm text-ink">
          Write in the browser: the{' '}
          <Link href="/authoring/studio/" className="font-semibold text-accent underline underline-offset-4">
            authoring studio
          </Link>{' '}
          edits a lesson&apos;s three files beside a live preview, runs this guide&apos;s checker and the solution replay as you type, and exports the folder as a .zip.
        </p>
        {'code' in doc ? (
          <div className="prose mt-3">
            <Mdx code={doc.code} />
          </div>
        ) : (
          <div className="mt-3">
            <h1 className="text-3xl font-bold tracking-tight">Authoring guide</h1>
            <p className="mt-4 text-muted">
              The guide is written in <code className="font-mono">{doc.missing}</code>, which this build did not find.
            </p>
          </div>
        )}
      </main>
    </>
  );
}

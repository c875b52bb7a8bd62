import Link from 'next/link';
import { SiteHeader } from '@/components/site/SiteHeader';

export default function NotFound() {
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-xl px-5 py-24 text-center">
        <p className="font-mono text-sm text-faint">404</p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">No such page</h1>
        <p className="mt-3 text-muted">The page you asked for does not exist. The lessons are all on the course map.</p>
        <Link href="/" className="mt-6 inline-block rounded-xl bg-accent px-4 py-2 text-sm font-semibold text-accent-ink">
          Back to the course
        </Link>
      </main>
    </>
  );
}

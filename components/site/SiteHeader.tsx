import Link from 'next/link';
import { Logo } from './Logo';
import { ThemeToggle } from './ThemeToggle';

export function SiteHeader({ current, children }: { current?: 'course' | 'playground' | 'authoring' | 'studio'; children?: React.ReactNode }) {
  const link = (href: string, label: string, key: typeof current) => (
    <Link
      href={href}
      // not prefetched: each section's scripts would count in every page's first load (tests/e2e/platform.spec.ts)
      prefetch={false}
      aria-current={current === key ? 'page' : undefined}
      className={`rounded-md px-2.5 py-1.5 text-sm font-medium ${current === key ? 'text-ink bg-surface-2' : 'text-muted hover:text-ink'}`}
    >
      {label}
    </Link>
  );
  return (
    <header className="sticky top-0 z-30 border-b border-line bg-bg/85 backdrop-blur supports-[backdrop-filter]:bg-bg/75">
      <div className="flex h-14 items-center gap-2 px-3 sm:gap-3 sm:px-5">
        <Link href="/" prefetch={false} className="flex shrink-0 items-center gap-2 rounded-md pr-1 font-semibold tracking-tight text-ink">
          <Logo />
          <span className="text-[1.05rem]">Netlab</span>
        </Link>
        <nav aria-label="Site" className="ml-1 flex items-center gap-0.5">
          {link('/', 'Course', 'course')}
          {link('/playground/', 'Playground', 'playground')}
          <span className="max-sm:hidden">{link('/authoring/', 'Authoring', 'authoring')}</span>
          <span className="max-md:hidden">{link('/authoring/studio/', 'Studio', 'studio')}</span>
        </nav>
        <div className="min-w-0 flex-1">{children}</div>
        <ThemeToggle />
      </div>
    </header>
  );
}

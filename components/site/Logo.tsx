export function Logo({ className = '' }: { className?: string }) {
  return (
    <svg className={className} width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
      <rect x="1" y="1" width="30" height="30" rx="8" fill="var(--accent)" />
      <g stroke="var(--accent-ink)" strokeWidth="2.2" strokeLinecap="round" fill="none">
        <path d="M9 22V10l14 12V10" />
      </g>
      <circle cx="9" cy="10" r="2.3" fill="var(--accent-ink)" />
      <circle cx="23" cy="22" r="2.3" fill="var(--accent-ink)" />
    </svg>
  );
}

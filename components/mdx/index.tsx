'use client';
/**
 * The components lesson MDX may use (names and props: lib/lesson-schema.ts MDX_COMPONENTS).
 * Client components: the MDX itself is rendered on the server at build time
 * (components/lesson/Mdx.tsx), these arrive in the browser as its interactive parts.
 */
import { Children, createContext, isValidElement, useContext, useState, type ReactNode } from 'react';
import { useLabContext } from '@/components/lesson/LabContext';
import { fileNameForManifest, isManifestLanguage } from '@/lib/code-blocks';
import { SideScroll } from './SideScroll';

function textContent(node: ReactNode): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textContent).join('');
  if (isValidElement(node)) return textContent((node.props as { children?: ReactNode }).children);
  return '';
}

const CALLOUT_STYLE: Record<string, { box: string; label: string; title: string }> = {
  note: { box: 'border-accent/35 bg-accent-soft', label: 'text-accent', title: 'Note' },
  tip: { box: 'border-ok/35 bg-ok-soft', label: 'text-ok', title: 'Tip' },
  warning: { box: 'border-warn/40 bg-warn-soft', label: 'text-warn', title: 'Watch out' },
};

export function Callout({ type = 'note', title, children }: { type?: string; title?: string; children?: ReactNode }) {
  const s = CALLOUT_STYLE[type] ?? CALLOUT_STYLE.note;
  return (
    <aside className={`not-prose rounded-xl border px-4 py-3 ${s.box}`} aria-label={title ?? s.title}>
      <p className={`text-xs font-semibold uppercase tracking-wide ${s.label}`}>{title ?? s.title}</p>
      <div className="prose mt-1 text-[0.95rem] [&>*+*]:mt-2">{children}</div>
    </aside>
  );
}

export function Try({ children }: { children?: ReactNode }) {
  const { paste } = useLabContext();
  const command = textContent(children).trim();
  const [copied, setCopied] = useState(false);
  return (
    <div className="not-prose group flex items-stretch overflow-hidden rounded-xl border border-line bg-term" data-try>
      <pre className="min-w-0 flex-1 !rounded-none !border-0 !bg-transparent px-3.5 py-2.5 font-mono text-[13px] leading-relaxed whitespace-pre-wrap break-words text-[#d5dce5] [overflow-wrap:anywhere]">
        <span className="select-none text-[#7bd88f]">$ </span>
        <code>{command}</code>
      </pre>
      <div className="flex shrink-0 items-center gap-1 pr-2">
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(command).then(
              () => {
                setCopied(true);
                setTimeout(() => setCopied(false), 1200);
              },
              () => {},
            );
          }}
          className="rounded-md px-2 py-1 text-xs font-medium text-[#9aa6b5] hover:bg-white/10 hover:text-white"
          aria-label={`Copy: ${command}`}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button
          type="button"
          onClick={() => paste(command)}
          className="rounded-md bg-white/10 px-2.5 py-1 text-xs font-semibold text-white hover:bg-white/20"
          aria-label={`Try it: type into the terminal ${command}`}
        >
          Try it
        </button>
      </div>
    </div>
  );
}

/** Copies `text`; the label says "Copied" for a moment (and is announced). */
function CopyButton({ text, label, className }: { text: string; label: string; className: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          },
          () => {},
        );
      }}
      className={className}
      aria-label={copied ? undefined : label}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/**
 * A fenced code block (MDX's `pre`). Every one outside a diagram can be scrolled by
 * keyboard and copied; a YAML or JSON block also opens in the lab's editor as a file —
 * named by the fence (```` ```yaml title="web.yaml" ````, lib/code-blocks.ts) or after its
 * object — so `kubectl apply -f` can read it.
 */
export function CodeBlock({ children, ...rest }: React.HTMLAttributes<HTMLPreElement> & { children?: ReactNode }) {
  const inDiagram = useContext(InDiagram);
  const { openInEditor } = useLabContext();
  const [opened, setOpened] = useState(false);
  if (inDiagram) return <pre {...rest}>{children}</pre>;
  const code = Children.toArray(children).find(isValidElement) as React.ReactElement<{ className?: string; 'data-filename'?: string }> | undefined;
  const lang = /language-(\S+)/.exec(code?.props.className ?? '')?.[1];
  // The fence's text ends with the newline Markdown gives every code block.
  const text = textContent(children).replace(/\n$/, '');
  const manifest = isManifestLanguage(lang);
  // Named by the fence or after its object; a block with neither is labelled by its language.
  const named = manifest ? (code?.props['data-filename'] ?? (fileNameForManifest(text, '') || undefined)) : undefined;
  const fileName = manifest ? (named ?? (lang === 'json' ? 'snippet.json' : 'snippet.yaml')) : undefined;
  const what = named ?? (lang ? `this ${lang.toUpperCase()} block` : 'this code');
  const button = 'rounded-md px-2 py-0.5 text-xs font-medium text-muted hover:bg-surface-2 hover:text-ink';
  return (
    <div className="not-prose my-[1.1em] overflow-hidden rounded-[0.6rem] border border-line bg-[var(--code-bg)]" data-code-block={lang ?? ''}>
      <div className="flex items-center gap-1 border-b border-line py-1 pl-3 pr-1.5">
        <span className="min-w-0 flex-1 truncate font-mono text-xs text-muted">{named ?? lang ?? ''}</span>
        <CopyButton text={text} label={`Copy ${what}`} className={button} />
        {fileName && openInEditor && (
          <button
            type="button"
            className={`${button} text-accent`}
            aria-label={`Open in editor: ${fileName}`}
            onClick={() => {
              openInEditor(fileName, text + '\n');
              setOpened(true);
              setTimeout(() => setOpened(false), 1500);
            }}
          >
            {opened ? 'Opened ✓' : 'Open in editor'}
          </button>
        )}
      </div>
      <pre
        {...rest}
        tabIndex={0}
        aria-label={named ? `${named} (code)` : undefined}
        className="!m-0 overflow-x-auto !rounded-none !border-0 px-4 py-3 font-mono text-[0.84rem] leading-[1.55] text-ink focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-accent"
      >
        {children}
      </pre>
    </div>
  );
}

export function Column({ children }: { children?: ReactNode }) {
  return <div className="prose min-w-0 text-[0.95rem] [&>*+*]:mt-2">{children}</div>;
}

export function Compare({ left, right, children }: { left: string; right: string; children?: ReactNode }) {
  const cols = Children.toArray(children).filter(isValidElement);
  return (
    <div className="not-prose grid gap-3 sm:grid-cols-2">
      {[left, right].map((title, i) => (
        <section key={i} className="min-w-0 rounded-xl border border-line bg-surface p-4" aria-label={title}>
          <h4 className="mb-2 text-sm font-semibold text-ink">{title}</h4>
          {cols[i]}
        </section>
      ))}
    </div>
  );
}

/** Inside a <Diagram>, a fenced block is a picture: no buttons, not focusable (it is aria-hidden). */
const InDiagram = createContext(false);

export function Diagram({ alt, caption, children }: { alt: string; caption?: string; children?: ReactNode }) {
  return (
    <figure className="not-prose">
      {/* Focusable: a wide drawing scrolls sideways by keyboard too; SideScroll shows that it does. */}
      <SideScroll
        role="img"
        aria-label={alt}
        tabIndex={0}
        data-diagram=""
        className="rounded-xl border border-line bg-surface p-1 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent [&_pre]:m-0 [&_pre]:border-0 [&_pre]:bg-transparent [&_pre]:text-[12.5px] [&_pre]:leading-[1.35]"
      >
        <div aria-hidden="true" className="w-max min-w-full">
          <InDiagram.Provider value={true}>{children}</InDiagram.Provider>
        </div>
      </SideScroll>
      {caption && <figcaption className="mt-2 text-center text-sm text-muted">{caption}</figcaption>}
    </figure>
  );
}

function TaskRow({ id, index }: { id: string; index?: number }) {
  const { tasks, results, focusTask } = useLabContext();
  const task = tasks.find((t) => t.id === id);
  const done = results.find((r) => r.id === id)?.done ?? false;
  if (!task) return null;
  return (
    <button
      type="button"
      onClick={() => focusTask(id)}
      className={`flex w-full items-center gap-3 rounded-xl border px-3.5 py-2.5 text-left ${done ? 'border-ok/40 bg-ok-soft' : 'border-line bg-surface hover:bg-surface-2'}`}
      data-inline-task={id}
      data-done={done ? 'true' : 'false'}
    >
      {done ? (
        <span className="inline-flex h-5 w-5 shrink-0 items-center justify-center rounded-full bg-ok text-white dark:text-[#0c1015]" aria-hidden="true">
          <svg width="12" height="12" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round">
            <path d="M3.5 8.5l3 3 6-7" />
          </svg>
        </span>
      ) : (
        <span className="inline-block h-5 w-5 shrink-0 rounded-full border-2 border-line" aria-hidden="true" />
      )}
      <span className="min-w-0 flex-1 text-sm">
        <span className="mr-2 text-xs font-semibold uppercase tracking-wide text-faint">Task{index !== undefined ? ` ${index + 1}` : ''}</span>
        <span className={done ? 'text-muted' : 'font-medium text-ink'}>{task.title}</span>
        <span className="sr-only">{done ? ' (done)' : ' (not done)'}</span>
      </span>
      <span className="shrink-0 text-xs text-faint">{done ? 'Done' : task.kind === 'question' ? 'Answer →' : 'Open →'}</span>
    </button>
  );
}

export function Task({ id }: { id: string }) {
  const { tasks } = useLabContext();
  return (
    <div className="not-prose">
      <TaskRow id={id} index={tasks.findIndex((t) => t.id === id)} />
    </div>
  );
}

export function TaskList() {
  const { tasks } = useLabContext();
  return (
    <div className="not-prose space-y-2">
      {tasks.map((t, i) => (
        <TaskRow key={t.id} id={t.id} index={i} />
      ))}
    </div>
  );
}

/** GitHub-style heading anchors, so `[see](#the-check-api)` links in guides work. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

function heading(Tag: 'h2' | 'h3' | 'h4') {
  function Heading({ children }: { children?: ReactNode }) {
    const id = slugify(textContent(children));
    return (
      <Tag id={id} className="group scroll-mt-20">
        {children}
        <a href={`#${id}`} className="ml-2 !text-faint !no-underline opacity-0 group-hover:opacity-100 focus:opacity-100" aria-label="Link to this section">
          #
        </a>
      </Tag>
    );
  }
  return Heading;
}

export const H2 = heading('h2');
export const H3 = heading('h3');
export const H4 = heading('h4');

'use client';
/**
 * The studio's live preview: the lesson as its page shows it, rendered from the MDX syntax
 * tree (lib/studio/mdx.ts parseMdx) — never compiled or evaluated, so it runs under the
 * site's CSP (no 'unsafe-eval'). Markdown (headings, paragraphs, emphasis, links, lists,
 * block quotes, tables, fenced code) maps to the page's elements, and the course's
 * components (Callout, Try, Compare, Column, Diagram, Task, TaskList) to the real ones from
 * components/mdx with their text props. What a lesson may not contain — an unknown
 * component, a `{…}` expression, import/export — shows as a marked box naming it and its
 * line, where the page would fail to build.
 */
import { createElement, Fragment, type ReactNode } from 'react';
import { Callout, CodeBlock, Column, Compare, Diagram, H2, H3, H4, Task, TaskList, Try } from '@/components/mdx';
import { fileNameFromMeta } from '@/lib/code-blocks';
import { HTML_TAGS } from '@/lib/lesson-parse';
import type { MdxNode } from '@/lib/studio/mdx';

/* eslint-disable @typescript-eslint/no-explicit-any -- components take their props as text attributes */
const COMPONENTS: Record<string, (props: any) => ReactNode> = { Callout, Try, Compare, Column, Diagram, Task, TaskList };
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Links go to pages of this site, anchors, or the web — never `javascript:` or other schemes. */
function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^(https?:\/\/|\/|#|\.{0,2}\/|mailto:)/i.test(url) || !/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : undefined;
}

function Problem({ line, children }: { line?: number; children: ReactNode }) {
  return (
    <span className="not-prose my-2 block rounded-lg border-2 border-dashed border-bad/60 bg-bad-soft px-3 py-2 text-sm text-bad" data-preview-problem>
      {children}
      {line !== undefined && <span className="ml-1 text-xs opacity-80">(index.mdx:{line})</span>}
    </span>
  );
}

function attrs(n: MdxNode): { props: Record<string, string | boolean>; bad: string[] } {
  const props: Record<string, string | boolean> = {};
  const bad: string[] = [];
  for (const a of n.attributes ?? []) {
    if (a.type !== 'mdxJsxAttribute' || !a.name) bad.push('{…}');
    else if (typeof a.value === 'string') props[a.name] = a.value;
    else if (a.value === null || a.value === undefined) props[a.name] = true;
    else bad.push(`${a.name}={…}`);
  }
  return { props, bad };
}

function children(n: MdxNode, path: string): ReactNode[] {
  return (n.children ?? []).map((c, i) => render(c, `${path}.${i}`));
}

function render(n: MdxNode, key: string): ReactNode {
  const line = n.position?.start.line;
  const kids = () => children(n, key);
  switch (n.type) {
    case 'root':
      return <Fragment key={key}>{kids()}</Fragment>;
    case 'yaml':
    case 'definition':
    case 'footnoteDefinition':
      return null;
    case 'text':
      return n.value ?? '';
    case 'paragraph': {
      // MDX unravels a paragraph that holds only components (remark-mdx's mark-and-unravel): <Try> on its own line is a block, not text in a <p>
      const cs = n.children ?? [];
      const jsx = (c: MdxNode) => c.type === 'mdxJsxTextElement' || c.type === 'mdxTextExpression';
      if (cs.some(jsx) && cs.every((c) => jsx(c) || (c.type === 'text' && /^\s*$/.test(c.value ?? '')))) {
        return <Fragment key={key}>{cs.filter(jsx).map((c, i) => render(c, `${key}.${i}`))}</Fragment>;
      }
      return <p key={key}>{kids()}</p>;
    }
    case 'heading': {
      const d = n.depth ?? 2;
      if (d === 2) return <H2 key={key}>{kids()}</H2>;
      if (d === 3) return <H3 key={key}>{kids()}</H3>;
      if (d === 4) return <H4 key={key}>{kids()}</H4>;
      return createElement(d === 1 ? 'h2' : `h${d}`, { key }, kids());
    }
    case 'emphasis':
      return <em key={key}>{kids()}</em>;
    case 'strong':
      return <strong key={key}>{kids()}</strong>;
    case 'delete':
      return <del key={key}>{kids()}</del>;
    case 'inlineCode':
      return <code key={key}>{n.value}</code>;
    case 'break':
      return <br key={key} />;
    case 'thematicBreak':
      return <hr key={key} />;
    case 'blockquote':
      return <blockquote key={key}>{kids()}</blockquote>;
    case 'link':
      return (
        <a key={key} href={safeHref(n.url)} title={n.title ?? undefined} {...(/^https?:/.test(n.url ?? '') ? { target: '_blank', rel: 'noreferrer' } : {})}>
          {kids()}
        </a>
      );
    case 'linkReference':
    case 'imageReference':
      return <Fragment key={key}>{kids()}</Fragment>;
    case 'image':
      // Lessons draw with <Diagram>; an image would need a file the export does not carry.
      return (
        <Problem key={key} line={line}>
          Image “{n.alt}” is not shown: lessons draw pictures with &lt;Diagram&gt;.
        </Problem>
      );
    case 'list':
      return createElement(n.ordered ? 'ol' : 'ul', { key, start: n.ordered && n.start !== 1 ? (n.start ?? undefined) : undefined }, kids());
    case 'listItem': {
      // a tight list item's paragraph is rendered bare, as MDX does
      const tight = !(n as { spread?: boolean }).spread;
      const items = (n.children ?? []).map((c, i) => (tight && c.type === 'paragraph' ? <Fragment key={i}>{children(c, `${key}.${i}`)}</Fragment> : render(c, `${key}.${i}`)));
      return (
        <li key={key}>
          {typeof n.checked === 'boolean' && <input type="checkbox" checked={n.checked} disabled aria-label={n.checked ? 'done' : 'not done'} className="mr-1.5" />}
          {items}
        </li>
      );
    }
    case 'code': {
      const name = fileNameFromMeta(n.meta);
      return (
        <CodeBlock key={key}>
          <code className={n.lang ? `language-${n.lang}` : undefined} data-filename={name}>
            {(n.value ?? '') + '\n'}
          </code>
        </CodeBlock>
      );
    }
    case 'table': {
      const [head, ...rows] = n.children ?? [];
      const align = n.align ?? [];
      const cells = (r: MdxNode, Tag: 'th' | 'td', rk: string) => (r.children ?? []).map((c, i) => createElement(Tag, { key: i, style: align[i] ? { textAlign: align[i] } : undefined }, children(c, `${rk}.${i}`)));
      return (
        <table key={key}>
          {head && (
            <thead>
              <tr>{cells(head, 'th', `${key}.h`)}</tr>
            </thead>
          )}
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>{cells(r, 'td', `${key}.${i}`)}</tr>
            ))}
          </tbody>
        </table>
      );
    }
    case 'mdxJsxFlowElement':
    case 'mdxJsxTextElement': {
      if (!n.name) return <Fragment key={key}>{kids()}</Fragment>;
      const { props, bad } = attrs(n);
      if (bad.length) {
        return (
          <Problem key={key} line={line}>
            &lt;{n.name} {bad.join(' ')}&gt; uses a JavaScript expression, which lessons cannot contain: write the value as text.
          </Problem>
        );
      }
      const C = COMPONENTS[n.name];
      if (C) return createElement(C, { key, ...props }, ...(n.children?.length ? [kids()] : []));
      if (HTML_TAGS.has(n.name)) {
        const safe: Record<string, string> = {};
        for (const [k, v] of Object.entries(props)) if (typeof v === 'string' && /^(title|id|lang|dir|colspan|rowspan|open)$/.test(k)) safe[k === 'colspan' ? 'colSpan' : k === 'rowspan' ? 'rowSpan' : k] = v;
        if (n.name === 'a') safe.href = safeHref(typeof props.href === 'string' ? props.href : undefined) ?? '';
        return createElement(n.name, { key, ...safe }, ...(n.name === 'br' ? [] : [kids()]));
      }
      return (
        <Problem key={key} line={line}>
          Unknown component <code>&lt;{n.name}&gt;</code>: the lesson page has no such component (known: {Object.keys(COMPONENTS).join(', ')}).
        </Problem>
      );
    }
    case 'mdxFlowExpression':
    case 'mdxTextExpression':
      return (
        <Problem key={key} line={line}>
          <code>{`{${(n.value ?? '').slice(0, 40)}}`}</code> is a JavaScript expression, which lessons cannot contain: escape the braces as \{'{'} and \{'}'}, or put the text in backticks.
        </Problem>
      );
    case 'mdxjsEsm':
      return (
        <Problem key={key} line={line}>
          import/export is not allowed in a lesson: use the built-in components.
        </Problem>
      );
    default:
      return n.children ? <Fragment key={key}>{kids()}</Fragment> : null;
  }
}

export function PreviewBody({ tree }: { tree: MdxNode }) {
  return <>{render(tree, 'r')}</>;
}

/**
 * Lesson MDX in the browser, without compiling it: micromark's MDX parser (the one
 * @mdx-js/mdx uses — remark-mdx is micromark-extension-mdxjs + mdast-util-mdx) with GFM and
 * frontmatter gives the syntax tree; nothing is evaluated. The studio's preview renders the
 * tree (components/studio/Preview.tsx) and the checker reads the same analysis the CLI's
 * compile collects (lib/lesson-parse.ts collectMdxUses): components, links, code, expressions.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { mdxjs } from 'micromark-extension-mdxjs';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { gfm } from 'micromark-extension-gfm';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { collectMdxUses, explainMdxError, type CompiledMdx, type MdNode } from '../lesson-parse';

/** A node of the tree as the preview reads it (mdast + MDX + GFM). */
export interface MdxNode extends MdNode {
  depth?: number;
  lang?: string | null;
  meta?: string | null;
  ordered?: boolean | null;
  start?: number | null;
  checked?: boolean | null;
  title?: string | null;
  alt?: string | null;
  align?: (string | null)[] | null;
  children?: MdxNode[];
  position?: { start: { line: number; column?: number }; end?: { line: number } };
}

export interface ParsedMdx {
  tree?: MdxNode;
  error?: { message: string; line?: number };
}

/** Parses lesson MDX (frontmatter included, so every line number is the file's). */
export function parseMdx(source: string): ParsedMdx {
  try {
    const tree = fromMarkdown(source, {
      extensions: [frontmatter(['yaml']), mdxjs(), gfm()],
      mdastExtensions: [frontmatterFromMarkdown(['yaml']), mdxFromMarkdown(), gfmFromMarkdown()],
    }) as unknown as MdxNode;
    return { tree };
  } catch (e) {
    // micromark throws a VFileMessage: `reason` and the place it names.
    const m = e as { reason?: string; message?: string; line?: number | null; place?: { line?: number; start?: { line?: number } } };
    const reason = String(m.reason ?? m.message ?? e);
    // "Expected a closing tag for `<Diagram>` (73:1-73:195)" has no place of its own: take the line it names.
    const named = reason.match(/\((\d+):\d+-\d+:\d+\)/);
    const line = m.line ?? m.place?.start?.line ?? m.place?.line ?? (named ? Number(named[1]) : undefined);
    return { error: { message: explainMdxError(reason), line: line ?? undefined } };
  }
}

/** What the checker needs to know about the MDX (lib/lesson-check.ts CheckContext.analyzeMdx), from the parse. */
export function analyzeMdx(source: string): CompiledMdx {
  const found: CompiledMdx = { components: [], links: [], esm: [], expressions: [] };
  const parsed = parseMdx(source);
  if (parsed.error) found.error = parsed.error;
  else collectMdxUses(parsed.tree!, found);
  return found;
}

/**
 * Pure parsing of a lesson's files (no filesystem, no Node): the frontmatter block and YAML
 * files with line numbers, and the shape of what an MDX analysis finds. Shared by the
 * loader (lib/lessons.ts), the lesson checker (lib/lesson-check.ts) and the authoring
 * studio, which runs the checker in the browser.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node as YamlNode } from 'yaml';

/** Lowercase tags an author may use as plain HTML in MDX (the checker and the studio's preview). */
export const HTML_TAGS = new Set(['a', 'abbr', 'b', 'br', 'code', 'dd', 'details', 'dl', 'dt', 'em', 'i', 'kbd', 'mark', 'p', 'pre', 'small', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr']);

export interface FrontmatterBlock {
  data: unknown;
  /** Line (1-based) of each top-level frontmatter key in index.mdx. */
  lines: Record<string, number>;
  /** Lines the block occupies, including both `---`. */
  lineCount: number;
  error?: { message: string; line?: number };
}

/** Reads the `---` frontmatter block at the top of index.mdx, keeping key line numbers. */
export function parseFrontmatter(source: string): FrontmatterBlock {
  const m = source.match(/^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/);
  if (!m) return { data: undefined, lines: {}, lineCount: 0, error: { message: 'index.mdx must start with a frontmatter block: a line `---`, `title: …` and the other fields, then `---`', line: 1 } };
  const lc = new LineCounter();
  const doc = parseDocument(m[1], { lineCounter: lc, prettyErrors: false });
  const lineCount = m[0].split('\n').length - (m[0].endsWith('\n') ? 1 : 0);
  if (doc.errors.length) {
    const e = doc.errors[0];
    return { data: undefined, lines: {}, lineCount, error: { message: `frontmatter is not valid YAML: ${e.message.split('\n')[0]}`, line: lc.linePos(e.pos[0]).line + 1 } };
  }
  const lines: Record<string, number> = {};
  if (isMap(doc.contents)) {
    for (const item of doc.contents.items) {
      if (isScalar(item.key) && item.key.range) lines[String(item.key.value)] = lc.linePos(item.key.range[0]).line + 1;
    }
  }
  return { data: doc.toJS(), lines, lineCount };
}

/** A parsed YAML file that can say which line a path (`tasks[1].hints`) is on. */
export interface YamlFile {
  data: unknown;
  error?: { message: string; line?: number };
  lineOf(p: (string | number)[]): number | undefined;
}

export function parseYamlFile(text: string): YamlFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    return { data: undefined, error: { message: e.message.split('\n')[0], line: lc.linePos(e.pos[0]).line }, lineOf: () => undefined };
  }
  const lineOf = (p: (string | number)[]): number | undefined => {
    let node: unknown = doc.contents;
    let best: number | undefined = rangeLine(node);
    for (const seg of p) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) break;
        best = rangeLine(pair.key) ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        best = rangeLine(node) ?? best;
      } else break;
    }
    return best;
  };
  function rangeLine(n: unknown): number | undefined {
    const r = (n as YamlNode | undefined)?.range;
    return r ? lc.linePos(r[0]).line : undefined;
  }
  return { data: doc.toJS(), lineOf };
}

export interface JsxUse {
  name: string;
  line?: number;
  attributes: { name: string; value: string | number | boolean | null; expression: boolean }[];
  /** The text inside (for components whose children are text). */
  text: string;
  hasChildren: boolean;
}

export interface CompiledMdx {
  code?: string;
  error?: { message: string; line?: number };
  components: JsxUse[];
  links: { url: string; line?: number }[];
  /** import/export statements (not allowed in lessons). */
  esm: { line?: number }[];
  /** `{…}` JavaScript expressions in the prose (not allowed in lessons). */
  expressions: { line?: number; text: string }[];
}

/** The mdast nodes (with the MDX extensions) the analysis reads. */
export interface MdNode {
  type: string;
  name?: string | null;
  url?: string;
  value?: string;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: MdNode[];
  position?: { start: { line: number } };
}

function textOf(n: MdNode): string {
  if (typeof n.value === 'string' && (n.type === 'text' || n.type === 'inlineCode' || n.type === 'code')) return n.value;
  return (n.children ?? []).map(textOf).join('');
}

/** Walks an MDX syntax tree (remark-mdx's mdast) and records its components, links, import/export and expressions with their lines. */
export function collectMdxUses(tree: MdNode, found: CompiledMdx): void {
  const visit = (n: MdNode) => {
    const line = n.position?.start.line;
    if ((n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement') && n.name) {
      const attributes = (n.attributes ?? []).map((a) =>
        a.type === 'mdxJsxAttribute'
          ? { name: a.name ?? '', value: typeof a.value === 'object' && a.value !== null ? null : ((a.value ?? true) as string | boolean), expression: typeof a.value === 'object' && a.value !== null }
          : { name: '{...}', value: null, expression: true },
      );
      found.components.push({ name: n.name, line, attributes, text: textOf(n).trim(), hasChildren: (n.children ?? []).length > 0 });
      const href = attributes.find((a) => a.name === 'href');
      if (typeof href?.value === 'string') found.links.push({ url: href.value, line });
    }
    if ((n.type === 'link' || n.type === 'definition') && n.url) found.links.push({ url: n.url, line });
    if (n.type === 'mdxjsEsm' && line !== undefined) found.esm.push({ line });
    if ((n.type === 'mdxFlowExpression' || n.type === 'mdxTextExpression') && line !== undefined) found.expressions.push({ line, text: String(n.value ?? '') });
    for (const c of n.children ?? []) visit(c);
  };
  visit(tree);
}

/** esbuild wraps MDX errors as "Cannot process MDX file with esbuild:\n  75:43: reason"; keep the reason and say how to fix the usual ones. */
export function explainMdxError(text: string): string {
  const reason = text.replace(/^Cannot process MDX file with esbuild:\s*/, '').replace(/^\d+:\d+(-\d+:\d+)?:\s*/, '').trim();
  if (/acorn|expression/i.test(reason)) {
    return `${reason}: in MDX a \`{\` starts a JavaScript expression. Put text with braces in backticks (<Try>\`kubectl patch … '{"spec":…}'\`</Try>) or escape it as \\{`;
  }
  if (/closing tag|end tag|Expected a closing/i.test(reason)) return `${reason}: every <Component> needs a matching </Component> (or write it self-closing: <TaskList />)`;
  return reason;
}

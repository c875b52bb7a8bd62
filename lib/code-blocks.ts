/**
 * Fenced code blocks in lessons and guides. A fence may name the file it shows —
 * ```` ```yaml title="allow-frontend.yaml" ```` (also `file=` or `filename=`, or a bare
 * `allow-frontend.yaml`) — and the page's "Open in editor" button uses that name. Without
 * one, a manifest is named after its first object (`metadata.name` + `.yaml`).
 *
 * remarkCodeMeta runs at build time (lib/lessons.ts, lib/mdx.ts); the rest is shared with
 * the page (components/mdx CodeBlock).
 */

const FILE_NAME = /^[\w.-]+(\/[\w.-]+)*\.(ya?ml|json)$/;

/** The file name a fence's meta string gives, if any (never one that leaves ~). */
export function fileNameFromMeta(meta: string | null | undefined): string | undefined {
  if (!meta) return undefined;
  const named = /(?:^|\s)(?:title|file|filename)=(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(meta);
  const candidate = named ? (named[1] ?? named[2] ?? named[3]) : meta.split(/\s+/).find((w) => FILE_NAME.test(w));
  if (!candidate) return undefined;
  const clean = candidate.trim().replace(/^~\//, '').replace(/^\.\//, '');
  return FILE_NAME.test(clean) && !clean.split('/').includes('..') ? clean : undefined;
}

/** A manifest's file name from its first object's `metadata.name`, else `fallback`. */
export function fileNameForManifest(text: string, fallback = 'snippet.yaml'): string {
  const m = /^metadata:[ \t]*\r?\n(?:(?:[ \t]+.*|[ \t]*)\r?\n)*?[ \t]+name:[ \t]*["']?([a-z0-9]([a-z0-9.-]*[a-z0-9])?)["']?[ \t]*(?:#.*)?$/m.exec(text);
  return m ? `${m[1]}.yaml` : fallback;
}

/** The languages whose blocks can be opened in the editor as a file. */
export function isManifestLanguage(lang: string | undefined): boolean {
  return lang === 'yaml' || lang === 'yml' || lang === 'json';
}

interface CodeNode {
  type: string;
  meta?: string | null;
  data?: { hProperties?: Record<string, unknown> };
  children?: CodeNode[];
}

/** A remark plugin: a fence's file name reaches the page as the `<code>`'s `data-filename`. */
export function remarkCodeMeta() {
  return (tree: CodeNode) => {
    const visit = (n: CodeNode) => {
      if (n.type === 'code') {
        const name = fileNameFromMeta(n.meta);
        if (name) n.data = { ...n.data, hProperties: { ...n.data?.hProperties, 'data-filename': name } };
      }
      for (const c of n.children ?? []) visit(c);
    };
    visit(tree);
  };
}

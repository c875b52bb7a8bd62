/** Build-time MDX compilation for pages that are not lessons (the authoring guide). Server-only. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { remarkCodeMeta } from './code-blocks';

/** `transform`: the text as compiled (the authoring guide's generated sections); the file itself is untouched. */
export async function compileMarkdownFile(relPath: string, opts: { transform?: (text: string) => string } = {}): Promise<{ code: string } | { missing: string }> {
  const file = path.join(process.cwd(), relPath);
  if (!existsSync(file)) return { missing: relPath };
  const { bundleMDX } = await import('mdx-bundler');
  const { default: remarkGfm } = await import('remark-gfm');
  // Plain Markdown (.md) is compiled as Markdown, so `<` and `{` in prose need no escaping.
  // (Passing the file, not its text, lets the Markdown loader see the .md extension.)
  // A transformed text goes through a temporary copy with the same extension, for the same reason.
  const tmp = opts.transform ? mkdtempSync(path.join(tmpdir(), 'netlab-md-')) : null;
  const input = tmp ? path.join(tmp, path.basename(file)) : file;
  if (tmp) writeFileSync(input, opts.transform!(readFileSync(file, 'utf8')));
  const { code } = await bundleMDX({
    file: input,
    cwd: path.dirname(file),
    mdxOptions(options) {
      options.format = relPath.endsWith('.md') ? 'md' : 'mdx';
      options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, remarkCodeMeta];
      return options;
    },
  }).finally(() => tmp && rmSync(tmp, { recursive: true, force: true }));
  return { code };
}

/** Build-time MDX compilation for pages that are not lessons (the authoring guide). Server-only. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { remarkCodeMeta } from './code-blocks';

export async function compileMarkdownFile(relPath: string): Promise<{ code: string } | { missing: string }> {
  const file = path.join(process.cwd(), relPath);
  if (!existsSync(file)) return { missing: relPath };
  const { bundleMDX } = await import('mdx-bundler');
  const { default: remarkGfm } = await import('remark-gfm');
  // Plain Markdown (.md) is compiled as Markdown, so `<` and `{` in prose need no escaping.
  // (Passing the file, not its text, lets the Markdown loader see the .md extension.)
  const { code } = await bundleMDX({
    file,
    cwd: path.dirname(file),
    mdxOptions(options) {
      options.format = relPath.endsWith('.md') ? 'md' : 'mdx';
      options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, remarkCodeMeta];
      return options;
    },
  });
  return { code };
}

/**
 * A lesson's recap, for the completion card: the bullet points of its `## Recap` section
 * (each with its continuation lines joined), without the prose after them. Links keep their
 * text; `code` and **bold** stay for InlineMd. Pure, so the server and tests share it.
 */
export function lessonRecap(mdx: string): string[] {
  const lines = mdx.split(/\r?\n/);
  const start = lines.findIndex((l) => /^##\s+Recap\s*$/.test(l));
  if (start < 0) return [];
  const items: string[] = [];
  let fence = false;
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    if (/^#{1,2}\s/.test(line)) break;
    const bullet = /^[-*]\s+(.*)$/.exec(line);
    if (bullet) items.push(bullet[1].trim());
    else if (/^\s+\S/.test(line) && items.length && !/^\s*$/.test(line)) items[items.length - 1] += ' ' + line.trim();
    else if (/^\S/.test(line) && items.length) break; // the paragraph after the list is not the recap
  }
  return items.map((t) => t.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1'));
}

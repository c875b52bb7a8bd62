/**
 * `npm run lesson:new -- "Title"` — scaffolds lessons/<nn-slug>/ with frontmatter, a
 * little prose, a default scenario and three working example tasks (a `do`, a predict-then-check
 * `question` and a challenge `question`) that pass `npm run lessons:check` as created. Edit from there.
 *
 *   npm run lesson:new -- "DNS for headless Services"
 *   npm run lesson:new -- "Title" --dir PATH     (another lessons folder)
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { lessonsDir, listLessons } from '../lib/lessons';
import { SLUG_PATTERN } from '../lib/lesson-schema';
import { lessonTemplate } from '../lib/lesson-template';

export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .split('-')
    .slice(0, 6)
    .join('-');
}

export function scaffoldLesson(title: string, dir?: string): { slug: string; folder: string; files: string[] } {
  const root = lessonsDir(dir);
  const words = slugify(title);
  if (!words) throw new Error(`cannot make a slug from "${title}": use letters or digits in the title`);
  mkdirSync(root, { recursive: true });
  const taken = readdirSync(root).filter((n) => /^\d{2}-/.test(n) || /^_/.test(n));
  const numbers = readdirSync(root)
    .map((n) => n.match(/^(\d{2})-/)?.[1])
    .filter((n): n is string => !!n)
    .map(Number);
  const nn = numbers.length ? Math.max(...numbers) + 1 : 10;
  if (nn > 99) throw new Error('lesson numbers run from 00 to 99 and 99 is taken: renumber the folders or pass a lower number by renaming the new folder');
  const slug = `${String(nn).padStart(2, '0')}-${words}`;
  if (!SLUG_PATTERN.test(slug)) throw new Error(`"${slug}" is not a valid lesson slug`);
  if (taken.some((n) => n.replace(/^\d{2}-/, '') === words)) {
    throw new Error(`a lesson named "${words}" already exists in ${path.relative(process.cwd(), root) || root}: pick another title`);
  }
  let order = 10;
  try {
    const existing = listLessons(root);
    if (existing.length) order = Math.max(...existing.map((l) => l.order)) + 10;
  } catch {
    order = nn * 10;
  }
  const folder = path.join(root, slug);
  if (existsSync(folder)) throw new Error(`${folder} already exists`);
  mkdirSync(path.join(folder, 'files'), { recursive: true });

  const files = lessonTemplate(title, order);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(folder, name), content);
  return { slug, folder, files: Object.keys(files) };
}

function main() {
  const args = process.argv.slice(2);
  let dir: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dir') dir = args[++i];
    else words.push(args[i]);
  }
  const title = words.join(' ').trim();
  if (!title) {
    console.error('usage: npm run lesson:new -- "Lesson title"');
    process.exit(2);
  }
  try {
    const r = scaffoldLesson(title, dir);
    const rel = path.relative(process.cwd(), r.folder);
    console.log(`created ${rel}/`);
    for (const f of r.files) console.log(`  ${rel}/${f}`);
    console.log(`\nnext: edit the files, run \`npm run lessons:check -- ${r.slug}\`, and open /lessons/${r.slug} with \`npm run dev\`.`);
  } catch (e) {
    console.error(`lesson:new: ${(e as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();

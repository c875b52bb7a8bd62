/**
 * The guide's worked example (docs/authoring.md) stays true: scaffold a lesson, put the
 * guide's scenario and tasks in it, place the tasks in the prose — and the checker passes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scaffoldLesson } from '../../scripts/lesson-new';
import { checkLessons, formatError } from '../../scripts/lessons-check';

const dir = mkdtempSync(path.join(tmpdir(), 'netlab-guide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/authoring.md', () => {
  it('its worked example passes the checker', async () => {
    const doc = readFileSync(path.join(process.cwd(), 'docs/authoring.md'), 'utf8');
    const part = doc.slice(doc.indexOf('## A worked example'));
    const [scenario, tasks] = [...part.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    cpSync(path.join(process.cwd(), 'lessons'), dir, { recursive: true });
    const r = scaffoldLesson('Service DNS names', dir);
    expect(part).toContain(`created lessons/${r.slug}/`);
    writeFileSync(path.join(r.folder, 'scenario.yaml'), scenario);
    writeFileSync(path.join(r.folder, 'tasks.yaml'), tasks);
    const mdx = readFileSync(path.join(r.folder, 'index.mdx'), 'utf8')
      .replace('module: "New lessons"', 'module: DNS')
      .replace('<Task id="create-namespace" />', '<Task id="expose-web" />\n\n<Task id="predict-endpoints" />\n\n<Task id="resolve-across" />')
      .replace('<Task id="count-namespaces" />', '')
      .replace('<Task id="kubernetes-cluster-ip" />', '<Task id="fqdn" />');
    writeFileSync(path.join(r.folder, 'index.mdx'), mdx);
    rmSync(path.join(r.folder, 'files/README.md'));
    const check = await checkLessons(dir, { only: r.slug });
    expect(check.errors.map(formatError)).toEqual([]);
    expect(check.lessons).toEqual([expect.objectContaining({ slug: r.slug, tasks: 4 })]);
  });
});

/** The completion card's recap: the bullets of a lesson's `## Recap`, read from every real lesson. */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lessonRecap } from '../../../lib/recap';

describe('lessonRecap', () => {
  it('takes the bullets, joins their continuation lines, drops links and the prose after the list', () => {
    const mdx = [
      '## Check',
      '- not this',
      '## Recap',
      '',
      '- One `kubectl` line',
      '  goes on here.',
      '* **Two**, see [the docs](https://kubernetes.io/).',
      '',
      'Next, look inside a Pod — [Containers](/lessons/12).',
      '- not a recap bullet',
      '## After',
    ].join('\n');
    expect(lessonRecap(mdx)).toEqual(['One `kubectl` line goes on here.', '**Two**, see the docs.']);
  });

  it('is empty without a Recap section', () => {
    expect(lessonRecap('# Title\n\n- a\n')).toEqual([]);
  });

  it('finds a recap of at least two points in every lesson', () => {
    const dirs = readdirSync('lessons', { withFileTypes: true }).filter((d) => d.isDirectory());
    for (const d of dirs) {
      const recap = lessonRecap(readFileSync(`lessons/${d.name}/index.mdx`, 'utf8'));
      expect(recap.length, d.name).toBeGreaterThanOrEqual(2);
      for (const item of recap) expect(item, d.name).not.toMatch(/^\s|\n|\]\(/);
    }
  });
});

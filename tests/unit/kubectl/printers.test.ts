/** Properties of kubectl's printers: tabwriter semantics, YAML/JSON round trips, selectors, jsonpath. */
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { tabwrite, TABLE_OPTS, DESCRIBE_OPTS } from '../../../engine/printers/kubectl/tabwriter';
import { printYaml, printJson, goYamlKeyLess } from '../../../engine/printers/kubectl/serialize';
import { compileJsonPath } from '../../../engine/printers/kubectl/jsonpath';
import { selectorString, formatLabels } from '../../../engine/printers/kubectl/labels';
import { humanDuration } from '../../../engine/cluster/clock';

function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

describe('tabwriter (Go text/tabwriter port)', () => {
  it('pads every column to max(minwidth, widest cell + padding); the last cell is not padded', () => {
    expect(tabwrite('a\tbb\tc\nddd\te\tf\n', TABLE_OPTS)).toBe('a     bb    c\nddd   e     f\n');
    expect(tabwrite('NAME\tSTATUS\nlonger-name-here\tRunning\n', TABLE_OPTS)).toBe('NAME               STATUS\nlonger-name-here   Running\n');
  });
  it('a line without tabs ends a column block (describe alignment is local)', () => {
    const out = tabwrite('Name:\tx\nLabels:\ty\nSection:\nLongerLabel:\tz\n', DESCRIBE_OPTS);
    expect(out).toBe('Name:    x\nLabels:  y\nSection:\nLongerLabel:  z\n');
  });
  it('every row of a rectangular table puts column j at the same offset', () => {
    const r = rng(7);
    for (let t = 0; t < 50; t++) {
      const cols = 2 + Math.floor(r() * 5);
      const rows = 1 + Math.floor(r() * 8);
      const cells: string[][] = [];
      for (let i = 0; i < rows; i++) cells.push(Array.from({ length: cols }, () => 'x'.repeat(1 + Math.floor(r() * 12))));
      const out = tabwrite(cells.map((c) => c.join('\t') + '\n').join(''), TABLE_OPTS).split('\n').slice(0, -1);
      const widths = Array.from({ length: cols - 1 }, (_, j) => Math.max(6, ...cells.map((c) => c[j].length + 3)));
      out.forEach((line, i) => {
        let off = 0;
        for (let j = 0; j < cols; j++) {
          expect(line.slice(off, off + cells[i][j].length)).toBe(cells[i][j]);
          if (j < cols - 1) off += widths[j];
        }
        expect(line.length).toBe(off + cells[i][cols - 1].length);
      });
    }
  });
});

describe('serialisation', () => {
  const r = rng(42);
  const words = ['a', 'web', 'true', 'no', '80', '1.5', '', ' lead', 'x: y', '#c', '- d', '*', 'null', '2025-01-15T09:00:00Z', 'multi\nline\n', 'tail\n\n', "it's", 'a "q"', 'ünï', '0x1F', '~', 'on', 'key=value,other'];
  const randomValue = (depth: number): unknown => {
    const k = r();
    if (depth > 3 || k < 0.45) {
      const c = r();
      if (c < 0.7) return words[Math.floor(r() * words.length)] + (r() < 0.2 ? ' word'.repeat(Math.floor(r() * 25)) : '');
      if (c < 0.85) return Math.floor(r() * 100000) - 50;
      if (c < 0.95) return r() < 0.5;
      return null;
    }
    if (k < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(depth + 1));
    const o: Record<string, unknown> = {};
    // map keys are label/annotation/field names: never multi-line
    for (let i = Math.floor(r() * 5); i > 0; i--) o[words[Math.floor(r() * words.length)].replace(/\n/g, '') || 'k'] = randomValue(depth + 1);
    return o;
  };
  it('printYaml round-trips through a YAML 1.1-aware parser for random objects', () => {
    for (let i = 0; i < 300; i++) {
      const v = { root: randomValue(0) };
      const text = printYaml(v);
      expect(parse(text, { version: '1.1', schema: 'yaml-1.1' }), text).toEqual(JSON.parse(JSON.stringify(v)));
    }
  });
  it('printJson is valid JSON with sorted keys and Go escaping', () => {
    for (let i = 0; i < 100; i++) {
      const v = { root: randomValue(0), html: '<a href="x">&</a>' };
      const text = printJson(v);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      expect(text).not.toMatch(/[<>&]/);
    }
  });
  it('go-yaml key order: letters after other runes, numbers compared numerically', () => {
    const keys = ['b', 'a10', 'a2', 'A', 'a-b', 'ab', '_x'].sort((x, y) => (goYamlKeyLess(x, y) ? -1 : goYamlKeyLess(y, x) ? 1 : 0));
    expect(keys).toEqual(['_x', 'A', 'a-b', 'a2', 'a10', 'ab', 'b']);
  });
  it('quotes what go-yaml quotes', () => {
    expect(printYaml({ a: 'true', b: '80', c: '', d: 'x: y', e: '*', f: 'plain text', g: '2025-01-15T09:00:00Z', h: 'y' })).toBe(
      'a: "true"\nb: "80"\nc: ""\nd: \'x: y\'\ne: \'*\'\nf: plain text\ng: "2025-01-15T09:00:00Z"\nh: "y"\n',
    );
  });
});

describe('labels and selectors', () => {
  it('FormatLabels sorts keys; empty is <none>', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
  });
  it('selector.String() sorts requirements by key and values', () => {
    expect(selectorString({ matchLabels: { z: '1' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['y', 'x'] }, { key: 'm', operator: 'DoesNotExist' }, { key: 'k', operator: 'Exists' }] })).toBe('a in (x,y),k,!m,z=1');
  });
});

describe('jsonpath', () => {
  const data = { items: [{ n: 'a', v: 1, t: ['x', 'y'] }, { n: 'b', v: 2 }] };
  it('joins the results of one action with spaces and prints maps as JSON', () => {
    expect(compileJsonPath('{.items[*].n}').execute(data)).toBe('a b');
    expect(compileJsonPath('{.items[0].t}').execute(data)).toBe('["x","y"]');
    expect(compileJsonPath('x={.items[?(@.v>1)].n}!').execute(data)).toBe('x=b!');
    expect(compileJsonPath('{range .items[*]}[{.n}]{end}').execute(data)).toBe('[a][b]');
    // client-go's parseIdentifier ends `range` at any terminator, so no space is needed (jsonpath/parser.go isTerminator)
    expect(compileJsonPath('{range.items[*]}[{.n}]{end}').execute(data)).toBe('[a][b]');
  });
});

describe('ages (apimachinery duration.HumanDuration)', () => {
  it('matches the upstream table', () => {
    const s = 1000;
    expect(humanDuration(59 * s)).toBe('59s');
    expect(humanDuration(119 * s)).toBe('119s');
    expect(humanDuration(125 * s)).toBe('2m5s');
    expect(humanDuration(10 * 60 * s)).toBe('10m');
    expect(humanDuration(3 * 3600 * s + 60 * s)).toBe('3h1m');
    expect(humanDuration(49 * 3600 * s)).toBe('2d1h');
    expect(humanDuration(9 * 86400 * s)).toBe('9d');
  });
});

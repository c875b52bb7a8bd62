/**
 * The wiring rules engine/README.md writes down, checked on the source itself:
 * no runtime import cycle anywhere, the engine free of UI code, and no module looked up
 * by name. (The direction of the layers is ESLint's import/no-restricted-paths, see
 * eslint.layers.mjs; `npm test` runs ESLint.)
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cycles, runtimeImportGraph, sourceFiles } from './import-graph';

const graph = runtimeImportGraph(['engine', 'components', 'lib']);

describe('the import graph', () => {
  it('reads the whole source tree', () => {
    expect(graph.files.length).toBeGreaterThan(200);
    // a known runtime edge: the composition root imports the command table
    const from = graph.files.find((f) => f.endsWith('engine/simulation.ts'))!;
    expect([...graph.edges.get(from)!].some((t) => t.endsWith('engine/commands/registry.ts'))).toBe(true);
  });

  it('has no runtime import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when one exists', () => {
    const a = '/x/a.ts';
    const b = '/x/b.ts';
    expect(cycles({ files: [a, b], edges: new Map([[a, new Set([b])], [b, new Set([a])]]), packages: new Map() })).toHaveLength(1);
  });
});

describe('the engine', () => {
  const engine = graph.files.filter((f) => relative(ROOT, f).startsWith('engine'));

  it('imports no UI framework', () => {
    const offenders = engine.flatMap((f) => [...(graph.packages.get(f) ?? [])].filter((p) => /^(react|react-dom|next)(\/|$)|^@xterm|^monaco/.test(p)).map((p) => `${relative(ROOT, f)}: ${p}`));
    expect(offenders).toEqual([]);
  });

  it('never looks a module up by name', () => {
    const lookups = sourceFiles(['engine']).flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return /\.modules\??\.find\(|\.module(<[^>]*>)?\(['"]/.test(text) ? [relative(ROOT, f)] : [];
    });
    expect(lookups).toEqual([]);
  });
});

/** The grammar: shapes of the AST, here-documents, incomplete input (the terminal's `> ` prompt). */
import { describe, expect, it } from 'vitest';
import { isIncomplete, parse, ParseError } from '../../../engine/shell/parser';
import { createSimulation } from '../../../engine';

describe('parse', () => {
  it('builds lists of and-or lists of pipelines', () => {
    const { ast } = parse('a x | b "y z" && c || d; e &');
    expect(ast.items.length).toBe(2);
    const first = ast.items[0].node;
    expect(first.first.commands.map((c) => (c.type === 'simple' ? c.words : []))).toEqual([['a', 'x'], ['b', '"y z"']]);
    expect(first.rest.map((r) => r.op)).toEqual(['&&', '||']);
    expect(ast.items[1].background).toBe(true);
  });
  it('separates assignments, words and redirections (with fds)', () => {
    const { ast } = parse('A=1 B="x y" cmd arg 2>&1 >out <in 2>>log &>all <<<str');
    const c = ast.items[0].node.first.commands[0];
    expect(c.type).toBe('simple');
    if (c.type !== 'simple') return;
    expect(c.assigns).toEqual([{ name: 'A', raw: '1' }, { name: 'B', raw: '"x y"' }]);
    expect(c.words).toEqual(['cmd', 'arg']);
    expect(c.redirects.map((r) => [r.fd, r.op, r.target])).toEqual([[2, '>&', '1'], [null, '>', 'out'], [null, '<', 'in'], [2, '>>', 'log'], [null, '&>', 'all'], [null, '<<<', 'str']]);
  });
  it('reads here-document bodies after the line, in order', () => {
    const { ast } = parse("cat <<A <<-'B'\none $x\nA\n\ttwo\n\tB\necho after");
    const c = ast.items[0].node.first.commands[0];
    if (c.type !== 'simple') throw new Error('not simple');
    expect(c.redirects.map((r) => r.heredoc)).toEqual([
      { body: 'one $x\n', expand: true, delimiter: 'A', closed: true },
      { body: 'two\n', expand: false, delimiter: 'B', closed: true },
    ]);
    expect(ast.items.length).toBe(2);
  });
  it('keeps quotes and substitutions inside one word', () => {
    const { ast } = parse(`echo "a $(echo "b c" | tr b B) d" '$x' \${y:-"z w"} \`q\``);
    const c = ast.items[0].node.first.commands[0];
    if (c.type !== 'simple') throw new Error('not simple');
    expect(c.words).toEqual(['echo', '"a $(echo "b c" | tr b B) d"', "'$x'", '${y:-"z w"}', '`q`']);
  });
  it('parses compound commands', () => {
    const { ast } = parse('if a; then b; elif c; then d; else e; fi; for i in 1 2; do x; done; while p; do q; done; { r; }; (s)');
    expect(ast.items.map((i) => i.node.first.commands[0].type)).toEqual(['if', 'for', 'while', 'group', 'subshell']);
  });
  it('reports the offending token as bash does', () => {
    const tok = (src: string) => {
      try {
        parse(src);
        return null;
      } catch (e) {
        return e instanceof ParseError ? [e.kind, e.token] : ['other', String(e)];
      }
    };
    expect(tok('a | | b')).toEqual(['token', '|']);
    expect(tok('; a')).toEqual(['token', ';']);
    expect(tok('a && && b')).toEqual(['token', '&&']);
    expect(tok('then')).toEqual(['token', 'then']);
    expect(tok('a )')).toEqual(['token', ')']);
    expect(tok('echo >')).toEqual(['token', 'newline']);
    expect(tok('echo > ;')).toEqual(['token', ';']);
    expect(tok('if a; then fi')).toEqual(['token', 'fi']);
    expect(tok('echo "a')).toEqual(['quote', '"']);
    expect(tok('echo $(a')).toEqual(['quote', ')']);
  });
});

describe('incomplete input', () => {
  it('asks for more after an open quote, heredoc, trailing \\, | && ||, or open compound', () => {
    for (const s of ['echo "a', "echo 'a", 'echo $(date', 'echo `date', 'cat <<EOF\nline', 'echo a \\', 'ls |', 'a &&', 'a ||', 'if true; then', 'for x in 1 2', 'while true; do', '{ echo', 'echo ${x']) {
      expect(isIncomplete(s), s).toBe(true);
    }
    for (const s of ['echo a', 'echo "a"', 'cat <<EOF\nx\nEOF', 'a | b', 'echo )', 'echo >', 'a | | b', '', '# just a comment', 'echo a \\\nb']) {
      expect(isIncomplete(s), s).toBe(false);
    }
  });
  it('is what the Simulation reports to the terminal', () => {
    const sim = createSimulation(null, { seed: 1 });
    expect(sim.needsMoreInput('kubectl apply -f - <<EOF\nkind: Pod')).toBe(true);
    expect(sim.needsMoreInput('kubectl apply -f - <<EOF\nkind: Pod\nEOF')).toBe(false);
  });
  it('handles pathological input quickly', () => {
    const t0 = performance.now();
    for (const s of ['('.repeat(20000), '"$('.repeat(3000), '{ '.repeat(5000), 'if '.repeat(5000), 'a|'.repeat(5000), '$((('.repeat(3000)]) isIncomplete(s);
    // a hang detector (a quadratic parser takes minutes here), roomy for a loaded CI machine
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

/**
 * The project's runtime import graph, read with the TypeScript compiler: an edge for every
 * import that survives compilation (type-only imports, and names imported without `type`
 * but used only as types, are elided by TypeScript and left out here too).
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(__dirname, '../../..');

export function sourceFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.(test|spec)\.tsx?$/.test(e.name)) out.push(p);
    }
  };
  for (const d of dirs) walk(join(ROOT, d));
  return out.sort();
}

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith('@/')) base = join(ROOT, spec.slice(2));
  else if (spec.startsWith('.')) base = resolve(dirname(from), spec);
  else return null;
  for (const c of [base, base + '.ts', base + '.tsx', join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return null;
}

/** Identifiers a file uses in value positions (what makes an import survive compilation). */
function valueNames(sf: ts.SourceFile): Set<string> {
  const values = new Set<string>();
  const visit = (n: ts.Node, inType: boolean): void => {
    if (ts.isImportDeclaration(n)) return;
    if (ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) inType = true;
    if (ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n)) inType = true;
    if (ts.isHeritageClause(n) && n.token === ts.SyntaxKind.ImplementsKeyword) inType = true;
    if (ts.isExportDeclaration(n) && !n.moduleSpecifier && !n.isTypeOnly && n.exportClause && ts.isNamedExports(n.exportClause)) {
      for (const el of n.exportClause.elements) if (!el.isTypeOnly) values.add((el.propertyName ?? el.name).text);
      return;
    }
    if (ts.isIdentifier(n) && !inType) {
      const p = n.parent;
      const isKey =
        p &&
        ((ts.isPropertyAccessExpression(p) && p.name === n) ||
          ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === n));
      if (!isKey) values.add(n.text);
    }
    ts.forEachChild(n, (c) => visit(c, inType));
  };
  visit(sf, false);
  return values;
}

export interface ImportGraph {
  files: string[];
  /** file → files it imports at run time (absolute paths) */
  edges: Map<string, Set<string>>;
  /** file → bare module specifiers it imports at run time ('react', 'next/link', …) */
  packages: Map<string, Set<string>>;
}

export function runtimeImportGraph(dirs: string[]): ImportGraph {
  const files = sourceFiles(dirs);
  const edges = new Map<string, Set<string>>();
  const packages = new Map<string, Set<string>>();
  for (const f of files) {
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true, f.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const values = valueNames(sf);
    const add = (spec: string) => {
      const to = resolveImport(f, spec);
      if (to) {
        if (!edges.has(f)) edges.set(f, new Set());
        edges.get(f)!.add(to);
      } else if (!spec.startsWith('.') && !spec.startsWith('@/')) {
        if (!packages.has(f)) packages.set(f, new Set());
        packages.get(f)!.add(spec);
      }
    };
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
        const ic = st.importClause;
        if (!ic) {
          add(st.moduleSpecifier.text);
          continue;
        }
        if (ic.isTypeOnly) continue;
        let runtime = !!ic.name && values.has(ic.name.text);
        const nb = ic.namedBindings;
        if (nb && ts.isNamespaceImport(nb) && values.has(nb.name.text)) runtime = true;
        if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly && values.has(el.name.text)) runtime = true;
        if (runtime) add(st.moduleSpecifier.text);
      } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) && !st.isTypeOnly) {
        if (!st.exportClause || !ts.isNamedExports(st.exportClause) || st.exportClause.elements.some((e) => !e.isTypeOnly)) add(st.moduleSpecifier.text);
      }
    }
  }
  return { files, edges, packages };
}

/** Strongly connected components with more than one file (Tarjan), as paths relative to the root. */
export function cycles(g: ImportGraph): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of g.edges.get(v) ?? []) {
      if (!idx.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.map((x) => relative(ROOT, x).split(sep).join('/')).sort());
    }
  };
  for (const v of g.files) if (!idx.has(v)) connect(v);
  return out;
}

/**
 * Tab completion: command names the current host has; for later words the command's
 * own `complete` (kubectl's verbs, resources, names, flags); file names from the
 * virtual filesystem otherwise (as bash's `complete -o default`); `$VAR` names.
 */
import type { VirtualFS } from '../hosts/vfs';
import type { CommandContext } from './command';
import { Interpreter, type Frame, type ShellHost } from './interpreter';
import { hostTools } from '../hosts/hosts';
import { homeOf, resolvePath } from '../hosts/vfs';

interface Word {
  start: number;
  text: string;
}

/** Splits the text before the cursor into the words of the current simple command. */
function currentCommandWords(text: string): Word[] {
  let words: Word[] = [];
  let cur: Word | null = null;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
      if (cur) cur.text += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      cur ??= { start: i, text: '' };
      cur.text += c;
      continue;
    }
    if (c === '\\') {
      cur ??= { start: i, text: '' };
      cur.text += text.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      if (cur) words.push(cur);
      cur = null;
      continue;
    }
    if (';|&()'.includes(c)) {
      if (cur) words.push(cur);
      cur = null;
      words = [];
      continue;
    }
    if (c === '<' || c === '>') {
      if (cur && /^\d+$/.test(cur.text)) cur = null;
      else if (cur) words.push(cur);
      cur = null;
      continue;
    }
    cur ??= { start: i, text: '' };
    cur.text += c;
  }
  words.push(cur ?? { start: text.length, text: '' });
  // leading assignments are not the command
  while (words.length > 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].text)) words.shift();
  return words;
}

function unquote(s: string): string {
  return s.replace(/\\(.)|['"]/g, (_m, e) => e ?? '');
}

export function complete(shell: ShellHost, frame: Frame, line: string, cursor: number): { from: number; candidates: string[] } {
  const before = line.slice(0, Math.max(0, Math.min(cursor, line.length)));
  const words = currentCommandWords(before);
  const word = words[words.length - 1];
  const from = word.start;
  const partial = word.text;

  const dollar = /\$\{?([A-Za-z_][A-Za-z0-9_]*)?$/.exec(partial);
  if (dollar && !partial.startsWith("'")) {
    const prefix = dollar[1] ?? '';
    const brace = dollar[0].startsWith('${');
    const start = from + partial.length - dollar[0].length;
    const names = Object.keys(frame.vars).filter((n) => n.startsWith(prefix)).sort();
    return { from: start, candidates: names.map((n) => (brace ? `\${${n}}` : `$${n}`)) };
  }

  if (words.length === 1 && !partial.includes('/')) {
    const names = [...hostTools(shell.cluster, frame.host)].filter((n) => shell.commands.find(n) && n.startsWith(partial)).sort();
    return { from, candidates: names };
  }

  if (words.length > 1) {
    let name = unquote(words[0].text);
    let extra: string[] = [];
    const alias = frame.aliases?.[name];
    if (alias) {
      // `alias k=kubectl`: complete `k get po` as `kubectl get po`
      const parts = alias.trim().split(/\s+/);
      name = parts[0];
      extra = parts.slice(1);
    }
    const spec = hostTools(shell.cluster, frame.host).has(name) ? shell.commands.find(name) : undefined;
    if (spec?.complete) {
      const ctx: CommandContext = { ...shell.commandContext(), shell: shell.session(new Interpreter(shell, frame)), host: frame.host, name, stdin: '', env: { ...frame.vars }, cwd: frame.cwd, interactive: true };
      const args = [...extra, ...words.slice(1).map((w) => unquote(w.text))];
      const c = spec.complete(args, ctx) ?? [];
      if (c.length) return { from, candidates: [...new Set(c)].filter((x) => x.startsWith(args[args.length - 1])).sort() };
    }
  }
  return { from, candidates: completeFiles(shell.cluster.fs, frame, unquote(partial)) };
}

/** File names for a partial path (directories get a trailing `/`). */
export function completeFiles(fs: VirtualFS, frame: Frame, partial: string): string[] {
  const slash = partial.lastIndexOf('/');
  const dirPart = slash >= 0 ? partial.slice(0, slash + 1) : '';
  const base = slash >= 0 ? partial.slice(slash + 1) : partial;
  const dir = resolvePath(frame.cwd, dirPart === '' ? '.' : dirPart, homeOf(frame.host));
  const entries = fs.list(frame.host, dir) ?? [];
  return entries
    .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
    .map((e) => dirPart + e.name + (e.type === 'dir' ? '/' : ''));
}

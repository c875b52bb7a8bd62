/**
 * The shell's grammar: a lexer and a recursive-descent parser for the part of the POSIX
 * shell language a learner types — words with quotes and escapes, parameter and command
 * substitution, pipelines, `&&`/`||`/`;`/`&`, redirections, here-documents, comments,
 * `VAR=x cmd`, `{ …; }`, `( … )`, `if`, `for`, `while`/`until`.
 *
 * Words keep their source text (`raw`); expansion happens when the command runs
 * (interpreter.ts), as in bash. The shape follows bash's parse.y and POSIX "Shell
 * Command Language" §2.10; error texts are bash's (`syntax error near unexpected token
 * `|'`) and busybox ash's (`syntax error: unexpected "|"`).
 */

import { CondSyntaxError, parseCond, type CondExpr, type CondToken } from './cond';

export interface Heredoc {
  body: string;
  /** `<<EOF` expands $… in the body; `<<'EOF'` and `<<"EOF"` do not. */
  expand: boolean;
  delimiter: string;
  /** true once the closing delimiter line was seen. */
  closed: boolean;
}

export interface Redirect {
  /** The file descriptor written before the operator (`2>`), or null for the default. */
  fd: number | null;
  op: '<' | '>' | '>>' | '>|' | '<>' | '>&' | '<&' | '&>' | '&>>' | '<<' | '<<-' | '<<<';
  target: string;
  heredoc?: Heredoc;
}

export interface Assignment {
  name: string;
  raw: string;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: Assignment[];
  words: string[];
  redirects: Redirect[];
}

export interface GroupCommand {
  type: 'group' | 'subshell';
  body: List;
  redirects: Redirect[];
}

export interface IfCommand {
  type: 'if';
  clauses: { cond: List; body: List }[];
  otherwise?: List;
  redirects: Redirect[];
}

export interface ForCommand {
  type: 'for';
  name: string;
  /** null: `for x; do` iterates over "$@". */
  items: string[] | null;
  body: List;
  redirects: Redirect[];
}

export interface LoopCommand {
  type: 'while' | 'until';
  cond: List;
  body: List;
  redirects: Redirect[];
}

export interface CaseCommand {
  type: 'case';
  word: string;
  clauses: { patterns: string[]; body: List }[];
  redirects: Redirect[];
}

export interface FunctionDef {
  type: 'function';
  name: string;
  body: Command;
  redirects: Redirect[];
}

/** `[[ … ]]` (cond.ts parses and evaluates it). */
export interface CondCommand {
  type: 'cond';
  expr: CondExpr;
  redirects: Redirect[];
}

export type Command = SimpleCommand | GroupCommand | IfCommand | ForCommand | LoopCommand | CaseCommand | FunctionDef | CondCommand;

export interface Pipeline {
  type: 'pipeline';
  negate: boolean;
  commands: Command[];
}

export interface AndOr {
  type: 'andor';
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export interface List {
  type: 'list';
  items: { node: AndOr; background: boolean }[];
}

export type ParseErrorKind =
  /** An open quote, `$(`, `${` or backquote at the end of input. */
  | 'quote'
  /** The input ended where more was required (after `|`, `&&`, inside `if … fi`). */
  | 'eof'
  /** A here-document whose delimiter line has not come yet. */
  | 'heredoc'
  /** A token where it cannot be. */
  | 'token';

export class ParseError extends Error {
  constructor(
    readonly kind: ParseErrorKind,
    /** For 'token': the offending token's text (`newline` for a line end); for 'quote': the closing character expected. */
    readonly token: string,
  ) {
    super(kind === 'token' ? `syntax error near unexpected token \`${token}'` : kind === 'quote' ? `unexpected EOF while looking for matching \`${token}'` : 'syntax error: unexpected end of file');
    this.name = 'ParseError';
  }

  /** Incomplete input: the terminal asks for another line (`> `) instead of failing. */
  get incomplete(): boolean {
    return this.kind !== 'token';
  }
}

// ---- lexer --------------------------------------------------------------------------

type Token =
  | { t: 'word'; raw: string; heredoc?: Heredoc }
  | { t: 'op'; op: string }
  | { t: 'redir'; op: Redirect['op']; fd: number | null }
  | { t: 'nl' }
  | { t: 'eof' }
  | { t: 'cond'; items: CondToken[] };

const OPERATORS = ['&&', '||', ';;', '|&', '&>>', '&>', '>>', '>|', '>&', '<&', '<<<', '<<-', '<<', '<>', '|', '&', ';', '(', ')', '<', '>'];
const REDIR_OPS = new Set(['<', '>', '>>', '>|', '<>', '>&', '<&', '&>', '&>>', '<<', '<<-', '<<<']);
const MAX_DEPTH = 100;

function isMeta(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>' || c === '(' || c === ')';
}

export interface LexOptions {
  /** Finish unterminated here-documents at end of input (bash warns and runs them). */
  eofClosesHeredoc?: boolean;
}

class Lexer {
  pos = 0;
  tokens: Token[] = [];
  private pendingHeredocs: { redirectOp: '<<' | '<<-'; token: Token & { t: 'word' } }[] = [];
  unclosedHeredoc?: Heredoc;

  constructor(private src: string, private opts: LexOptions) {}

  run(): Token[] {
    const s = this.src;
    for (;;) {
      // blanks and line continuations
      while (this.pos < s.length) {
        const c = s[this.pos];
        if (c === ' ' || c === '\t' || c === '\r') this.pos++;
        else if (c === '\\' && s[this.pos + 1] === '\n') this.pos += 2;
        else break;
      }
      if (this.pos >= s.length) {
        if (this.pendingHeredocs.length) this.readHeredocs();
        this.tokens.push({ t: 'eof' });
        return this.tokens;
      }
      const c = s[this.pos];
      if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
        continue;
      }
      if (c === '\n') {
        this.pos++;
        this.tokens.push({ t: 'nl' });
        if (this.pendingHeredocs.length) this.readHeredocs();
        continue;
      }
      // IO number: digits directly followed by < or >
      const io = /^(\d+)([<>])/.exec(s.slice(this.pos, this.pos + 12));
      if (io) {
        this.pos += io[1].length;
        const op = this.readOperator()!;
        this.pushRedir(op as Redirect['op'], Number(io[1]));
        continue;
      }
      if (isMeta(c)) {
        const op = this.readOperator()!;
        if (REDIR_OPS.has(op)) this.pushRedir(op as Redirect['op'], null);
        else this.tokens.push({ t: 'op', op });
        continue;
      }
      if (s.startsWith('[[', this.pos) && (this.pos + 2 >= s.length || isMeta(s[this.pos + 2])) && this.commandPosition()) {
        this.pos += 2;
        this.tokens.push({ t: 'cond', items: this.readCond() });
        continue;
      }
      const raw = this.readWord();
      const tok: Token = { t: 'word', raw };
      const prev = this.tokens[this.tokens.length - 1];
      if (prev && prev.t === 'redir' && (prev.op === '<<' || prev.op === '<<-')) {
        const quoted = /['"\\]/.test(raw);
        tok.heredoc = { body: '', expand: !quoted, delimiter: unquoteDelimiter(raw), closed: false };
        this.pendingHeredocs.push({ redirectOp: prev.op, token: tok });
      }
      this.tokens.push(tok);
    }
  }

  /** Is the next word where a command starts (so `[[` is the reserved word, not an argument)? */
  private commandPosition(): boolean {
    const prev = this.tokens[this.tokens.length - 1];
    if (!prev || prev.t === 'nl') return true;
    if (prev.t === 'op') return true;
    if (prev.t === 'word') return ['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{'].includes(prev.raw) && this.reservedAt(this.tokens.length - 1);
    return false;
  }

  /** A word token is a reserved word where it stands at a command's start. */
  private reservedAt(k: number): boolean {
    const before = this.tokens[k - 1];
    return !before || before.t === 'nl' || before.t === 'op' || (before.t === 'word' && ['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{'].includes(before.raw));
  }

  /**
   * The words of `[[ … ]]` up to `]]` (parse.y parse_cond_command): `&&` `||` `!` `( )`
   * are the condition's operators, `<` `>` compare strings, and the word after `=~` is
   * read as a regex, where `(`, `)` and `|` are part of the word.
   */
  private readCond(): CondToken[] {
    const s = this.src;
    const items: CondToken[] = [];
    for (;;) {
      while (this.pos < s.length && (s[this.pos] === ' ' || s[this.pos] === '\t' || s[this.pos] === '\r' || s[this.pos] === '\n')) this.pos++;
      if (this.pos >= s.length) throw new ParseError('eof', ']]');
      if (s.startsWith(']]', this.pos) && (this.pos + 2 >= s.length || isMeta(s[this.pos + 2]))) {
        this.pos += 2;
        return items;
      }
      const prev = items[items.length - 1];
      if (prev?.k === 'word' && prev.raw === '=~') {
        items.push({ k: 'word', raw: this.readRegexWord() });
        continue;
      }
      const two = s.slice(this.pos, this.pos + 2);
      if (two === '&&' || two === '||') {
        this.pos += 2;
        items.push({ k: 'op', op: two });
      } else if (s[this.pos] === '(' || s[this.pos] === ')') {
        items.push({ k: 'op', op: s[this.pos++] as '(' | ')' });
      } else if (s[this.pos] === '<' || s[this.pos] === '>') {
        items.push({ k: 'word', raw: s[this.pos++] });
      } else if (isMeta(s[this.pos])) {
        throw new ParseError('token', s[this.pos]);
      } else {
        const raw = this.readWord();
        items.push(raw === '!' ? { k: 'op', op: '!' } : { k: 'word', raw });
      }
    }
  }

  /** The regex after `=~`: up to a blank outside parentheses and quotes. */
  private readRegexWord(): string {
    const s = this.src;
    const start = this.pos;
    let depth = 0;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if ((c === ' ' || c === '\t' || c === '\n') && depth === 0) break;
      if (depth === 0 && (c === '&' || c === ';' || c === '<' || c === '>')) break;
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      }
      if (c === '\\') this.pos += 2;
      else if (c === "'") this.skipSingle();
      else if (c === '"') this.skipDouble(0);
      else if (c === '$') this.skipDollar(0);
      else this.pos++;
    }
    return s.slice(start, this.pos);
  }

  private pushRedir(op: Redirect['op'], fd: number | null) {
    this.tokens.push({ t: 'redir', op, fd });
  }

  private readOperator(): string | undefined {
    for (const op of OPERATORS) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    // a lone blank-like meta was consumed by the caller; never reached
    this.pos++;
    return this.src[this.pos - 1];
  }

  private readHeredocs() {
    const s = this.src;
    for (const h of this.pendingHeredocs) {
      const doc = h.token.heredoc!;
      const strip = h.redirectOp === '<<-';
      const lines: string[] = [];
      for (;;) {
        if (this.pos >= s.length) {
          if (!this.opts.eofClosesHeredoc) throw new ParseError('heredoc', doc.delimiter);
          this.unclosedHeredoc ??= doc;
          break;
        }
        let end = s.indexOf('\n', this.pos);
        if (end < 0) end = s.length;
        let line = s.slice(this.pos, end);
        this.pos = Math.min(end + 1, s.length);
        if (strip) line = line.replace(/^\t+/, '');
        if (line === doc.delimiter) {
          doc.closed = true;
          break;
        }
        lines.push(line);
      }
      doc.body = lines.length ? lines.join('\n') + '\n' : '';
    }
    this.pendingHeredocs = [];
  }

  /** Reads one word's source text, keeping quotes and substitutions intact. */
  private readWord(): string {
    const s = this.src;
    const start = this.pos;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (isMeta(c)) break;
      if (c === '\\') {
        if (this.pos + 1 >= s.length) throw new ParseError('eof', '\\');
        this.pos += 2;
      } else if (c === "'") {
        this.skipSingle();
      } else if (c === '"') {
        this.skipDouble(0);
      } else if (c === '`') {
        this.skipBackquote();
      } else if (c === '$') {
        this.skipDollar(0);
      } else this.pos++;
    }
    return s.slice(start, this.pos);
  }

  private skipSingle() {
    const end = this.src.indexOf("'", this.pos + 1);
    if (end < 0) throw new ParseError('quote', "'");
    this.pos = end + 1;
  }

  private skipDouble(depth: number) {
    const s = this.src;
    this.pos++;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\') this.pos += 2;
      else if (c === '`') this.skipBackquote();
      else if (c === '$') this.skipDollar(depth + 1);
      else this.pos++;
    }
    throw new ParseError('quote', '"');
  }

  private skipBackquote() {
    const s = this.src;
    this.pos++;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '`') {
        this.pos++;
        return;
      }
      this.pos += c === '\\' ? 2 : 1;
    }
    throw new ParseError('quote', '`');
  }

  private skipDollar(depth: number) {
    const s = this.src;
    if (depth > MAX_DEPTH) throw new ParseError('token', s[this.pos] ?? 'newline');
    const next = s[this.pos + 1];
    if (next === '(') {
      this.pos += 2;
      this.skipParens(depth + 1);
    } else if (next === '{') {
      this.pos += 2;
      while (this.pos < s.length && s[this.pos] !== '}') {
        const c = s[this.pos];
        if (c === "'") this.skipSingle();
        else if (c === '"') this.skipDouble(depth + 1);
        else if (c === '$') this.skipDollar(depth + 1);
        else if (c === '\\') this.pos += 2;
        else this.pos++;
      }
      if (this.pos >= s.length) throw new ParseError('quote', '}');
      this.pos++;
    } else if (next === "'") {
      // $'…' (ANSI-C quoting)
      this.pos++;
      const start = this.pos;
      this.pos++;
      while (this.pos < s.length && s[this.pos] !== "'") this.pos += s[this.pos] === '\\' ? 2 : 1;
      if (this.pos >= s.length) {
        this.pos = start;
        throw new ParseError('quote', "'");
      }
      this.pos++;
    } else this.pos++;
  }

  /** After `$(`: up to the matching `)`, through quotes and nested substitutions. */
  private skipParens(depth: number) {
    const s = this.src;
    let level = 1;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '(') {
        level++;
        this.pos++;
      } else if (c === ')') {
        level--;
        this.pos++;
        if (level === 0) return;
      } else if (c === "'") this.skipSingle();
      else if (c === '"') this.skipDouble(depth);
      else if (c === '`') this.skipBackquote();
      else if (c === '$') this.skipDollar(depth);
      else if (c === '\\') this.pos += 2;
      else if (c === '#' && (this.pos === 0 || /[\s;&|(]/.test(s[this.pos - 1]))) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else this.pos++;
    }
    throw new ParseError('quote', ')');
  }
}

/** `'EOF'`, `"EOF"`, `\EOF`, `E"O"F` → `EOF` (quote removal, no expansion). */
function unquoteDelimiter(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      out += raw.slice(i + 1, end < 0 ? raw.length : end);
      i = end < 0 ? raw.length : end;
    } else if (c === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        if (raw[i] === '\\' && i + 1 < raw.length) i++;
        out += raw[i++];
      }
    } else if (c === '\\') {
      if (i + 1 < raw.length) out += raw[++i];
    } else out += c;
  }
  return out;
}

// ---- parser -------------------------------------------------------------------------

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', 'case', 'esac', '{', '}', '!']);
const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=/;

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private isWord(w: string, tok: Token = this.peek()): boolean {
    return tok.t === 'word' && tok.raw === w;
  }

  private isOp(op: string, tok: Token = this.peek()): boolean {
    return tok.t === 'op' && tok.op === op;
  }

  private skipNewlines() {
    while (this.peek().t === 'nl') this.i++;
  }

  private unexpected(tok: Token = this.peek()): never {
    if (tok.t === 'eof') throw new ParseError('eof', '');
    const text = tok.t === 'nl' ? 'newline' : tok.t === 'word' ? tok.raw : tok.t === 'cond' ? '[[' : tok.op;
    throw new ParseError('token', text);
  }

  parseProgram(): List {
    this.skipNewlines();
    const list = this.parseList([]);
    if (this.peek().t !== 'eof') this.unexpected();
    return list;
  }

  /** A list, stopping before any of `terminators` (reserved words like `done`, `fi`, or `)`). */
  private parseList(terminators: string[]): List {
    const list: List = { type: 'list', items: [] };
    if (++this.depth > MAX_DEPTH) this.unexpected();
    for (;;) {
      this.skipNewlines();
      const tok = this.peek();
      if (tok.t === 'eof') break;
      if (tok.t === 'word' && terminators.includes(tok.raw)) break;
      if (tok.t === 'op' && tok.op === ')' && terminators.includes(')')) break;
      if (tok.t === 'op' && tok.op === ';;' && terminators.includes(';;')) break;
      const node = this.parseAndOr();
      const sep = this.peek();
      if (sep.t === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.next();
        list.items.push({ node, background: sep.op === '&' });
        continue;
      }
      list.items.push({ node, background: false });
      if (sep.t === 'nl') continue;
      break;
    }
    this.depth--;
    return list;
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const node: AndOr = { type: 'andor', first, rest: [] };
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'op' && (tok.op === '&&' || tok.op === '||')) {
        this.next();
        this.skipNewlines();
        node.rest.push({ op: tok.op, pipeline: this.parsePipeline() });
      } else return node;
    }
  }

  private parsePipeline(): Pipeline {
    let negate = false;
    while (this.isWord('!')) {
      this.next();
      negate = !negate;
    }
    const commands = [this.parseCommand()];
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'op' && (tok.op === '|' || tok.op === '|&')) {
        this.next();
        if (tok.op === '|&') commands[commands.length - 1].redirects.push({ fd: 2, op: '>&', target: '1' });
        this.skipNewlines();
        commands.push(this.parseCommand());
      } else return { type: 'pipeline', negate, commands };
    }
  }

  private parseCommand(): Command {
    const tok = this.peek();
    if (tok.t === 'cond') {
      this.next();
      try {
        return this.withRedirects({ type: 'cond', expr: parseCond(tok.items), redirects: [] });
      } catch (e) {
        if (e instanceof CondSyntaxError) throw new ParseError('token', e.message);
        throw e;
      }
    }
    if (tok.t === 'word') {
      switch (tok.raw) {
        case '{':
          return this.withRedirects(this.parseGroup());
        case 'if':
          return this.withRedirects(this.parseIf());
        case 'for':
          return this.withRedirects(this.parseFor());
        case 'while':
        case 'until':
          return this.withRedirects(this.parseLoop(tok.raw));
        case 'case':
          return this.withRedirects(this.parseCase());
        case 'function': {
          const name = this.peek(1);
          if (name.t === 'word' && /^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(name.raw)) {
            this.next();
            this.next();
            if (this.isOp('(')) {
              this.next();
              if (!this.isOp(')')) this.unexpected();
              this.next();
            }
            return this.parseFunctionBody(name.raw);
          }
          break;
        }
        case 'then': case 'else': case 'elif': case 'fi': case 'do': case 'done': case '}': case 'esac': case 'in':
          this.unexpected();
      }
      // `name() compound-command`
      const next = this.peek(1);
      const after = this.peek(2);
      if (next.t === 'op' && next.op === '(' && after.t === 'op' && after.op === ')' && /^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(tok.raw)) {
        this.next();
        this.next();
        this.next();
        return this.parseFunctionBody(tok.raw);
      }
    }
    if (this.isOp('(')) {
      this.next();
      const body = this.parseList([')']);
      if (!this.isOp(')')) this.unexpected();
      this.next();
      if (body.items.length === 0) this.unexpected(this.tokens[this.i - 1]);
      return this.withRedirects({ type: 'subshell', body, redirects: [] });
    }
    return this.parseSimple();
  }

  private parseFunctionBody(name: string): FunctionDef {
    this.skipNewlines();
    const t = this.peek();
    if (!(t.t === 'word' && ['{', 'if', 'for', 'while', 'until', 'case'].includes(t.raw)) && !this.isOp('(')) this.unexpected();
    return { type: 'function', name, body: this.parseCommand(), redirects: [] };
  }

  private parseCase(): CaseCommand {
    this.next();
    const w = this.next();
    if (w.t !== 'word') this.unexpected(w);
    this.skipNewlines();
    this.expectWord('in');
    const clauses: CaseCommand['clauses'] = [];
    for (;;) {
      this.skipNewlines();
      if (this.isWord('esac')) {
        this.next();
        return { type: 'case', word: (w as { raw: string }).raw, clauses, redirects: [] };
      }
      if (this.isOp('(')) this.next();
      const patterns: string[] = [];
      for (;;) {
        const p = this.next();
        if (p.t !== 'word') this.unexpected(p);
        patterns.push((p as { raw: string }).raw);
        if (this.isOp('|')) {
          this.next();
          continue;
        }
        break;
      }
      if (!this.isOp(')')) this.unexpected();
      this.next();
      const body = this.parseList(['esac', ';;']);
      clauses.push({ patterns, body });
      this.skipNewlines();
      if (this.isOp(';;')) {
        this.next();
        continue;
      }
      if (!this.isWord('esac')) this.unexpected();
    }
  }

  private withRedirects<T extends Command>(cmd: T): T {
    while (this.peek().t === 'redir') cmd.redirects.push(this.parseRedirect());
    return cmd;
  }

  private expectWord(w: string) {
    if (!this.isWord(w)) this.unexpected();
    this.next();
  }

  private parseGroup(): GroupCommand {
    this.next();
    const body = this.parseList(['}']);
    if (body.items.length === 0) this.unexpected();
    this.expectWord('}');
    return { type: 'group', body, redirects: [] };
  }

  private parseIf(): IfCommand {
    this.next();
    const clauses: IfCommand['clauses'] = [];
    let otherwise: List | undefined;
    for (;;) {
      const cond = this.parseList(['then']);
      if (cond.items.length === 0) this.unexpected();
      this.expectWord('then');
      const body = this.parseList(['elif', 'else', 'fi']);
      if (body.items.length === 0) this.unexpected();
      clauses.push({ cond, body });
      if (this.isWord('elif')) {
        this.next();
        continue;
      }
      if (this.isWord('else')) {
        this.next();
        otherwise = this.parseList(['fi']);
        if (otherwise.items.length === 0) this.unexpected();
      }
      this.expectWord('fi');
      return { type: 'if', clauses, otherwise, redirects: [] };
    }
  }

  private parseFor(): ForCommand {
    this.next();
    const nameTok = this.next();
    if (nameTok.t !== 'word') this.unexpected(nameTok);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(nameTok.raw)) throw new ParseError('token', nameTok.raw);
    let items: string[] | null = null;
    if (this.isOp(';')) this.next();
    this.skipNewlines();
    if (this.isWord('in')) {
      this.next();
      items = [];
      while (this.peek().t === 'word') items.push((this.next() as { raw: string }).raw);
      const sep = this.peek();
      if (sep.t === 'op' && sep.op === ';') this.next();
      else if (sep.t !== 'nl') this.unexpected();
      this.skipNewlines();
    }
    this.expectWord('do');
    const body = this.parseList(['done']);
    if (body.items.length === 0) this.unexpected();
    this.expectWord('done');
    return { type: 'for', name: nameTok.raw, items, body, redirects: [] };
  }

  private parseLoop(kind: 'while' | 'until'): LoopCommand {
    this.next();
    const cond = this.parseList(['do']);
    if (cond.items.length === 0) this.unexpected();
    this.expectWord('do');
    const body = this.parseList(['done']);
    if (body.items.length === 0) this.unexpected();
    this.expectWord('done');
    return { type: kind, cond, body, redirects: [] };
  }

  private parseRedirect(): Redirect {
    const r = this.next() as Token & { t: 'redir' };
    const target = this.peek();
    // `echo >` at the end of input: bash reports the newline that ends the line
    if (target.t === 'eof') throw new ParseError('token', 'newline');
    if (target.t !== 'word') this.unexpected(target);
    this.next();
    const red: Redirect = { fd: r.fd, op: r.op, target: target.raw };
    if (target.heredoc) red.heredoc = target.heredoc;
    return red;
  }

  private parseSimple(): SimpleCommand {
    const cmd: SimpleCommand = { type: 'simple', assigns: [], words: [], redirects: [] };
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'redir') {
        cmd.redirects.push(this.parseRedirect());
      } else if (tok.t === 'word') {
        if (cmd.words.length === 0 && ASSIGN.test(tok.raw)) {
          const eq = tok.raw.indexOf('=');
          cmd.assigns.push({ name: tok.raw.slice(0, eq), raw: tok.raw.slice(eq + 1) });
        } else if (cmd.words.length === 0 && RESERVED.has(tok.raw) && cmd.assigns.length + cmd.redirects.length === 0) {
          this.unexpected();
        } else {
          cmd.words.push(tok.raw);
        }
        this.next();
      } else if (tok.t === 'op' && tok.op === '(' && cmd.words.length === 1 && cmd.assigns.length === 0) {
        // `name(` that is not `name()`: bash's "syntax error near unexpected token `('"
        this.unexpected();
      } else break;
    }
    if (cmd.words.length + cmd.assigns.length + cmd.redirects.length === 0) this.unexpected();
    return cmd;
  }
}

export interface ParseResult {
  ast: List;
  /** A here-document that ran into the end of input (bash warns, then runs it). */
  unclosedHeredoc?: Heredoc;
}

/** Parses a command line (possibly several lines). Throws ParseError. */
export function parse(src: string, opts: LexOptions = {}): ParseResult {
  const lexer = new Lexer(src, opts);
  const tokens = lexer.run();
  const ast = new Parser(tokens).parseProgram();
  return { ast, unclosedHeredoc: lexer.unclosedHeredoc };
}

/** True if `src` is unfinished: an open quote or substitution, a heredoc, a trailing `\`, `|`, `&&`, `||`, or an open `if`/`for`/`{`. */
export function isIncomplete(src: string): boolean {
  try {
    parse(src);
    return false;
  } catch (e) {
    return e instanceof ParseError && e.incomplete;
  }
}

/**
 * Go's text/template as kubectl's -o go-template uses it (k8s.io/cli-runtime
 * pkg/printers/template.go: `template.New("output")` with the extra functions `exists` and
 * `base64decode`, missingkey=default, the object decoded from JSON into
 * map[string]interface{} so every number is a float64).
 *
 * A port of the parts of text/template/parse (lex.go, parse.go) and text/template
 * (exec.go, funcs.go) a template over decoded JSON reaches: text and actions with trim
 * markers, comments, fields and chains, variables (`$x :=`, `$x =`, `$`), pipelines,
 * parenthesised pipelines, if/else if/else, range (with `$i, $e :=`, else, break,
 * continue), with, define/template/block, the builtins (and, or, not, len, index, slice,
 * print, printf, println, eq, ne, lt, le, gt, ge, html, js, urlquery). Parse errors read
 * `template: output:LINE: …`, execution errors `template: output:LINE:COL: executing
 * "output" at <NODE>: …`, as Go words them.
 *
 * Values: a JS number is a float64 (from JSON), GoInt an int (a literal, len's result), a
 * string, boolean, array ([]interface {}), plain object (map[string]interface {}); `null` a
 * nil interface and `undefined` Go's invalid reflect.Value (a missing key: "<no value>").
 */
import { isArray, isObject } from '../../cluster/types';
import { goQuote } from '../../cluster/fielderrors';

export class GoTemplateError extends Error {}

/** An execution error, with what the template had written before it (kubectl prints that too). */
export class GoTemplateExecError extends GoTemplateError {
  constructor(message: string, readonly partial: string) {
    super(message);
  }
}

/** A Go int (a constant in the template or a builtin's result); plain numbers are float64. */
export class GoInt {
  constructor(readonly v: number) {}
}

type Val = unknown;

// ---- lexer (text/template/parse/lex.go) ----------------------------------------------------

type ItemType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'comment' | 'assign' | 'declare' | 'eof' | 'field' | 'identifier'
  | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString' | 'rightDelim' | 'rightParen' | 'space' | 'string'
  | 'text' | 'variable' | 'dot' | 'nil'
  | 'block' | 'break' | 'continue' | 'define' | 'else' | 'end' | 'if' | 'range' | 'template' | 'with';

interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

function itemString(i: Item): string {
  if (i.typ === 'eof') return 'EOF';
  if (i.typ === 'error') return i.val;
  if (KEYWORDS.has(i.typ)) return `<${i.val}>`;
  if (i.val.length > 10) return `${goQuote(i.val.slice(0, 10))}...`;
  return goQuote(i.val);
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string) => c === '_' || /[\p{L}\p{Nd}]/u.test(c);

/** %#U of a rune: U+007B '{'. */
function runeU(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return cp >= 0x20 && cp !== 0x7f ? `U+${hex} '${c}'` : `U+${hex}`;
}

function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  const emit = (typ: ItemType) => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: startLine });
    for (let i = start; i < pos; i++) if (input[i] === '\n') line++;
    start = pos;
    startLine = line;
  };
  const ignore = () => {
    for (let i = start; i < pos; i++) if (input[i] === '\n') line++;
    start = pos;
    startLine = line;
  };
  const error = (msg: string): false => {
    items.push({ typ: 'error', pos: start, val: msg, line: startLine });
    return false;
  };
  const trimAfterLeft = (p: number) => input.startsWith('{{- ', p) || input.startsWith('{{-\t', p) || input.startsWith('{{-\r', p) || input.startsWith('{{-\n', p);
  const atRightTrim = (p: number) => isSpace(input[p] ?? '') && input.startsWith('-}}', p + 1);

  // lexText / lexLeftDelim / lexComment / lexInsideAction as one loop
  for (;;) {
    const x = input.indexOf('{{', pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit('text');
      items.push({ typ: 'eof', pos, val: '', line });
      return items;
    }
    pos = x;
    const trim = trimAfterLeft(x);
    if (pos > start) {
      let end = pos;
      if (trim) while (end > start && isSpace(input[end - 1])) end--;
      const keep = pos;
      pos = end;
      if (pos > start) emit('text');
      pos = keep;
      ignore();
    }
    // left delimiter
    const afterMarker = x + 2 + (trim ? 2 : 0);
    if (input.startsWith('/*', afterMarker)) {
      pos = afterMarker;
      ignore();
      const close = input.indexOf('*/', pos + 2);
      if (close < 0) return (error('unclosed comment'), items);
      pos = close + 2;
      let trimR = false;
      if (atRightTrim(pos)) {
        trimR = true;
        pos += 1;
      }
      if (!input.startsWith('}}', pos + (trimR ? 0 : 0)) && !(trimR && input.startsWith('-}}', pos))) return (error('comment ends before closing delimiter'), items);
      pos += trimR ? 3 : 2;
      ignore();
      if (trimR) {
        while (pos < input.length && isSpace(input[pos])) pos++;
        ignore();
      }
      continue;
    }
    pos = x + 2;
    emit('leftDelim');
    if (trim) {
      pos += 2;
      ignore();
    }
    parenDepth = 0;
    // inside action
    let ok = true;
    for (;;) {
      if (atRightTrim(pos) || input.startsWith('}}', pos)) {
        if (parenDepth !== 0) {
          ok = error('unclosed left paren');
          break;
        }
        const trimR = atRightTrim(pos);
        if (trimR) {
          pos += 1;
          ignore();
          pos += 1;
          ignore();
        }
        pos += 2;
        emit('rightDelim');
        if (trimR) {
          while (pos < input.length && isSpace(input[pos])) pos++;
          ignore();
        }
        break;
      }
      const r = input[pos];
      if (r === undefined) {
        ok = error('unclosed action');
        break;
      }
      if (isSpace(r)) {
        while (isSpace(input[pos] ?? '') && !atRightTrim(pos)) pos++;
        emit('space');
        continue;
      }
      if (r === '=') {
        pos++;
        emit('assign');
        continue;
      }
      if (r === ':') {
        if (input[pos + 1] !== '=') {
          pos++;
          ok = error('expected :=');
          break;
        }
        pos += 2;
        emit('declare');
        continue;
      }
      if (r === '|') {
        pos++;
        emit('pipe');
        continue;
      }
      if (r === '"' || r === "'") {
        // lexQuote / lexChar: a backslash escapes the next rune; a newline ends it unterminated
        const quote = r;
        pos++;
        let done = false;
        while (pos < input.length) {
          const c = input[pos++];
          if (c === '\\' && pos < input.length && input[pos] !== '\n') pos++;
          else if (c === '\n') break;
          else if (c === quote) {
            done = true;
            break;
          }
        }
        if (!done) {
          ok = error(quote === '"' ? 'unterminated quoted string' : 'unterminated character constant');
          break;
        }
        emit(quote === '"' ? 'string' : 'charConstant');
        continue;
      }
      if (r === '`') {
        const close = input.indexOf('`', pos + 1);
        if (close < 0) {
          ok = error('unterminated raw quoted string');
          break;
        }
        pos = close + 1;
        emit('rawString');
        continue;
      }
      if (r === '$') {
        pos++;
        while (pos < input.length && isAlnum(input[pos])) pos++;
        if (!checkTerminator()) break;
        emit('variable');
        continue;
      }
      if (r === '.') {
        const n = input[pos + 1] ?? '';
        if (n >= '0' && n <= '9') {
          if (!lexNumber()) break;
          continue;
        }
        pos++;
        if (!isAlnum(input[pos] ?? '')) {
          emit('dot');
          continue;
        }
        while (pos < input.length && isAlnum(input[pos])) pos++;
        if (!checkTerminator()) break;
        emit('field');
        continue;
      }
      if (r === '+' || r === '-' || (r >= '0' && r <= '9')) {
        if (!lexNumber()) break;
        continue;
      }
      if (isAlnum(r)) {
        while (pos < input.length && isAlnum(input[pos])) pos++;
        const word = input.slice(start, pos);
        if (!checkTerminator()) break;
        if (KEYWORDS.has(word)) emit(word as ItemType);
        else if (word === 'true' || word === 'false') emit('bool');
        else if (word === 'nil') emit('nil');
        else emit('identifier');
        continue;
      }
      if (r === '(') {
        pos++;
        emit('leftParen');
        parenDepth++;
        continue;
      }
      if (r === ')') {
        pos++;
        emit('rightParen');
        parenDepth--;
        if (parenDepth < 0) {
          ok = error('unexpected right paren');
          break;
        }
        continue;
      }
      const cp = r.codePointAt(0)!;
      if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) {
        pos++;
        emit('char');
        continue;
      }
      pos += r.length;
      ok = error(`unrecognized character in action: ${runeU(r)}`);
      break;
    }
    if (!ok) return items;
  }

  function checkTerminator(): boolean {
    const r = input[pos];
    if (r === undefined || isSpace(r) || r === '.' || r === ',' || r === '|' || r === ':' || r === ')' || r === '(') return true;
    // the right delimiter's first rune ends a word too (`{{.a}` lexes `.a`, then "}")
    if (r === '}') return true;
    error(`bad character ${runeU(r)}`);
    return false;
  }

  function lexNumber(): boolean {
    const m = /^[+-]?(0[xX][0-9a-fA-F_]*\.?[0-9a-fA-F_]*([pP][+-]?[0-9_]+)?|0[bB][01_]*|0[oO][0-7_]*|[0-9_]*\.?[0-9_]*([eE][+-]?[0-9_]+)?)i?/.exec(input.slice(pos));
    const len = m ? m[0].length : 0;
    pos += len;
    if (isAlnum(input[pos] ?? '')) {
      pos++;
      error(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
      return false;
    }
    emit('number');
    return true;
  }
}

// ---- parse tree (text/template/parse/node.go, parse.go) ----------------------------------

type Arg =
  | { t: 'field'; pos: number; idents: string[] }
  | { t: 'chain'; pos: number; node: Arg; fields: string[] }
  | { t: 'variable'; pos: number; idents: string[] }
  | { t: 'dot'; pos: number }
  | { t: 'nil'; pos: number }
  | { t: 'bool'; pos: number; v: boolean }
  | { t: 'number'; pos: number; text: string; int?: number; float?: number }
  | { t: 'string'; pos: number; quoted: string; v: string }
  | { t: 'identifier'; pos: number; name: string }
  | { t: 'pipe'; pos: number; pipe: Pipe };

interface Command {
  pos: number;
  args: Arg[];
}

interface Pipe {
  pos: number;
  line: number;
  isAssign: boolean;
  decl: { pos: number; name: string }[];
  cmds: Command[];
}

type TNode =
  | { t: 'text'; pos: number; text: string }
  | { t: 'action'; pos: number; pipe: Pipe }
  | { t: 'if' | 'with' | 'range'; pos: number; pipe: Pipe; list: TNode[]; elseList?: TNode[] }
  | { t: 'template'; pos: number; name: string; pipe?: Pipe }
  | { t: 'break' | 'continue'; pos: number };

const CORE_BUILTINS = ['and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery', 'eq', 'ge', 'gt', 'le', 'lt', 'ne'];
/** kubectl's template (cli-runtime printers/template.go) adds `exists` and `base64decode`. */
const KUBECTL_FUNCS = new Set([...CORE_BUILTINS, 'exists', 'base64decode']);

/**
 * Another program's template: its own functions besides text/template's builtins, whether a
 * missing map key is an error (Option("missingkey=error")), and whether numbers were decoded
 * with json.Decoder.UseNumber (a json.Number prints as the number's JSON text).
 */
export interface GoTemplateDialect {
  funcs: Record<string, { arity: [number, boolean]; call: (args: Val[]) => Val }>;
  missingKeyError?: boolean;
  jsonNumbers?: boolean;
}

/** Numbers print as json.Number while a UseNumber dialect's template runs. */
let jsonNumbers = false;

function argString(a: Arg): string {
  switch (a.t) {
    case 'field':
      return a.idents.map((i) => '.' + i).join('');
    case 'chain':
      return (a.node.t === 'pipe' ? `(${pipeString(a.node.pipe)})` : argString(a.node)) + a.fields.map((f) => '.' + f).join('');
    case 'variable':
      return a.idents.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(a.v);
    case 'number':
      return a.text;
    case 'string':
      return a.quoted;
    case 'identifier':
      return a.name;
    case 'pipe':
      return `(${pipeString(a.pipe)})`;
  }
}

function pipeString(p: Pipe): string {
  let s = '';
  if (p.decl.length) s = p.decl.map((d) => d.name).join(', ') + (p.isAssign ? ' = ' : ' := ');
  return s + p.cmds.map((c) => c.args.map(argString).join(' ')).join(' | ');
}

function nodeString(n: TNode): string {
  switch (n.t) {
    case 'text':
      return goQuote(n.text);
    case 'action':
      return `{{${pipeString(n.pipe)}}}`;
    case 'template':
      return n.pipe ? `{{template ${goQuote(n.name)} ${pipeString(n.pipe)}}}` : `{{template ${goQuote(n.name)}}}`;
    case 'break':
    case 'continue':
      return `{{${n.t}}}`;
    default:
      return `{{${n.t} ${pipeString(n.pipe)}}}`;
  }
}

type ControlEnd = { t: 'end'; pos: number } | { t: 'else'; pos: number; line: number; elseIf: boolean };

class Parser {
  private items: Item[];
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;
  /** The item the parser last looked at (t.token[0] in Go): its line goes in errors. */
  private cur!: Item;
  readonly defs = new Map<string, TNode[]>();

  constructor(private text: string, private name: string, private funcNames: Set<string> = KUBECTL_FUNCS) {
    this.items = lex(text);
  }

  private next(): Item {
    this.cur = this.items[Math.min(this.i, this.items.length - 1)];
    this.i++;
    return this.cur;
  }
  private backup(): void {
    this.i--;
  }
  private peek(): Item {
    return this.items[Math.min(this.i, this.items.length - 1)];
  }
  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.typ === 'space');
    return t;
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  errorf(msg: string): never {
    throw new GoTemplateError(`template: ${this.name}:${this.cur?.line ?? 1}: ${msg}`);
  }

  private unexpected(item: Item, context: string): never {
    if (item.typ === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== item.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (item.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${item.val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(item)} in ${context}`);
  }

  private expect(typ: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== typ) this.unexpected(t, context);
    return t;
  }

  parse(): TNode[] {
    const root: TNode[] = [];
    while (this.peek().typ !== 'eof') {
      if (this.peek().typ === 'leftDelim') {
        const save = this.i;
        this.next();
        if (this.nextNonSpace().typ === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (n.t === 'end' || n.t === 'else') this.errorf(`unexpected ${n.t === 'end' ? '{{end}}' : '{{else}}'}`);
      root.push(n as TNode);
    }
    return root;
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.expectOneOf(['string', 'rawString'], context);
    const name = unquote(nameTok.val, this);
    this.expect('rightDelim', context);
    const saved = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    if (end.t !== 'end') this.errorf(`unexpected {{else}} in ${context}`);
    this.vars = saved;
    this.defs.set(name, list);
  }

  private expectOneOf(types: ItemType[], context: string): Item {
    const t = this.nextNonSpace();
    if (!types.includes(t.typ)) this.unexpected(t, context);
    return t;
  }

  private itemList(): [TNode[], ControlEnd] {
    const list: TNode[] = [];
    while (this.peekNonSpace().typ !== 'eof') {
      const n = this.textOrAction();
      if (n.t === 'end' || n.t === 'else') return [list, n as ControlEnd];
      list.push(n as TNode);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): TNode | ControlEnd {
    const t = this.nextNonSpace();
    if (t.typ === 'text') return { t: 'text', pos: t.pos, text: t.val };
    if (t.typ === 'leftDelim') {
      this.actionLine = t.line;
      try {
        return this.action();
      } finally {
        this.actionLine = 0;
      }
    }
    this.unexpected(t, 'input');
  }

  private action(): TNode | ControlEnd {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue': {
        const r = this.nextNonSpace();
        if (r.typ !== 'rightDelim') this.unexpected(r, `{{${t.typ}}}`);
        if (this.rangeDepth === 0) this.errorf(`{{${t.typ}}} outside {{range}}`);
        return { t: t.typ, pos: t.pos };
      }
      case 'else': {
        const p = this.peekNonSpace();
        if (p.typ === 'if' || p.typ === 'with') return { t: 'else', pos: t.pos, line: t.line, elseIf: true };
        const r = this.nextNonSpace();
        if (r.typ !== 'rightDelim') this.unexpected(r, 'else');
        return { t: 'else', pos: t.pos, line: t.line, elseIf: false };
      }
      case 'end': {
        const r = this.nextNonSpace();
        if (r.typ !== 'rightDelim') this.unexpected(r, 'end');
        return { t: 'end', pos: t.pos };
      }
      case 'if':
      case 'range':
      case 'with':
        return this.control(t.typ, t.pos);
      case 'template':
        return this.templateControl(t.pos);
    }
    this.backup();
    const tok = this.peek();
    return { t: 'action', pos: tok.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private control(context: 'if' | 'range' | 'with', pos: number): TNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const body = this.itemList();
      const list = body[0];
      let next = body[1];
      if (context === 'range') this.rangeDepth--;
      let elseList: TNode[] | undefined;
      if (next.t === 'else') {
        if ((context === 'if' || context === 'with') && next.elseIf) {
          // {{else if …}} is {{else}}{{if …}}…{{end}}{{end}}
          const kw = this.nextNonSpace();
          elseList = [this.control(kw.typ as 'if' | 'with', next.pos)];
          next = { t: 'end', pos: next.pos };
        } else {
          if (next.elseIf) this.errorf(`unexpected <${this.peekNonSpace().val}> in else`);
          [elseList, next] = this.itemList();
          if (next.t !== 'end') this.errorf('expected end; found {{else}}');
        }
      }
      return { t: context, pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private blockControl(): TNode {
    const context = 'block clause';
    const nameTok = this.expectOneOf(['string', 'rawString'], context);
    const name = unquote(nameTok.val, this);
    const pipe = this.pipeline(context, 'rightDelim');
    const saved = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    if (end.t !== 'end') this.errorf(`unexpected {{else}} in ${context}`);
    this.vars = saved;
    this.defs.set(name, list);
    return { t: 'template', pos: nameTok.pos, name, pipe };
  }

  private templateControl(pos: number): TNode {
    const context = 'template clause';
    const nameTok = this.expectOneOf(['string', 'rawString'], context);
    const name = unquote(nameTok.val, this);
    let pipe: Pipe | undefined;
    if (this.nextNonSpace().typ !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { t: 'template', pos, name, pipe };
  }

  private pipeline(context: string, end: ItemType): Pipe {
    const tok = this.peekNonSpace();
    const pipe: Pipe = { pos: tok.pos, line: tok.line, isAssign: false, decl: [], cmds: [] };
    // declarations: $x := / $x = / $i, $e :=
    decls: if (tok.typ === 'variable') {
      const save = this.i;
      const v = this.nextNonSpace();
      const after = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === 'assign' || next.typ === 'declare') {
        this.nextNonSpace();
        pipe.isAssign = next.typ === 'assign';
        pipe.decl.push({ pos: v.pos, name: v.val });
        this.vars.push(v.val);
        break decls;
      }
      if (next.typ === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ pos: v.pos, name: v.val });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const v2 = this.nextNonSpace();
          if (v2.typ !== 'variable') this.errorf('range can only initialize variables');
          const op = this.nextNonSpace();
          if (op.typ !== 'declare' && op.typ !== 'assign') this.errorf('range can only initialize variables');
          pipe.isAssign = op.typ === 'assign';
          pipe.decl.push({ pos: v2.pos, name: v2.val });
          this.vars.push(v2.val);
          break decls;
        }
        this.errorf(`too many declarations in ${context}`);
      }
      if (after.typ === 'space') {
        // `$x y`: not a declaration
      }
      this.i = save;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case 'bool':
        case 'charConstant':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: Pipe, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const a = pipe.cmds[i].args[0];
      if (a.t === 'bool' || a.t === 'dot' || a.t === 'nil' || a.t === 'number' || a.t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private command(): Command {
    const cmd: Command = { pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === 'space') continue;
      if (t.typ === 'rightDelim' || t.typ === 'rightParen') this.backup();
      else if (t.typ !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Arg | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().typ === 'field') {
      const fields: string[] = [];
      const pos = this.peek().pos;
      while (this.peek().typ === 'field') fields.push(this.next().val.slice(1));
      switch (node.t) {
        case 'field':
          return { t: 'field', pos: node.pos, idents: [...node.idents, ...fields] };
        case 'variable':
          return { t: 'variable', pos: node.pos, idents: [...node.idents, ...fields] };
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${goQuote(argString(node))}`);
        // falls through: errorf never returns
        default:
          return { t: 'chain', pos, node, fields };
      }
    }
    return node;
  }

  private term(): Arg | undefined {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'identifier':
        if (!this.funcNames.has(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`);
        return { t: 'identifier', pos: t.pos, name: t.val };
      case 'dot':
        return { t: 'dot', pos: t.pos };
      case 'nil':
        return { t: 'nil', pos: t.pos };
      case 'variable': {
        const name = t.val;
        if (!this.vars.includes(name)) this.errorf(`undefined variable ${goQuote(name)}`);
        return { t: 'variable', pos: t.pos, idents: [name] };
      }
      case 'field':
        return { t: 'field', pos: t.pos, idents: [t.val.slice(1)] };
      case 'bool':
        return { t: 'bool', pos: t.pos, v: t.val === 'true' };
      case 'charConstant':
      case 'number':
        return this.number(t);
      case 'leftParen': {
        const p = this.pipeline('parenthesized pipeline', 'rightParen');
        return { t: 'pipe', pos: t.pos, pipe: p };
      }
      case 'string':
      case 'rawString':
        return { t: 'string', pos: t.pos, quoted: t.val, v: unquote(t.val, this) };
    }
    this.backup();
    return undefined;
  }

  private number(t: Item): Arg {
    const text = t.val;
    if (t.typ === 'charConstant') {
      const s = unquote('"' + text.slice(1, -1).replace(/"/g, '\\"') + '"', this);
      const cp = s.codePointAt(0) ?? 0;
      return { t: 'number', pos: t.pos, text, int: cp, float: cp };
    }
    const clean = text.replace(/_/g, '');
    let n: number;
    if (/^[+-]?0[xX]/.test(clean) && !/[pP.]/.test(clean)) n = parseInt(clean, 16);
    else if (/^[+-]?0[bB]/.test(clean)) n = (clean.startsWith('-') ? -1 : 1) * parseInt(clean.replace(/^[+-]?0[bB]/, ''), 2);
    else if (/^[+-]?0[oO]/.test(clean)) n = (clean.startsWith('-') ? -1 : 1) * parseInt(clean.replace(/^[+-]?0[oO]/, ''), 8);
    else if (/^[+-]?0\d+$/.test(clean)) n = parseInt(clean, 8);
    else n = Number(clean);
    if (text.endsWith('i') || Number.isNaN(n) || clean === '' || clean === '+' || clean === '-') this.errorf(`illegal number syntax: ${goQuote(text)}`);
    const isFloatSyntax = /[.eEpP]/.test(clean) && !/^[+-]?0[xX][0-9a-fA-F]*$/.test(clean);
    if (!isFloatSyntax && Number.isSafeInteger(n)) return { t: 'number', pos: t.pos, text, int: n, float: n };
    return { t: 'number', pos: t.pos, text, float: n };
  }
}

/** strconv.Unquote for "…" and `…`. */
function unquote(s: string, p: { errorf(m: string): never }): string {
  if (s.startsWith('`')) return s.slice(1, -1);
  try {
    return JSON.parse(s.replace(/\\([abfv'])/g, (_m, c: string) => ({ a: '\\u0007', b: '\\b', f: '\\f', v: '\\u000b', "'": "'" })[c] ?? c).replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
  } catch {
    return p.errorf(`invalid syntax`);
  }
}

// ---- Go formatting (fmt) -----------------------------------------------------------------

export { goQuote };

/**
 * fmt's %v of a float64: strconv.FormatFloat(f, 'g', -1, 64) with the exponent form when
 * the decimal exponent is below -4 or reaches 6 (the precision used for shortest output):
 * 80 → 80, 1e6 → 1e+06, 1234567 → 1.234567e+06.
 */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [m, x] = f.toExponential().split('e');
  const e = Number(x);
  if (e < -4 || e >= 6) return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(f);
}

/** The Go type of a value, as errors name it. */
function goType(v: Val): string {
  if (v instanceof GoInt) return 'int';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  return '<nil>';
}

/** fmt's %v of a value. */
export function goV(v: Val, plus = false): string {
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof GoInt) return String(v.v);
  if (typeof v === 'number') return jsonNumbers ? String(v) : goFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (isArray(v)) return '[' + v.map((x) => goV(x, plus)).join(' ') + ']';
  if (isObject(v)) return 'map[' + Object.keys(v).sort().map((k) => `${k}:${goV(v[k], plus)}`).join(' ') + ']';
  return String(v);
}

/** fmt.Sprint: a space between operands when neither side is a string. */
function sprint(args: Val[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && typeof args[i] !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goV(args[i]);
  }
  return out;
}

/** fmt.Sprintf for the verbs a template uses. */
export function sprintf(format: string, args: Val[]): string {
  let out = '';
  let argi = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^([+\-# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?(.)?/s.exec(format.slice(i + 1))!;
    i += m[0].length;
    const flags = m[1];
    let width = m[2] === '*' ? Number((args[argi++] as GoInt)?.v ?? 0) : m[2] !== undefined ? Number(m[2]) : undefined;
    const precision = m[3] === '*' ? Number((args[argi++] as GoInt)?.v ?? 0) : m[3] !== undefined ? Number(m[3]) : m[0].includes('.') ? 0 : undefined;
    const verb = m[4];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argi++];
    let s = formatOne(verb, a, flags, precision);
    if (width !== undefined && width < 0) width = -width;
    if (width !== undefined && s.length < width) {
      if (flags.includes('-')) s = s.padEnd(width);
      else if (flags.includes('0') && /[dfeEgGxXob]/.test(verb) && (typeof a === 'number' || a instanceof GoInt)) {
        const neg = s.startsWith('-') || s.startsWith('+');
        s = neg ? s[0] + s.slice(1).padStart(width - 1, '0') : s.padStart(width, '0');
      } else s = s.padStart(width);
    }
    out += s;
  }
  if (argi < args.length) out += '%!(EXTRA ' + args.slice(argi).map((a) => `${goType(a)}=${goV(a)}`).join(', ') + ')';
  return out;
}

function formatOne(verb: string, a: Val, flags: string, precision: number | undefined): string {
  const bad = () => `%!${verb}(${a === null || a === undefined ? '<nil>' : `${goType(a)}=${goV(a)}`})`;
  const sign = (n: number, s: string) => (n >= 0 && flags.includes('+') ? '+' + s : n >= 0 && flags.includes(' ') ? ' ' + s : s);
  switch (verb) {
    case 'v':
      if (flags.includes('#') && typeof a === 'string') return goQuote(a);
      return a === undefined || a === null ? '<nil>' : goV(a, flags.includes('+'));
    case 's':
      if (typeof a === 'string') return precision !== undefined ? [...a].slice(0, precision).join('') : a;
      if (isArray(a) || isObject(a)) return goV(a);
      return bad();
    case 'q':
      if (typeof a === 'string') return goQuote(a);
      if (a instanceof GoInt) return `'${String.fromCodePoint(a.v)}'`;
      return bad();
    case 'd':
      if (a instanceof GoInt) return sign(a.v, String(a.v));
      return bad();
    case 'x':
    case 'X': {
      let s: string;
      if (a instanceof GoInt) s = (a.v < 0 ? '-' : '') + Math.abs(a.v).toString(16);
      else if (typeof a === 'string') s = [...new TextEncoder().encode(a)].map((b) => b.toString(16).padStart(2, '0')).join('');
      else return bad();
      return verb === 'X' ? s.toUpperCase() : s;
    }
    case 'o':
      if (a instanceof GoInt) return a.v.toString(8);
      return bad();
    case 'b':
      if (a instanceof GoInt) return a.v.toString(2);
      return bad();
    case 'c':
      if (a instanceof GoInt) return String.fromCodePoint(a.v);
      return bad();
    case 't':
      if (typeof a === 'boolean') return String(a);
      return bad();
    case 'f':
    case 'F':
      if (typeof a === 'number') return sign(a, a.toFixed(precision ?? 6));
      return bad();
    case 'e':
    case 'E': {
      if (typeof a !== 'number') return bad();
      const [m, x] = a.toExponential(precision ?? 6).split('e');
      const s = `${m}e${x.startsWith('-') ? '-' : '+'}${x.replace(/^[+-]/, '').padStart(2, '0')}`;
      return sign(a, verb === 'E' ? s.toUpperCase() : s);
    }
    case 'g':
    case 'G':
      if (typeof a !== 'number') return bad();
      return sign(a, precision !== undefined ? String(Number(a.toPrecision(precision || 1))) : goFloat(a));
    default:
      return bad();
  }
}

// ---- execution (text/template/exec.go, funcs.go) ------------------------------------------

class BreakSignal {}
class ContinueSignal {}

/** text/template's safeCall error (a builtin's error, wrapped as `error calling NAME: …`). */
class CallError extends Error {}

interface Var {
  name: string;
  value: Val;
}

export interface GoTemplateOptions {
  /** Called once per unit of work (an action, a range round, 256 bytes written): the line's budget. */
  step?: (n?: number) => void;
}

class Exec {
  out = '';
  vars: Var[];
  node: { pos: number; text: string } | undefined;
  depth = 0;

  constructor(
    private tree: { text: string; name: string; defs: Map<string, TNode[]> },
    data: Val,
    private opts: GoTemplateOptions,
    private dialect?: GoTemplateDialect,
  ) {
    this.vars = [{ name: '$', value: data }];
  }

  private step(n = 1): void {
    this.opts.step?.(n);
  }

  at(pos: number, text: string): void {
    this.node = { pos, text };
  }

  errorf(msg: string): never {
    const name = this.tree.name;
    if (!this.node) throw new GoTemplateError(`template: ${name}: ${msg}`);
    const before = this.tree.text.slice(0, this.node.pos);
    const nl = before.lastIndexOf('\n');
    const col = nl < 0 ? this.node.pos : this.node.pos - (nl + 1);
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    let context = this.node.text;
    if (context.length > 20) context = `${context.slice(0, 20)}...`;
    throw new GoTemplateError(`template: ${name}:${line}:${col}: executing ${goQuote(name)} at <${context}>: ${msg}`);
  }

  write(s: string): void {
    this.out += s;
    if (s.length > 256) this.step(Math.ceil(s.length / 256));
  }

  walkList(list: TNode[], dot: Val): void {
    for (const n of list) this.walk(n, dot);
  }

  walk(n: TNode, dot: Val): void {
    this.step();
    switch (n.t) {
      case 'text':
        this.write(n.text);
        return;
      case 'action': {
        const v = this.evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) this.printValue(n, v);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, n.pipe);
        const truth = isTrue(v);
        if (truth === undefined) {
          this.at(n.pos, nodeString(n));
          this.errorf(`if/with can't use ${goV(v)}`);
        }
        if (truth) this.walkList(n.list, n.t === 'with' ? v : dot);
        else if (n.elseList) this.walkList(n.elseList, dot);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(n, dot);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'template': {
        this.at(n.pos, nodeString(n));
        const body = this.tree.defs.get(n.name);
        if (!body) this.errorf(`template ${goQuote(n.name)} not defined`);
        if (++this.depth > 100000) this.errorf(`exceeded maximum template depth (100000)`);
        const newDot = n.pipe ? this.evalPipeline(dot, n.pipe) : undefined;
        const saved = this.vars;
        this.vars = [{ name: '$', value: newDot }];
        this.walkList(body, newDot);
        this.vars = saved;
        this.depth--;
        return;
      }
    }
  }

  walkRange(n: TNode & { t: 'if' | 'with' | 'range' }, dot: Val): void {
    this.at(n.pos, nodeString(n));
    const mark = this.vars.length;
    const v = this.evalPipeline(dot, n.pipe);
    const mark2 = this.vars.length;
    const one = (index: Val, elem: Val): boolean => {
      this.step();
      if (n.pipe.decl.length > 0) {
        if (n.pipe.isAssign) {
          if (n.pipe.decl.length > 1) {
            this.setVar(n.pipe.decl[0].name, index);
            this.setVar(n.pipe.decl[1].name, elem);
          } else this.setVar(n.pipe.decl[0].name, elem);
        } else {
          this.vars[this.vars.length - 1].value = elem;
          if (n.pipe.decl.length > 1) this.vars[this.vars.length - 2].value = index;
        }
      }
      try {
        this.walkList(n.list, elem);
      } catch (e) {
        if (e instanceof BreakSignal) return false;
        if (!(e instanceof ContinueSignal)) throw e;
      } finally {
        this.vars.length = mark2;
      }
      return true;
    };
    let ran = false;
    if (isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        ran = true;
        if (!one(new GoInt(i), v[i])) break;
      }
    } else if (isObject(v)) {
      for (const k of Object.keys(v).sort()) {
        ran = true;
        if (!one(k, v[k])) break;
      }
    } else if (v instanceof GoInt) {
      if (n.pipe.decl.length > 1) this.errorf(`can't use ${v.v} to iterate over more than one variable`);
      for (let i = 0; i < v.v; i++) {
        ran = true;
        if (!one(new GoInt(i), new GoInt(i))) break;
      }
    } else if (typeof v === 'number') {
      this.errorf(`range can't iterate over ${goFloat(v)}`);
    } else if (typeof v === 'string' || typeof v === 'boolean') {
      this.errorf(`range can't iterate over ${goV(v)}`);
    }
    if (!ran && n.elseList) this.walkList(n.elseList, dot);
    this.vars.length = mark;
  }

  setVar(name: string, value: Val): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  varValue(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.errorf(`undefined variable: ${name}`);
  }

  printValue(n: TNode, v: Val): void {
    this.at(n.pos, nodeString(n));
    this.write(v === undefined ? '<no value>' : goV(v));
  }

  evalPipeline(dot: Val, pipe: Pipe): Val {
    this.at(pipe.pos, pipeString(pipe));
    let value: Val = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // an interface{} holding nil is dug down to nothing (exec.go: "lovely!")
      if (value === null) value = undefined;
    }
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.name, value);
      else this.vars.push({ name: d.name, value });
    }
    return value;
  }

  evalCommand(dot: Val, cmd: Command, final: Val): Val {
    const first = cmd.args[0];
    switch (first.t) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first.pipe);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first.pos, argString(first));
    this.notAFunction(cmd.args, final);
    switch (first.t) {
      case 'bool':
        return first.v;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      // falls through: errorf never returns
      case 'number':
        return first.int !== undefined ? new GoInt(first.int) : first.float;
      case 'string':
        return first.v;
    }
    this.errorf(`can't evaluate command ${goQuote(argString(first))}`);
  }

  notAFunction(args: Arg[], final: Val): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${argString(args[0])}`);
  }

  evalFieldNode(dot: Val, f: Arg & { t: 'field' }, args: Arg[], final: Val): Val {
    this.at(f.pos, argString(f));
    return this.evalFieldChain(dot, dot, f.idents, args, final, dot === this.vars[0].value && isObject(dot) ? 'map[string]interface {}' : 'interface {}');
  }

  evalChain(dot: Val, chain: Arg & { t: 'chain' }, args: Arg[], final: Val): Val {
    this.at(chain.pos, argString(chain));
    const pipe = chain.node.t === 'pipe' ? this.evalPipeline(dot, chain.node.pipe) : this.evalArg(dot, chain.node);
    return this.evalFieldChain(dot, pipe === null ? undefined : pipe, chain.fields, args, final, goType(pipe));
  }

  evalVariable(dot: Val, v: Arg & { t: 'variable' }, args: Arg[], final: Val): Val {
    this.at(v.pos, argString(v));
    const value = this.varValue(v.idents[0]);
    if (v.idents.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v.idents.slice(1), args, final, goType(value));
  }

  evalFieldChain(dot: Val, receiver: Val, idents: string[], args: Arg[], final: Val, firstType: string): Val {
    let r = receiver;
    let typ = firstType;
    for (let i = 0; i < idents.length; i++) {
      const last = i === idents.length - 1;
      r = this.evalField(idents[i], last ? args : [], last ? final : MISSING, r, typ);
      typ = 'interface {}';
    }
    return r;
  }

  evalField(name: string, args: Arg[], final: Val, receiver: Val, typ: string): Val {
    if (receiver === undefined) return undefined;
    if (receiver === null) this.errorf(`nil pointer evaluating ${typ}.${name}`);
    if (isObject(receiver)) {
      if (args.length > 1 || final !== MISSING) this.errorf(`${name} is not a method but has arguments`);
      if (Object.prototype.hasOwnProperty.call(receiver, name)) return receiver[name];
      if (this.dialect?.missingKeyError) this.errorf(`map has no entry for key ${goQuote(name)}`);
      return undefined;
    }
    this.errorf(`can't evaluate field ${name} in type ${typ}`);
  }

  evalArg(dot: Val, a: Arg): Val {
    this.at(a.pos, argString(a));
    switch (a.t) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'field':
        return this.evalFieldNode(dot, a, [a], MISSING);
      case 'variable':
        return this.evalVariable(dot, a, [a], MISSING);
      case 'pipe':
        return this.evalPipeline(dot, a.pipe);
      case 'identifier':
        return this.evalFunction(dot, a, undefined, [a], MISSING);
      case 'chain':
        return this.evalChain(dot, a, [a], MISSING);
      case 'bool':
        return a.v;
      case 'string':
        return a.v;
      case 'number':
        return a.int !== undefined ? new GoInt(a.int) : a.float;
    }
  }

  evalFunction(dot: Val, id: Arg & { t: 'identifier' }, cmd: Command | undefined, args: Arg[], final: Val): Val {
    this.at(id.pos, id.name);
    const name = id.name;
    const argNodes = args.slice(1);
    // evalCall checks the count before it evaluates any argument
    const n = argNodes.length + (final !== MISSING ? 1 : 0);
    const own = this.dialect?.funcs[name];
    const [fixed, variadic] = own?.arity ?? ARITY[name] ?? [0, true];
    if (variadic ? n < fixed : n !== fixed) this.errorf(`wrong number of args for ${name}: want ${variadic ? 'at least ' : ''}${fixed} got ${n}`);
    // and/or evaluate lazily (Go 1.18)
    if (name === 'and' || name === 'or') {
      let v: Val = MISSING;
      const all = [...argNodes.map((a) => () => this.evalArg(dot, a)), ...(final !== MISSING ? [() => final] : [])];
      for (const get of all) {
        v = get();
        const t = isTrue(v) ?? false;
        if (name === 'and' ? !t : t) return v;
      }
      return v;
    }
    const values = argNodes.map((a) => this.evalArg(dot, a));
    if (final !== MISSING) values.push(final);
    try {
      return own ? own.call(values) : callBuiltin(name, values, (msg) => this.errorf(msg));
    } catch (e) {
      if (e instanceof CallError) {
        // evalCall reports at the command (`<index .items 5>`)
        if (cmd) this.at(cmd.pos, cmd.args.map(argString).join(' '));
        this.errorf(`error calling ${name}: ${e.message}`);
      }
      throw e;
    }
  }

  run(list: TNode[]): string {
    this.walkList(list, this.vars[0].value);
    return this.out;
  }
}

const MISSING: Val = Symbol('missing');

/** text/template isTrue: undefined when the value has no truth (a func, a chan…). */
function isTrue(v: Val): boolean | undefined {
  if (v === undefined || v === null) return false;
  if (v instanceof GoInt) return v.v !== 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'boolean') return v;
  if (isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';
function basicKind(v: Val): Kind {
  if (v instanceof GoInt) return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v === undefined || v === null) return 'invalid';
  return 'other';
}
const num = (v: Val) => (v instanceof GoInt ? v.v : (v as number));

function eq(a: Val, rest: Val[]): boolean {
  if (rest.length === 0) throw new CallError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if (a !== undefined && a !== null && b !== undefined && b !== null) throw new CallError('incompatible types for comparison');
    } else if (k1 === 'int' || k1 === 'float') truth = num(a) === num(b);
    else if (k1 === 'other') throw new CallError(`non-comparable types ${goV(a)}: ${goType(a)}, ${goType(b)}: ${goV(b)}`);
    else truth = a === b || ((a === undefined || a === null) && (b === undefined || b === null));
    if (truth) return true;
  }
  return false;
}

function lt(a: Val, b: Val): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new CallError('invalid type for comparison');
  if (k1 !== k2) throw new CallError('incompatible types for comparison');
  if (k1 === 'bool') throw new CallError('invalid type for comparison');
  if (k1 === 'string') return (a as string) < (b as string);
  return num(a) < num(b);
}

/** encoding/base64 StdEncoding.DecodeString, with its CorruptInputError offsets. */
function base64decode(s: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const fail = (at: number): never => {
    throw new CallError(`base64 decode failed: illegal base64 data at input byte ${at}`);
  };
  const bytes: number[] = [];
  let si = 0;
  while (si < s.length) {
    const q: number[] = [];
    let j = 0;
    let padded = false;
    for (; j < 4; j++) {
      while (si < s.length && (s[si] === '\n' || s[si] === '\r')) si++;
      if (si === s.length) {
        if (j === 0) break;
        fail(si - j);
      }
      const c = s[si++];
      if (c === '=') {
        if (j < 2) fail(si - 1);
        if (j === 2) {
          while (si < s.length && (s[si] === '\n' || s[si] === '\r')) si++;
          if (si === s.length) fail(s.length);
          if (s[si] !== '=') fail(si - 1);
          si++;
        }
        while (si < s.length && (s[si] === '\n' || s[si] === '\r')) si++;
        if (si < s.length) fail(si);
        padded = true;
        break;
      }
      const v = alphabet.indexOf(c);
      if (v < 0) fail(si - 1);
      q.push(v);
    }
    if (q.length === 0) break;
    const n = (q[0] << 18) | ((q[1] ?? 0) << 12) | ((q[2] ?? 0) << 6) | (q[3] ?? 0);
    bytes.push((n >> 16) & 0xff);
    if (q.length > 2) bytes.push((n >> 8) & 0xff);
    if (q.length > 3) bytes.push(n & 0xff);
    if (padded) break;
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function expectString(v: Val, errorf: (m: string) => never): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) errorf('invalid value; expected string');
  errorf(`wrong type for value; expected string; got ${goType(v)}`);
}

/** Each builtin's parameter count: [fixed, variadic] (funcs.go builtins' signatures). */
const ARITY: Record<string, [number, boolean]> = {
  and: [1, true], or: [1, true], not: [1, false], len: [1, false], index: [1, true], slice: [1, true], print: [0, true], println: [0, true],
  printf: [1, true], eq: [1, true], ne: [2, false], lt: [2, false], le: [2, false], gt: [2, false], ge: [2, false], html: [0, true], js: [0, true],
  urlquery: [0, true], call: [1, true], exists: [1, true], base64decode: [1, false],
};

function callBuiltin(name: string, args: Val[], errorf: (m: string) => never): Val {
  switch (name) {
    case 'not':
      return !isTrue(args[0]);
    case 'len': {
      const v = args[0];
      if (v === undefined) throw new CallError('reflect: call of reflect.Value.Type on zero Value');
      if (v === null) throw new CallError('len of nil pointer');
      if (typeof v === 'string') return new GoInt(new TextEncoder().encode(v).length);
      if (isArray(v)) return new GoInt(v.length);
      if (isObject(v)) return new GoInt(Object.keys(v).length);
      throw new CallError(`len of type ${goType(v)}`);
    }
    case 'index': {
      let item = args[0];
      if (item === undefined || item === null) throw new CallError('index of untyped nil');
      for (const ix of args.slice(1)) {
        if (item === null) throw new CallError('index of nil pointer');
        if (isArray(item) || typeof item === 'string') {
          if (ix === undefined || ix === null) throw new CallError('cannot index slice/array with nil');
          if (!(ix instanceof GoInt)) throw new CallError(`cannot index slice/array with type ${goType(ix)}`);
          const len = typeof item === 'string' ? new TextEncoder().encode(item).length : item.length;
          if (ix.v < 0 || ix.v > len) throw new CallError(`index out of range: ${ix.v}`);
          if (ix.v === len) throw new CallError(`reflect: ${typeof item === 'string' ? 'string' : 'slice'} index out of range`);
          item = typeof item === 'string' ? new GoInt(new TextEncoder().encode(item)[ix.v]) : item[ix.v];
        } else if (isObject(item)) {
          if (typeof ix !== 'string') throw new CallError(ix === undefined || ix === null ? 'value is nil; should be of type string' : `value has type ${goType(ix)}; should be string`);
          item = Object.prototype.hasOwnProperty.call(item, ix) ? item[ix] : null;
        } else {
          throw new CallError(`can't index item of type ${goType(item)}`);
        }
      }
      return item;
    }
    case 'slice': {
      const item = args[0];
      if (item === undefined || item === null) throw new CallError('slice of untyped nil');
      if (args.length > 4) throw new CallError(`too many slice indexes: ${args.length - 1}`);
      if (!isArray(item) && typeof item !== 'string') throw new CallError(`can't slice item of type ${goType(item)}`);
      if (typeof item === 'string' && args.length > 3) throw new CallError('cannot 3-index slice a string');
      const len = item.length;
      const idx = args.slice(1).map((x) => {
        if (!(x instanceof GoInt)) throw new CallError(x === undefined || x === null ? 'cannot index slice/array with nil' : `cannot index slice/array with type ${goType(x)}`);
        if (x.v < 0 || x.v > len) throw new CallError(`index out of range: ${x.v}`);
        return x.v;
      });
      const i = idx[0] ?? 0;
      const j = idx[1] ?? len;
      if (i > j) throw new CallError(`invalid slice index: ${i} > ${j}`);
      return item.slice(i, j);
    }
    case 'print':
      return sprint(args);
    case 'println':
      return args.map((a) => goV(a)).join(' ') + '\n';
    case 'printf': {
      return sprintf(expectString(args[0], errorf), args.slice(1));
    }
    case 'eq':
      return eq(args[0], args.slice(1));
    case 'ne':
      return !eq(args[0], [args[1]]);
    case 'lt':
      return lt(args[0], args[1]);
    case 'le':
      return lt(args[0], args[1]) || eq(args[0], [args[1]]);
    case 'gt':
      return !lt(args[0], args[1]) && !eq(args[0], [args[1]]);
    case 'ge':
      return !lt(args[0], args[1]);
    case 'html':
      return sprint(args).replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
    case 'js':
      return sprint(args).replace(/[\\'"<>&=\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
    case 'urlquery':
      return encodeURIComponent(sprint(args)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    case 'call':
      throw new CallError(`non-function ${argsName(args[0])} of type ${goType(args[0])}`);
    case 'exists': {
      // cli-runtime template.go exists(item, indices...): whether the path resolves
      let v = args[0];
      for (const ix of args.slice(1)) {
        if (isObject(v) && typeof ix === 'string') {
          if (!Object.prototype.hasOwnProperty.call(v, ix)) return false;
          v = v[ix];
        } else if (isArray(v) && ix instanceof GoInt) {
          if (ix.v < 0 || ix.v >= v.length) return false;
          v = v[ix.v];
        } else return false;
      }
      return true;
    }
    case 'base64decode':
      return base64decode(expectString(args[0], errorf));
  }
  errorf(`"${name}" is not a defined function`);
}

function argsName(v: Val): string {
  return goV(v);
}

export interface CompiledGoTemplate {
  execute(data: unknown, opts?: GoTemplateOptions): string;
}

/** Parses a template as template.New("output").Parse does. Throws GoTemplateError. */
export function compileGoTemplate(text: string, name = 'output', dialect?: GoTemplateDialect): CompiledGoTemplate {
  const p = new Parser(text, name, dialect ? new Set([...CORE_BUILTINS, ...Object.keys(dialect.funcs)]) : KUBECTL_FUNCS);
  const list = p.parse();
  const tree = { text, name, defs: p.defs };
  return {
    execute: (data, opts = {}) => {
      const ex = new Exec(tree, data, opts, dialect);
      jsonNumbers = !!dialect?.jsonNumbers;
      try {
        return ex.run(list);
      } catch (e) {
        if (e instanceof GoTemplateError) throw new GoTemplateExecError(e.message, ex.out);
        throw e;
      } finally {
        jsonNumbers = false;
      }
    },
  };
}

/** What the execution-error report shows as `object given to template engine was:` (%+v of the map). */
export function goTemplateDataString(v: unknown): string {
  return goV(v, true);
}


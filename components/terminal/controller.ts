/**
 * The terminal's brain, free of React and the DOM: a readline-style line editor in front
 * of the simulated shell. It turns the bytes xterm hands us (keys, pastes) into edits,
 * history moves, completions and command runs, and writes what the screen should show.
 *
 * Kept pure so it is unit-tested in Node with a fake screen (tests/unit/platform/).
 */
import type { EditRequest, OutputChunk } from '@/engine';

/** What the controller needs from the screen (xterm in the browser, a string in tests). */
export interface Screen {
  write(data: string): void;
  readonly cols: number;
  /** Clears the screen and the scrollback. */
  clear(): void;
  bell?(): void;
}

/**
 * A running command line, as the engine's client hands it back (lib/engine-worker/client.ts
 * RemoteExecution): the engine steps it in its worker and tells the controller when its
 * output, its editor (`kubectl edit`) or its end arrive.
 */
export interface ExecutionLike {
  running: boolean;
  exitCode: number | null;
  /** Set while the command waits for the editor. */
  edit?: EditRequest;
  takeOutput(): OutputChunk[];
  /** Ctrl+C: the result arrives through watch. */
  interrupt(): void;
  /** Calls `fn` now and whenever the command has news. */
  watch(fn: () => void): void;
  /** The editor closed; the result arrives through watch. */
  finishEdit(saved: string | null): void;
}

export interface Completion {
  from: number;
  candidates: string[];
}

/** A value now, or later (an engine in a worker answers by message). */
export type Answer<T> = T | PromiseLike<T>;

/** Calls `fn` with `v` at once when it is a value, or once the promise settles (`fallback` if it fails). */
function settle<T>(v: Answer<T>, fallback: T, fn: (v: T) => void): void {
  if (v && typeof (v as PromiseLike<T>).then === 'function') {
    (v as PromiseLike<T>).then(fn, () => fn(fallback));
  } else fn(v as T);
}

/** What the controller needs from the simulation. */
export interface ShellBackend {
  prompt(): string;
  needsMoreInput(text: string): Answer<boolean>;
  complete(line: string, cursor: number): Answer<Completion>;
  /** `more`: further complete lines (a paste) are queued behind this one. */
  start(line: string, more?: boolean): ExecutionLike;
}

export interface ControllerHooks {
  /** Before a command line runs (the workspace advances the virtual clock here). */
  beforeRun?(line: string): void;
  /** After a command line finished (re-grade, persist); `more`: further pasted lines are queued behind it. */
  afterRun?(line: string, exitCode: number, more: boolean): void;
  /** `kubectl edit` and friends: open `edit.path` in the editor; call `done(saved|null)` later. */
  openEditor?(edit: EditRequest, done: (saved: string | null) => void): void;
  /** History changed (persist it). */
  historyChanged?(history: string[]): void;
  /** The transcript changed (persist it, debounced by the caller). */
  transcriptChanged?(): void;
  /** A typed command line was run (the playground's recorder listens). */
  commandRan?(line: string, exitCode: number): void;
}

const MAX_HISTORY = 500;
const MAX_TRANSCRIPT = 120_000;
const ESC = '\x1b';

/** Visible width of a string that may hold ANSI colour codes. */
export function visibleLength(s: string): number {
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').length;
}

/** Colours a bash-style prompt the way Debian's default .bashrc does (green user@host, blue path). */
export function colorPrompt(prompt: string): string {
  const m = /^([^@\s]+@[^:\s]+):([^$#]*)([$#] ?)$/.exec(prompt);
  if (!m) return prompt;
  return `${ESC}[1;32m${m[1]}${ESC}[0m:${ESC}[1;34m${m[2]}${ESC}[0m${m[3]}`;
}

/** Lays out completion candidates in columns, column-major, as bash does on a double Tab. */
export function formatColumns(items: string[], width: number): string {
  if (items.length === 0) return '';
  const colWidth = Math.max(...items.map((s) => s.length)) + 2;
  const cols = Math.max(1, Math.floor((width + 2) / colWidth));
  const rows = Math.ceil(items.length / cols);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < cols; c++) {
      const i = c * rows + r;
      if (i >= items.length) break;
      const last = c === cols - 1 || (c + 1) * rows + r >= items.length;
      line += last ? items[i] : items[i].padEnd(colWidth);
    }
    lines.push(line);
  }
  return lines.join('\r\n') + '\r\n';
}

function commonPrefix(words: string[]): string {
  if (words.length === 0) return '';
  let p = words[0];
  for (const w of words) {
    let i = 0;
    while (i < p.length && i < w.length && p[i] === w[i]) i++;
    p = p.slice(0, i);
  }
  return p;
}

/** `waiting`: the shell is answering a question (is the line complete? completions?); keys wait. */
type Mode = 'edit' | 'running' | 'editor' | 'waiting';

export class TerminalController {
  private mode: Mode = 'edit';
  private buffer = '';
  private cursor = 0;
  /** Lines of a command still being entered (heredoc, open quote, trailing backslash). */
  private pending: string[] = [];
  private draining = false;
  private history: string[];
  private historyIndex: number;
  private draft = '';
  private killRing = '';
  private queue = '';
  private lastKeyWasTab = false;
  private exec: ExecutionLike | null = null;
  private runningLine = '';
  /** What the screen shows, as plain committed text (prompts, commands, output) for restore. */
  private transcript = '';
  /** The prompt shown for the line being edited (with colour). */
  private shownPrompt = '';
  /** Ctrl+R's reverse incremental search (readline's): the query, the history entry shown, the line it started from. */
  private search: { query: string; at: number; failed: boolean; before: { buffer: string; cursor: number } } | null = null;
  /** Where the line being edited starts, relative to the cursor's row: rows above the cursor. */
  private cursorRow = 0;
  /** The screen column where the prompt starts (output may end without a newline). */
  private startCol = 0;
  /** The column output left the cursor at. */
  private outCol = 0;
  private disposed = false;
  /** The line exactly filled its last row, so the cursor already sits at the start of a new one. */
  private endOnFreshRow = false;
  /** Keys typed before start() (while the cluster is being built) wait in the queue. */
  private started = false;
  /** Ctrl+C was pressed on the running command: its next output starts on a fresh line. */
  private interrupted = false;

  constructor(
    private screen: Screen,
    private backend: ShellBackend,
    private hooks: ControllerHooks = {},
    init: { history?: string[]; transcript?: string } = {},
  ) {
    this.history = (init.history ?? []).slice(-MAX_HISTORY);
    this.historyIndex = this.history.length;
    if (init.transcript) {
      this.transcript = init.transcript;
      this.screen.write(init.transcript);
      this.trackColumn(init.transcript);
    }
  }

  // ---- public -------------------------------------------------------------------------

  /** Shows the prompt and runs whatever was typed before the shell was ready. */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.showPrompt();
    if (this.queue) this.drain();
  }

  get busy(): boolean {
    return this.mode !== 'edit';
  }

  getHistory(): string[] {
    return this.history.slice();
  }

  getTranscript(): string {
    return this.transcript;
  }

  /** The line being edited (for tests and the a11y live region). */
  get line(): string {
    return this.buffer;
  }

  dispose(): void {
    this.disposed = true;
  }

  /** Input from xterm's onData: keys, escape sequences, pasted text. */
  handleData(data: string): void {
    if (this.disposed) return;
    if (!this.started) {
      this.queue += data;
      return;
    }
    if (this.mode !== 'edit') {
      if (data.includes('\x03')) {
        this.interrupt();
        return;
      }
      // Typed ahead while a command runs: keep it for the next prompt, as a tty would.
      if (this.mode === 'running' || this.mode === 'waiting') this.queue += data;
      return;
    }
    this.queue += data;
    this.drain();
  }

  /** Types a line and runs it, as if pasted (the <Try> buttons in the prose use this). */
  paste(text: string): void {
    this.handleData(text.replace(/\r?\n/g, '\r'));
  }

  /** Clears the screen (Ctrl+L, the `clear` command) and redraws the line being edited. */
  clearScreen(): void {
    this.screen.clear();
    this.transcript = '';
    this.hooks.transcriptChanged?.();
    if (this.mode === 'edit') {
      this.cursorRow = 0;
      this.startCol = 0;
      this.drawLine(true);
    }
  }

  /** The screen changed width: xterm re-wrapped the line, so find the cursor's row again. */
  resized(): void {
    if (this.mode !== 'edit' || !this.started) return;
    const cols = Math.max(1, this.screen.cols);
    this.cursorRow = Math.floor((this.startCol + visibleLength(this.shownPrompt) + this.cursor) / cols);
  }

  /** The prompt may change without a command (nothing today, but contexts can change). */
  refreshPrompt(): void {
    if (this.mode !== 'edit') return;
    this.eraseLine();
    this.shownPrompt = colorPrompt(this.pending.length ? '> ' : this.backend.prompt());
    this.drawLine();
  }

  // ---- input processing ---------------------------------------------------------------

  /**
   * Processes queued input. Not re-entrant: with a backend that answers at once, a line's
   * end (finished → drain) happens inside the drain that submitted it; the outer loop then
   * takes the next line, so pasting 2,000 lines does not nest 2,000 calls deep.
   */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      this.drainQueue();
    } finally {
      this.draining = false;
    }
  }

  private drainQueue(): void {
    while (this.queue && this.mode === 'edit' && !this.disposed) {
      const q = this.queue;
      if (this.search) {
        const m = /^[^\x00-\x1f\x7f]+/.exec(q);
        if (m) {
          this.queue = q.slice(m[0].length);
          this.searchFor(this.search.query + m[0], this.search.at);
          continue;
        }
        if (q[0] === '\x12') {
          // Ctrl+R again: the next older match
          this.queue = q.slice(1);
          this.searchFor(this.search.query, this.search.at - 1);
          continue;
        }
        if (q[0] === '\x7f' || q[0] === '\b') {
          this.queue = q.slice(1);
          this.searchFor(this.search.query.slice(0, -1), this.history.length - 1);
          continue;
        }
        if (q[0] === '\x07' || q[0] === '\x03') {
          // Ctrl+G / Ctrl+C: give up, the line is as it was
          this.queue = q.slice(1);
          this.endSearch(false);
          continue;
        }
        if (q[0] === ESC && /^\x1b(?![\[O])/.test(q) && q.length === 1) {
          // a lone Esc keeps the found line for editing
          this.queue = q.slice(1);
          this.endSearch(true);
          continue;
        }
        // anything else (Enter, arrows, Ctrl+A/E …) keeps the found line and then acts on it
        this.endSearch(true);
        continue;
      }
      // A run of printable text (typing or a paste) is inserted in one go.
      const m = /^[^\x00-\x1f\x7f]+/.exec(q);
      if (m) {
        this.queue = q.slice(m[0].length);
        this.lastKeyWasTab = false;
        // Bracketed-paste markers never reach here (we do not enable the mode).
        this.insert(m[0]);
        continue;
      }
      if (q[0] === ESC) {
        const seq = /^\x1b(\[[0-9;]*[~A-Za-z]|O[A-Za-z]|[bfdBFD.]|\x7f)?/.exec(q)![0];
        this.queue = q.slice(seq.length);
        this.lastKeyWasTab = false;
        this.escape(seq);
        continue;
      }
      this.queue = q.slice(1);
      const wasTab = this.lastKeyWasTab;
      this.lastKeyWasTab = false;
      this.control(q[0], wasTab);
    }
  }

  private control(ch: string, wasTab: boolean): void {
    switch (ch) {
      case '\r':
      case '\n':
        this.submit();
        return;
      case '\x7f':
      case '\b':
        if (this.cursor > 0) this.edit(this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor), this.cursor - 1);
        return;
      case '\x12': // Ctrl+R: reverse incremental search through the history
        this.search = { query: '', at: this.history.length, failed: false, before: { buffer: this.buffer, cursor: this.cursor } };
        this.drawSearch();
        return;
      case '\x01': // Ctrl+A
        this.moveTo(0);
        return;
      case '\x05': // Ctrl+E
        this.moveTo(this.buffer.length);
        return;
      case '\x02': // Ctrl+B
        this.moveTo(this.cursor - 1);
        return;
      case '\x06': // Ctrl+F
        this.moveTo(this.cursor + 1);
        return;
      case '\x15': // Ctrl+U: kill to the start of the line
        this.killRing = this.buffer.slice(0, this.cursor);
        this.edit(this.buffer.slice(this.cursor), 0);
        return;
      case '\x0b': // Ctrl+K: kill to the end of the line
        this.killRing = this.buffer.slice(this.cursor);
        this.edit(this.buffer.slice(0, this.cursor), this.cursor);
        return;
      case '\x17': {
        // Ctrl+W: kill the whitespace-delimited word before the cursor (unix-word-rubout)
        let i = this.cursor;
        while (i > 0 && this.buffer[i - 1] === ' ') i--;
        while (i > 0 && this.buffer[i - 1] !== ' ') i--;
        this.killRing = this.buffer.slice(i, this.cursor);
        this.edit(this.buffer.slice(0, i) + this.buffer.slice(this.cursor), i);
        return;
      }
      case '\x19': // Ctrl+Y: yank
        if (this.killRing) this.insert(this.killRing);
        return;
      case '\x03': // Ctrl+C: abandon the line
        this.screen.write('^C\r\n');
        this.commitTranscript(this.shownPrompt + this.displayBuffer() + '^C\r\n');
        this.pending = [];
        this.buffer = '';
        this.cursor = 0;
        this.historyIndex = this.history.length;
        this.queue = '';
        this.showPrompt();
        return;
      case '\x04': // Ctrl+D: delete under the cursor, or leave a pod/node on an empty line
        if (this.buffer.length > 0) {
          if (this.cursor < this.buffer.length) this.edit(this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1), this.cursor);
        } else if (this.pending.length === 0 && !this.backend.prompt().startsWith('learner@workstation')) {
          this.buffer = 'exit';
          this.cursor = 4;
          this.drawLine(true);
          this.submit();
        }
        return;
      case '\x0c': // Ctrl+L
        this.clearScreen();
        return;
      case '\x10': // Ctrl+P
        this.historyMove(-1);
        return;
      case '\x0e': // Ctrl+N
        this.historyMove(1);
        return;
      case '\t':
        this.lastKeyWasTab = true;
        this.tab(wasTab);
        return;
      default:
        return; // other control characters do nothing, as in readline's defaults
    }
  }

  private escape(seq: string): void {
    switch (seq) {
      case '\x1b[A':
      case '\x1bOA':
        this.historyMove(-1);
        return;
      case '\x1b[B':
      case '\x1bOB':
        this.historyMove(1);
        return;
      case '\x1b[C':
      case '\x1bOC':
        this.moveTo(this.cursor + 1);
        return;
      case '\x1b[D':
      case '\x1bOD':
        this.moveTo(this.cursor - 1);
        return;
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
      case '\x1b[7~':
        this.moveTo(0);
        return;
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
      case '\x1b[8~':
        this.moveTo(this.buffer.length);
        return;
      case '\x1b[3~':
        if (this.cursor < this.buffer.length) this.edit(this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1), this.cursor);
        return;
      case '\x1b[1;5D':
      case '\x1b[1;3D':
      case '\x1bb':
        this.moveTo(this.wordLeft());
        return;
      case '\x1b[1;5C':
      case '\x1b[1;3C':
      case '\x1bf':
        this.moveTo(this.wordRight());
        return;
      case '\x1bd': {
        const end = this.wordRight();
        this.killRing = this.buffer.slice(this.cursor, end);
        this.edit(this.buffer.slice(0, this.cursor) + this.buffer.slice(end), this.cursor);
        return;
      }
      case '\x1b\x7f': {
        const start = this.wordLeft();
        this.killRing = this.buffer.slice(start, this.cursor);
        this.edit(this.buffer.slice(0, start) + this.buffer.slice(this.cursor), start);
        return;
      }
      default:
        return;
    }
  }

  private wordLeft(): number {
    let i = this.cursor;
    while (i > 0 && !/[A-Za-z0-9]/.test(this.buffer[i - 1])) i--;
    while (i > 0 && /[A-Za-z0-9]/.test(this.buffer[i - 1])) i--;
    return i;
  }

  private wordRight(): number {
    let i = this.cursor;
    while (i < this.buffer.length && !/[A-Za-z0-9]/.test(this.buffer[i])) i++;
    while (i < this.buffer.length && /[A-Za-z0-9]/.test(this.buffer[i])) i++;
    return i;
  }

  private insert(text: string): void {
    this.edit(this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor), this.cursor + text.length);
  }

  private historyMove(delta: number): void {
    const next = this.historyIndex + delta;
    if (next < 0 || next > this.history.length) {
      this.screen.bell?.();
      return;
    }
    if (this.historyIndex === this.history.length) this.draft = this.buffer;
    this.historyIndex = next;
    const text = next === this.history.length ? this.draft : this.history[next];
    this.edit(text, text.length);
  }

  /** Looks for `query` in the history from entry `from` back to the oldest, as readline's reverse-i-search does. */
  private searchFor(query: string, from: number): void {
    const st = this.search!;
    st.query = query;
    if (query === '') {
      st.failed = false;
      st.at = this.history.length;
      this.buffer = st.before.buffer;
      this.cursor = st.before.cursor;
      this.drawSearch();
      return;
    }
    for (let i = Math.min(from, this.history.length - 1); i >= 0; i--) {
      const at = this.history[i].lastIndexOf(query);
      if (at >= 0) {
        st.at = i;
        st.failed = false;
        this.buffer = this.history[i];
        this.cursor = at;
        this.drawSearch();
        return;
      }
    }
    st.failed = true;
    this.screen.bell?.();
    this.drawSearch();
  }

  private drawSearch(): void {
    const st = this.search!;
    this.shownPrompt = `(${st.failed ? 'failed ' : ''}reverse-i-search)\`${st.query}': `;
    this.drawLine();
  }

  /** Leaves the search: keep the found line (to run or edit), or go back to the line as it was. */
  private endSearch(keep: boolean): void {
    const st = this.search!;
    this.search = null;
    if (keep && st.at < this.history.length) this.historyIndex = st.at;
    else if (!keep) {
      this.buffer = st.before.buffer;
      this.cursor = st.before.cursor;
    }
    this.shownPrompt = colorPrompt(this.pending.length ? '> ' : this.backend.prompt());
    this.drawLine();
  }

  // ---- completion ---------------------------------------------------------------------

  private tab(second: boolean): void {
    let answer: Answer<Completion>;
    const none: Completion = { from: 0, candidates: [] };
    try {
      answer = this.backend.complete(this.linePrefixForCompletion(), this.pendingOffset() + this.cursor);
    } catch {
      answer = none;
    }
    this.mode = 'waiting';
    settle(answer, none, (result) => {
      if (this.disposed || this.mode !== 'waiting') return;
      this.mode = 'edit';
      this.completed(result, second);
      if (this.queue) this.drain();
    });
  }

  private completed(result: Completion, second: boolean): void {
    const offset = this.pendingOffset();
    const from = Math.max(0, result.from - offset);
    const candidates = [...new Set(result.candidates)];
    if (candidates.length === 0) {
      this.screen.bell?.();
      return;
    }
    const typed = this.buffer.slice(from, this.cursor);
    if (candidates.length === 1) {
      const c = candidates[0];
      const suffix = /[/=:]$/.test(c) ? '' : ' ';
      const after = this.buffer.slice(this.cursor);
      const addSpace = suffix && !after.startsWith(' ') ? suffix : '';
      this.edit(this.buffer.slice(0, from) + c + addSpace + after, from + c.length + addSpace.length);
      return;
    }
    const prefix = commonPrefix(candidates);
    if (prefix.length > typed.length && prefix.startsWith(typed)) {
      this.edit(this.buffer.slice(0, from) + prefix + this.buffer.slice(this.cursor), from + prefix.length);
      return;
    }
    if (!second) {
      this.screen.bell?.();
      this.lastKeyWasTab = true;
      return;
    }
    // Second Tab: list the candidates below the line, then redraw the line, as bash does.
    this.moveTo(this.buffer.length);
    const list = formatColumns(candidates.slice().sort(), this.screen.cols);
    this.screen.write('\r\n' + list);
    this.commitTranscript(this.shownPrompt + this.displayBuffer() + '\r\n' + list);
    this.cursorRow = 0;
    this.startCol = 0;
    this.drawLine(true);
  }

  /** The whole command text up to the cursor's line, for completing inside a heredoc etc. */
  private linePrefixForCompletion(): string {
    return this.pending.length ? this.pending.join('\n') + '\n' + this.buffer : this.buffer;
  }

  private pendingOffset(): number {
    return this.pending.length ? this.pending.join('\n').length + 1 : 0;
  }

  // ---- running ------------------------------------------------------------------------

  private submit(): void {
    this.moveTo(this.buffer.length);
    // A line that exactly fills its last row already moved to a fresh row (no blank line).
    if (!this.endOnFreshRow) this.screen.write('\r\n');
    this.endOnFreshRow = false;
    const typedLine = this.buffer;
    this.commitTranscript(this.shownPrompt + this.displayBuffer() + '\r\n');
    const full = this.pending.length ? [...this.pending, typedLine].join('\n') : typedLine;
    this.buffer = '';
    this.cursor = 0;
    this.cursorRow = 0;
    let answer: Answer<boolean>;
    try {
      answer = this.backend.needsMoreInput(full);
    } catch {
      answer = false;
    }
    this.mode = 'waiting';
    settle(answer, false, (more) => {
      if (this.disposed || this.mode !== 'waiting') return;
      this.mode = 'edit';
      this.submitted(full, typedLine, more);
      if (this.mode === 'edit' && this.queue) this.drain();
    });
  }

  private submitted(full: string, typedLine: string, more: boolean): void {
    if (more) {
      this.pending.push(typedLine);
      this.showPrompt();
      return;
    }
    this.pending = [];
    this.draft = '';
    if (full.trim() !== '') {
      if (this.history[this.history.length - 1] !== full) {
        this.history.push(full);
        if (this.history.length > MAX_HISTORY) this.history.splice(0, this.history.length - MAX_HISTORY);
      }
      this.hooks.historyChanged?.(this.history.slice());
    }
    this.historyIndex = this.history.length;
    if (full.trim() === '') {
      this.showPrompt();
      return;
    }
    this.run(full);
  }

  private run(line: string): void {
    this.runningLine = line;
    // Busy from here on: a `clear` event fired during the command must not draw a prompt.
    this.mode = 'running';
    this.hooks.beforeRun?.(line);
    let exec: ExecutionLike;
    try {
      exec = this.backend.start(line, this.morePasted());
    } catch (e) {
      // The engine promises never to throw; if it does, say so instead of freezing.
      this.output([{ stream: 'stderr', text: `netlab: internal error: ${(e as Error).message}\n` }]);
      this.finished(1);
      return;
    }
    this.exec = exec;
    this.interrupted = false;
    exec.watch(() => this.news(exec));
  }

  /** The command's output, its editor or its end arrived. */
  private news(exec: ExecutionLike): void {
    if (this.disposed || this.exec !== exec) return;
    const out = exec.takeOutput();
    if (this.interrupted && (out.length || !exec.running)) {
      this.interrupted = false;
      // The real tools print their summary on a fresh line after the ^C echo.
      if (out.length && !out[0].text.startsWith('\n')) out.unshift({ stream: 'stdout', text: '\n' });
      else if (!out.length) out.push({ stream: 'stdout', text: '\n' });
    }
    this.output(out);
    if (!exec.running) {
      this.finished(exec.exitCode ?? 0);
      return;
    }
    if (exec.edit && this.mode === 'running') {
      this.mode = 'editor';
      const edit = exec.edit;
      if (this.hooks.openEditor) this.hooks.openEditor(edit, (saved) => this.finishEdit(saved));
      else this.finishEdit(null);
    }
  }

  /** The editor closed (`saved`: the text saved, or null); the command's result arrives as news. */
  private finishEdit(saved: string | null): void {
    if (this.disposed || this.mode !== 'editor' || !this.exec) return;
    this.mode = 'running';
    this.exec.finishEdit(saved);
  }

  private interrupt(): void {
    if (this.mode === 'running' && this.exec) {
      // The shell answers with what the tool prints when interrupted (or the simulator stops it).
      if (this.interrupted) return;
      this.interrupted = true;
      this.screen.write('^C');
      this.commitTranscript('^C');
      this.queue = '';
      this.exec.interrupt();
    } else if (this.mode === 'editor') {
      // Ctrl+C while the editor is open leaves the file unsaved, like quitting the editor.
      this.finishEdit(null);
    }
  }

  private output(chunks: OutputChunk[]): void {
    for (const c of chunks) {
      if (!c.text) continue;
      const text = c.text.replace(/\r?\n/g, '\r\n');
      this.screen.write(text);
      this.commitTranscript(text);
      this.trackColumn(text);
    }
  }

  private trackColumn(text: string): void {
    const nl = text.lastIndexOf('\n');
    const tail = nl >= 0 ? text.slice(nl + 1) : text;
    const cr = tail.lastIndexOf('\r');
    const visible = visibleLength(cr >= 0 ? tail.slice(cr + 1) : tail);
    this.outCol = nl >= 0 || cr >= 0 ? visible : this.outCol + visible;
  }

  /** Further complete lines (a paste) wait in the queue behind the running one. */
  private morePasted(): boolean {
    return /[\r\n]/.test(this.queue);
  }

  private finished(exitCode: number): void {
    this.exec = null;
    this.mode = 'edit';
    const line = this.runningLine;
    this.runningLine = '';
    this.hooks.commandRan?.(line, exitCode);
    this.hooks.afterRun?.(line, exitCode, this.morePasted());
    if (this.disposed) return;
    this.showPrompt();
    // Keys typed (or lines pasted) while the command ran are processed now.
    if (this.queue) this.drain();
  }

  // ---- drawing ------------------------------------------------------------------------

  private showPrompt(): void {
    // bash starts the prompt where the output left the cursor; so do we.
    this.shownPrompt = colorPrompt(this.pending.length ? '> ' : this.backend.prompt());
    this.cursorRow = 0;
    this.startCol = this.outCol;
    this.outCol = 0;
    this.drawLine(true);
  }

  /** The buffer as displayed: a recalled multi-line command shows its newlines as ↵. */
  private displayBuffer(): string {
    return this.buffer.replace(/\n/g, '↵');
  }

  private eraseLine(): void {
    let s = '';
    if (this.cursorRow > 0) s += `${ESC}[${this.cursorRow}A`;
    s += '\r';
    const startCol = this.startCol % Math.max(1, this.screen.cols);
    if (startCol > 0) s += `${ESC}[${startCol}C`;
    s += `${ESC}[J`;
    this.screen.write(s);
    this.cursorRow = 0;
  }

  /**
   * Redraws prompt + buffer, wherever it wraps, and puts the cursor in place. `fresh` means
   * the cursor is already where the prompt starts and nothing of the line is on screen.
   */
  private drawLine(fresh = false): void {
    const cols = Math.max(1, this.screen.cols);
    const startCol = this.startCol % cols;
    let s = '';
    if (!fresh) {
      if (this.cursorRow > 0) s += `${ESC}[${this.cursorRow}A`;
      s += '\r';
      if (startCol > 0) s += `${ESC}[${startCol}C`;
    }
    s += `${ESC}[J` + this.shownPrompt + this.displayBuffer();
    const promptLen = visibleLength(this.shownPrompt);
    const end = startCol + promptLen + this.buffer.length;
    const endRow = Math.floor(end / cols);
    // xterm waits at the last column (pending wrap); step onto the next row explicitly.
    if (end > 0 && end % cols === 0) s += '\r\n';
    this.endOnFreshRow = end > 0 && end % cols === 0 && this.cursor === this.buffer.length;
    const target = startCol + promptLen + this.cursor;
    const tRow = Math.floor(target / cols);
    const tCol = target % cols;
    if (endRow > tRow) s += `${ESC}[${endRow - tRow}A`;
    s += '\r';
    if (tCol > 0) s += `${ESC}[${tCol}C`;
    this.cursorRow = tRow;
    this.screen.write(s);
  }

  private edit(buffer: string, cursor: number): void {
    this.buffer = buffer;
    this.cursor = Math.max(0, Math.min(cursor, buffer.length));
    this.drawLine();
  }

  private moveTo(cursor: number): void {
    const c = Math.max(0, Math.min(cursor, this.buffer.length));
    if (c === this.cursor) return;
    this.cursor = c;
    this.drawLine();
  }

  private commitTranscript(text: string): void {
    this.transcript += text;
    if (this.transcript.length > MAX_TRANSCRIPT) {
      const cut = this.transcript.indexOf('\n', this.transcript.length - MAX_TRANSCRIPT);
      this.transcript = this.transcript.slice(cut + 1);
    }
    this.hooks.transcriptChanged?.();
  }
}

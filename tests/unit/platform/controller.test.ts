/**
 * The terminal's line editor (components/terminal/controller.ts), driven with the bytes
 * xterm sends for each key, against a recording backend and against the real engine.
 */
import { describe, expect, it } from 'vitest';
import { TerminalController, colorPrompt, formatColumns, visibleLength, type ExecutionLike, type ShellBackend } from '../../../components/terminal/controller';
import { EngineClient } from '../../../lib/engine-worker/client';
import { inProcessEngine } from '../../../lib/engine-worker/in-process';
import type { EngineHost } from '../../../lib/engine-worker/host';

const KEY = {
  enter: '\r',
  left: '\x1b[D',
  right: '\x1b[C',
  up: '\x1b[A',
  down: '\x1b[B',
  home: '\x1b[H',
  end: '\x1b[F',
  del: '\x1b[3~',
  bs: '\x7f',
  ctrlA: '\x01',
  ctrlE: '\x05',
  ctrlU: '\x15',
  ctrlK: '\x0b',
  ctrlW: '\x17',
  ctrlY: '\x19',
  ctrlC: '\x03',
  ctrlL: '\x0c',
  tab: '\t',
  wordLeft: '\x1b[1;5D',
};

class FakeScreen {
  out = '';
  cols = 80;
  cleared = 0;
  write(d: string) {
    this.out += d;
  }
  clear() {
    this.cleared++;
  }
}

function done(stdout = '', exitCode = 0): ExecutionLike {
  const chunks = stdout ? [{ stream: 'stdout' as const, text: stdout }] : [];
  return { running: false, exitCode, takeOutput: () => chunks.splice(0), interrupt() {}, watch: (fn) => fn(), finishEdit() {} };
}

function recorder(extra: Partial<ShellBackend> = {}) {
  const ran: string[] = [];
  const backend: ShellBackend = {
    prompt: () => 'learner@workstation:~$ ',
    needsMoreInput: () => false,
    complete: () => ({ from: 0, candidates: [] }),
    start: (line) => {
      ran.push(line);
      return done(`ran ${line}\n`);
    },
    ...extra,
  };
  return { ran, backend };
}

function setup(extra: Partial<ShellBackend> = {}, init: { history?: string[] } = {}) {
  const screen = new FakeScreen();
  const { ran, backend } = recorder(extra);
  const histories: string[][] = [];
  const c = new TerminalController(screen, backend, { historyChanged: (h) => histories.push(h) }, init);
  c.start();
  return { c, screen, ran, histories };
}

describe('line editing', () => {
  it('inserts at the cursor after moving left, and submits the whole line', () => {
    const { c, ran } = setup();
    c.handleData('kubectl get po');
    c.handleData(KEY.left + KEY.left + '-A ' + KEY.enter);
    expect(ran).toEqual(['kubectl get -A po']);
  });

  it('Home/End, Ctrl+A/E, Backspace and Delete', () => {
    const { c, ran } = setup();
    c.handleData('bcd' + KEY.home + 'a' + KEY.end + 'e' + KEY.ctrlA + KEY.del + KEY.ctrlE + KEY.bs + KEY.enter);
    expect(ran).toEqual(['bcd']);
  });

  it('Ctrl+U kills to the start, Ctrl+K to the end, Ctrl+Y yanks back', () => {
    const { c, ran } = setup();
    c.handleData('one two three' + KEY.left.repeat(6) + KEY.ctrlK + KEY.enter);
    c.handleData('one two' + KEY.left.repeat(3) + KEY.ctrlU + KEY.end + ' ' + KEY.ctrlY + KEY.enter);
    expect(ran).toEqual(['one two', 'two one ']);
  });

  it('Ctrl+W deletes the word before the cursor; Ctrl+Left moves by words', () => {
    const { c, ran } = setup();
    c.handleData('kubectl get pods  ' + KEY.ctrlW + 'svc' + KEY.enter);
    c.handleData('kubectl get svc' + KEY.wordLeft + KEY.wordLeft + 'x' + KEY.enter);
    expect(ran).toEqual(['kubectl get svc', 'kubectl xget svc']);
  });

  it('Ctrl+C abandons the line without running it', () => {
    const { c, ran, screen } = setup();
    c.handleData('kubectl delete ns default' + KEY.ctrlC);
    expect(ran).toEqual([]);
    expect(screen.out).toContain('^C\r\n');
    expect(c.getTranscript()).toBe(`${colorPrompt('learner@workstation:~$ ')}kubectl delete ns default^C\r\n`);
  });

  it('Ctrl+L clears the screen and the transcript', () => {
    const { c, screen } = setup();
    c.handleData('echo a' + KEY.enter + KEY.ctrlL);
    expect(screen.cleared).toBe(1);
    expect(c.getTranscript()).toBe('');
  });
});

describe('history', () => {
  it('Up and Down walk the history and come back to the draft', () => {
    const { c, ran } = setup({}, { history: ['first', 'second'] });
    c.handleData('dra' + KEY.up + KEY.up + KEY.up + KEY.down + KEY.enter);
    c.handleData(KEY.up + KEY.down + KEY.down + 'ft' + KEY.enter);
    expect(ran).toEqual(['second', 'ft']);
  });

  it('Ctrl+R searches back through the history; Enter runs the match, Ctrl+R again goes older', () => {
    const { c, ran, screen } = setup({}, { history: ['kubectl get pods', 'ping -c 1 web', 'kubectl get svc'] });
    c.handleData('\x12kubectl');
    // readline's prompt, the newest match, the cursor on the matched text
    expect(screen.out).toContain("(reverse-i-search)`kubectl': kubectl get svc");
    c.handleData('\x12' + KEY.enter);
    expect(ran).toEqual(['kubectl get pods']);
  });

  it('a failed search says so; Ctrl+G gives the line back as it was; Esc keeps the match for editing', () => {
    const { c, ran, screen } = setup({}, { history: ['kubectl get pods', 'ping -c 1 web'] });
    c.handleData('draft\x12zzz');
    expect(screen.out).toContain("(failed reverse-i-search)`zzz': draft");
    c.handleData('\x07' + KEY.enter);
    expect(ran).toEqual(['draft']);
    // the cursor stays where the match is, as in readline: Ctrl+E first
    c.handleData('\x12ping\x1b');
    c.handleData('\x05 -q' + KEY.enter);
    expect(ran).toEqual(['draft', 'ping -c 1 web -q']);
  });

  it('records each run line once (no consecutive duplicates) and reports it', () => {
    const { c, histories } = setup();
    c.handleData('a\rb\rb\r   \r');
    expect(c.getHistory()).toEqual(['a', 'b']);
    expect(histories[histories.length - 1]).toEqual(['a', 'b']);
  });
});

describe('paste and multi-line input', () => {
  it('runs each pasted line in order', () => {
    const { c, ran } = setup();
    c.paste('kubectl get pods\nkubectl get svc\n');
    expect(ran).toEqual(['kubectl get pods', 'kubectl get svc']);
  });

  it('tells the backend whether more pasted lines follow the one it starts (the last, and a typed line, have none)', () => {
    const more: [string, boolean | undefined][] = [];
    const { c } = setup({ start: (line, m) => (more.push([line, m]), done()) });
    c.paste('echo 1\necho 2\necho 3');
    c.handleData('\r');
    c.handleData('echo 4\r');
    expect(more).toEqual([['echo 1', true], ['echo 2', false], ['echo 3', false], ['echo 4', false]]);
  });

  it('collects heredoc lines behind a > prompt until the shell says the command is complete', () => {
    const needsMoreInput = (t: string) => /<<\s*EOF/.test(t) && !/\nEOF$/.test(t);
    const { c, ran, screen } = setup({ needsMoreInput });
    c.paste('cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Namespace\nEOF\n');
    expect(ran).toEqual(['cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Namespace\nEOF']);
    expect(screen.out).toContain('> ');
    expect(c.getHistory()).toEqual(['cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Namespace\nEOF']);
  });
});

describe('completion', () => {
  const words = ['kubectl', 'kill'];
  const complete = (line: string, cursor: number) => {
    const from = line.lastIndexOf(' ', cursor - 1) + 1;
    const part = line.slice(from, cursor);
    return { from, candidates: words.filter((w) => w.startsWith(part)) };
  };

  it('completes a single candidate with a trailing space', () => {
    const { c, ran } = setup({ complete });
    c.handleData('kub' + KEY.tab + 'get' + KEY.enter);
    expect(ran).toEqual(['kubectl get']);
  });

  it('lists candidates in columns on the second Tab and redraws the line', () => {
    const { c, screen } = setup({ complete });
    c.handleData('k' + KEY.tab);
    expect(screen.out).not.toContain('kubectl\r\n');
    c.handleData(KEY.tab);
    expect(screen.out).toContain('\r\nkill     kubectl\r\n');
    expect(c.line).toBe('k');
  });

  it('formats many candidates column-major like bash', () => {
    expect(formatColumns(['a1', 'a2', 'a3', 'a4', 'a5'], 12)).toBe('a1  a3  a5\r\na2  a4\r\n');
  });
});

describe('streaming commands', () => {
  it('shows output as it arrives and ends on Ctrl+C with the tool’s summary on a fresh line', () => {
    let news = () => {};
    const exec: ExecutionLike & { out: { stream: 'stdout'; text: string }[] } = {
      running: true,
      exitCode: null,
      out: [{ stream: 'stdout', text: 'PING 10.0.0.1\n' }],
      takeOutput() {
        return this.out.splice(0);
      },
      watch(fn) {
        news = fn;
        fn();
      },
      interrupt() {
        this.running = false;
        this.exitCode = 0;
        this.out.push({ stream: 'stdout', text: '--- statistics ---\n' });
        news();
      },
      finishEdit() {},
    };
    const screen = new FakeScreen();
    const c = new TerminalController(screen, { prompt: () => '$ ', needsMoreInput: () => false, complete: () => ({ from: 0, candidates: [] }), start: () => exec });
    c.start();
    c.handleData('ping 10.0.0.1\r');
    expect(c.busy).toBe(true);
    for (const n of [1, 2]) {
      exec.out.push({ stream: 'stdout', text: `reply ${n}\n` });
      news();
    }
    c.handleData('typed-ahead');
    c.handleData('\x03');
    expect(c.busy).toBe(false);
    expect(c.getTranscript()).toBe('$ ping 10.0.0.1\r\nPING 10.0.0.1\r\nreply 1\r\nreply 2\r\n^C\r\n--- statistics ---\r\n');
  });
});

describe('against the engine', () => {
  it('runs a line in the simulation and shows the bash error for an unknown command', () => {
    let host: EngineHost | null = null;
    const client = new EngineClient(() => inProcessEngine((h) => (host = h)), { built() {}, buildFailed() {}, view() {}, event() {} });
    client.build({ scenario: null, tasks: [] });
    const screen = new FakeScreen();
    const c = new TerminalController(screen, {
      prompt: () => client.view!.prompt,
      needsMoreInput: (text) => client.ask({ kind: 'needs-more', text }, false),
      complete: (line, cursor) => client.ask({ kind: 'complete', line, cursor }, { from: cursor, candidates: [] }),
      start: (l) => client.start(l, 0),
    });
    c.start();
    c.handleData('no-such-tool --x\r');
    const p = colorPrompt('learner@workstation:~$ ');
    expect(c.getTranscript()).toBe(`${p}no-such-tool --x\r\nbash: no-such-tool: command not found\r\n`);
    expect(host!.sim!.history.map((h) => [h.command, h.exitCode])).toEqual([['no-such-tool --x', 127]]);
    client.dispose();
  });
});

describe('prompt helpers', () => {
  it('colours user@host and the path like Debian’s bashrc, and measures visible width', () => {
    const p = colorPrompt('learner@workstation:~$ ');
    expect(p).toBe('\x1b[1;32mlearner@workstation\x1b[0m:\x1b[1;34m~\x1b[0m$ ');
    expect(visibleLength(p)).toBe('learner@workstation:~$ '.length);
    expect(colorPrompt('/ # ')).toBe('/ # ');
  });

  it('redraws a wrapped line by moving up to where it starts', () => {
    const { c, screen } = setup();
    screen.cols = 30;
    c.handleData('x'.repeat(20));
    screen.out = '';
    c.handleData(KEY.home);
    // The line (23-char prompt + 20) spans two rows; the cursor was on the second.
    expect(screen.out.startsWith('\x1b[1A\r')).toBe(true);
    expect(screen.out.endsWith('\r\x1b[23C')).toBe(true);
  });
});

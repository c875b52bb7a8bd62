/**
 * The engine behind its worker protocol (lib/engine-worker): the page's EngineClient and
 * the terminal controller on one side, the real engine (in-process.ts, the same host code
 * the Web Worker runs) on the other. Pins what the learner relies on: streaming commands
 * stream chunk by chunk and end with Ctrl+C as the real tool ends; a command that stops
 * answering — to Ctrl+C or to the watchdog's pings — is stopped, the cluster comes back
 * as it was before it, the terminal says so in one line, and the next command works.
 *
 * A worker stuck in a loop is played by a port that swallows every message once told to
 * hang: the page sees exactly what it sees of a busy worker, silence.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineClient, INTERRUPT_GRACE_MS, STOPPED_LINE, WATCHDOG_LINE, WATCHDOG_MS, type EngineClientEvents } from '../../../lib/engine-worker/client';
import { inProcessEngine } from '../../../lib/engine-worker/in-process';
import { EngineHost } from '../../../lib/engine-worker/host';
import type { EnginePort, FromEngine, LabSpec, SimView, ToEngine } from '../../../lib/engine-worker/protocol';
import { TerminalController } from '../../../components/terminal/controller';

class FakeScreen {
  out = '';
  cols = 120;
  write(d: string) {
    this.out += d;
  }
  clear() {}
}

const SPEC: LabSpec = { scenario: null, tasks: [] };

/** Engines as the page would spawn them; after `hang()` the current one goes silent from the next command on, as a worker in a runaway loop does. */
function engines() {
  const spawned: { host: EngineHost | null; posted: ToEngine[]; hung: boolean; silent: boolean; terminated: boolean }[] = [];
  const spawn = (): EnginePort => {
    const rec = { host: null as EngineHost | null, posted: [] as ToEngine[], hung: false, silent: false, terminated: false };
    spawned.push(rec);
    const inner = inProcessEngine((h) => (rec.host = h));
    return {
      post(m) {
        rec.posted.push(m);
        if (rec.hung && m.t === 'run') rec.silent = true;
        if (!rec.silent) inner.post(m);
      },
      listen: (handler, crashed) => inner.listen(handler, crashed),
      terminate() {
        rec.terminated = true;
        inner.terminate();
      },
    };
  };
  return { spawned, spawn, hang: () => (spawned[spawned.length - 1].hung = true) };
}

function openClient(spawn: () => EnginePort) {
  const seen = { built: 0, restarted: [] as string[], view: null as SimView | null };
  const events: EngineClientEvents = {
    built: (v) => {
      seen.built++;
      seen.view = v;
    },
    buildFailed: (f) => {
      throw new Error(`build failed: ${JSON.stringify(f)}`);
    },
    view: (v) => (seen.view = v),
    event: () => {},
    restarted: (r) => seen.restarted.push(r),
  };
  const client = new EngineClient(spawn, events, { now: () => Date.now() });
  client.build(SPEC);
  return { client, seen };
}

function terminal(client: EngineClient) {
  const screen = new FakeScreen();
  const term = new TerminalController(screen, {
    prompt: () => client.view?.prompt ?? '$ ',
    needsMoreInput: (text) => client.ask({ kind: 'needs-more', text }, false),
    complete: (line, cursor) => client.ask({ kind: 'complete', line, cursor }, { from: cursor, candidates: [] }),
    start: (line, more) => client.start(line, 0, 0, more),
  });
  term.start();
  return { term, screen };
}

/** The transcript without colour codes. */
const plain = (t: string) => t.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe('the engine in a worker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('streams ping chunk by chunk; Ctrl+C ends it with its statistics, in the same worker', () => {
    const e = engines();
    const { client, seen } = openClient(e.spawn);
    expect(seen.built).toBe(1);
    const { term } = terminal(client);

    term.handleData('ping 192.168.49.3\r');
    const start = plain(term.getTranscript());
    expect(start).toMatch(/^learner@workstation:~\$ ping 192\.168\.49\.3\r\nPING 192\.168\.49\.3 \(192\.168\.49\.3\) 56\(84\) bytes of data\.\r\n64 bytes from 192\.168\.49\.3: icmp_seq=1 ttl=64 time=\d+\.\d+ ms\r\n$/);
    expect(term.busy).toBe(true);
    // nothing more until the next second
    vi.advanceTimersByTime(999);
    expect(plain(term.getTranscript())).toBe(start);
    vi.advanceTimersByTime(1);
    expect(plain(term.getTranscript()).slice(start.length)).toMatch(/^64 bytes from 192\.168\.49\.3: icmp_seq=2 ttl=64 time=\d+\.\d+ ms\r\n$/);

    term.handleData('\x03');
    const end = plain(term.getTranscript());
    expect(end).toMatch(/icmp_seq=2 ttl=64 time=\d+\.\d+ ms\r\n\^C\r\n--- 192\.168\.49\.3 ping statistics ---\r\n2 packets transmitted, 2 received, 0% packet loss, time 100\dms\r\nrtt min\/avg\/max\/mdev = [\d./]+ ms\r\n$/);
    expect(term.busy).toBe(false);
    expect(e.spawned).toHaveLength(1);
    expect(seen.restarted).toEqual([]);
    client.dispose();
  });

  it('Ctrl+C on a command the worker never finishes: the worker is replaced, the cluster is as before it, the next command works', () => {
    const e = engines();
    const { client, seen } = openClient(e.spawn);
    const { term } = terminal(client);
    term.handleData('kubectl create namespace shop\r');
    expect(plain(term.getTranscript())).toContain('namespace/shop created\r\n');
    const before = client.snapshot!;
    expect(before.objects.some((o) => o.kind === 'Namespace' && o.metadata.name === 'shop')).toBe(true);

    e.hang();
    term.handleData('while true; do kubectl get pods >/dev/null; done\r');
    expect(term.busy).toBe(true);
    const typed = plain(term.getTranscript()).length;
    term.handleData('\x03');
    // the worker is given a moment to answer the interrupt …
    vi.advanceTimersByTime(INTERRUPT_GRACE_MS - 1);
    expect(e.spawned).toHaveLength(1);
    expect(term.busy).toBe(true);
    // … and is then stopped
    vi.advanceTimersByTime(1);
    expect(plain(term.getTranscript()).slice(typed)).toBe('^C\r\n' + STOPPED_LINE.replace('\n', '\r\n'));
    expect(STOPPED_LINE).toBe('netlab: the simulator stopped that command and put the cluster back as it was before it\n');
    expect(term.busy).toBe(false);
    expect(seen.restarted).toEqual(['interrupt']);
    expect(e.spawned).toHaveLength(2);
    expect(e.spawned[0].terminated).toBe(true);
    // the new worker was built from the snapshot taken after the last command that ended
    expect(e.spawned[1].posted[0]).toMatchObject({ t: 'build', snapshot: before });
    expect(e.spawned[1].host!.sim!.snapshot()).toEqual(before);

    const at = plain(term.getTranscript()).length;
    term.handleData('kubectl get ns shop\r');
    expect(plain(term.getTranscript()).slice(at)).toMatch(/^learner@workstation:~\$ kubectl get ns shop\r\nNAME   STATUS   AGE\r\nshop   Active   \d+s\r\n$/);
    client.dispose();
  });

  it('kubectl edit: an invalid save opens the editor again on a new file (editoptions.go loop); saved unchanged, the edit is cancelled', () => {
    const e = engines();
    const { client } = openClient(e.spawn);
    const screen = new FakeScreen();
    const opened: { path: string; content: string }[] = [];
    const answers: ((c: string) => string | null)[] = [(c) => c.replace('  replicas: 1\n', '  replicas: -1\n'), (c) => c];
    const backend = {
      prompt: () => client.view?.prompt ?? '$ ',
      needsMoreInput: (text: string) => client.ask({ kind: 'needs-more', text }, false),
      complete: (line: string, cursor: number) => client.ask({ kind: 'complete', line, cursor }, { from: cursor, candidates: [] as string[] }),
      start: (line: string, more?: boolean) => client.start(line, 0, 0, more),
    };
    const term = new TerminalController(screen, backend, {
      openEditor: (edit, done) => {
        opened.push({ path: edit.path, content: edit.content });
        const answer = answers[opened.length - 1];
        setTimeout(() => done(answer(edit.content)), 10);
      },
    });
    term.start();
    term.handleData('kubectl create deployment web --image=nginx:1.27\r');
    const at = plain(term.getTranscript()).length;
    term.handleData('kubectl edit deploy web\r');
    vi.advanceTimersByTime(10);
    expect(opened).toHaveLength(2);
    expect(opened[1].path).not.toBe(opened[0].path);
    expect(opened[1].content).toContain('# deployments.apps "web" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\napiVersion: apps/v1\n');
    vi.advanceTimersByTime(10);
    expect(plain(term.getTranscript()).slice(at)).toBe(
      'learner@workstation:~$ kubectl edit deploy web\r\n' +
        'error: deployments.apps "web" is invalid\r\n' +
        `A copy of your changes has been stored to "${opened[1].path}"\r\n` +
        'error: Edit cancelled, no valid changes were saved.\r\n',
    );
    expect(term.busy).toBe(false);
    client.dispose();
  });

  it('kubectl port-forward … &: the job writes Handling connection as curl connects, before curl\'s output; a job that failed at once gets its Exit notice at the next prompt', () => {
    const e = engines();
    const { client } = openClient(e.spawn);
    const { term } = terminal(client);
    term.handleData('kubectl create deployment web --image=nginx:1.27 --port=80\r');
    term.handleData('kubectl expose deployment web --port=80\r');
    e.spawned[0].host!.sim!.advance(60_000);
    term.handleData('kubectl port-forward svc/web 8080:80 &\r');
    const at = plain(term.getTranscript()).length;
    term.handleData("curl -s -o /dev/null -w '%{http_code}\\n' localhost:8080\r");
    term.handleData('kubectl port-forward svc/web 80 &\r');
    term.handleData('echo next\r');
    expect(plain(term.getTranscript()).slice(at)).toMatch(
      /^learner@workstation:~\$ curl -s -o \/dev\/null -w '%\{http_code\}\\n' localhost:8080\r\nHandling connection for 8080\r\n200\r\n/,
    );
    expect(plain(term.getTranscript()).slice(at)).toMatch(/error: unable to listen on any of the requested ports: \[\{80 80\}\]\r\nlearner@workstation:~\$ echo next\r\nnext\r\n\[2\]\+  Exit 1                  kubectl port-forward svc\/web 80\r\n/);
    client.dispose();
  });

  it('the watchdog stops a command whose worker stops answering its pings', () => {
    const e = engines();
    const { client, seen } = openClient(e.spawn);
    const { term } = terminal(client);
    e.hang();
    term.handleData('seq 1 1000000000 | wc -l\r');
    const typed = plain(term.getTranscript()).length;
    vi.advanceTimersByTime(WATCHDOG_MS);
    expect(seen.restarted).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(seen.restarted).toEqual(['watchdog']);
    expect(plain(term.getTranscript()).slice(typed)).toBe(WATCHDOG_LINE.replace('\n', '\r\n'));
    expect(term.busy).toBe(false);
    expect(WATCHDOG_LINE).toBe('netlab: that command did not answer for 5 s, so the simulator stopped it and put the cluster back as it was before it\n');
    client.dispose();
  });

  it('a command typed while the new worker still restores waits for it, and is not taken for a runaway', async () => {
    const e = engines();
    // the second worker takes its time: what it is sent waits until release()
    let held: (() => void)[] | null = null;
    const spawn = () => {
      const port = e.spawn();
      if (e.spawned.length < 2) return port;
      held = [];
      return { ...port, post: (m: ToEngine) => (held ? held.push(() => port.post(m)) : port.post(m)) };
    };
    const { client, seen } = openClient(spawn);
    const { term } = terminal(client);
    e.hang();
    term.handleData('while true; do :; done\r');
    term.handleData('\x03');
    vi.advanceTimersByTime(INTERRUPT_GRACE_MS);
    expect(seen.restarted).toEqual(['interrupt']);
    term.handleData('echo after\r');
    vi.advanceTimersByTime(3 * WATCHDOG_MS);
    expect(seen.restarted).toEqual(['interrupt']);
    expect(term.busy).toBe(true);
    const release = held!;
    held = null;
    for (const f of release) f();
    await vi.advanceTimersByTimeAsync(0);
    expect(term.busy).toBe(false);
    expect(plain(term.getTranscript())).toMatch(/echo after\r\nafter\r\n$/);
    client.dispose();
  });

  it('the watchdog leaves alone a streaming command that is only waiting between its steps', () => {
    const e = engines();
    const { client, seen } = openClient(e.spawn);
    const { term } = terminal(client);
    // one round every 7 s: longer than the watchdog, but the worker answers its pings meanwhile
    term.handleData('while true; do echo round; sleep 7; done\r');
    vi.advanceTimersByTime(30_000);
    expect(seen.restarted).toEqual([]);
    expect(term.busy).toBe(true);
    expect(plain(term.getTranscript()).match(/round/g)!.length).toBeGreaterThanOrEqual(4);
    term.handleData('\x03');
    expect(term.busy).toBe(false);
    expect(e.spawned).toHaveLength(1);
    client.dispose();
  });
});

describe('the engine host', () => {
  it('sends what a long line prints while it still computes, at most every 100 ms, and the rest when it ends', () => {
    const sent: FromEngine[] = [];
    // each reading of the clock is 40 ms later: the loop below takes a while
    let clock = 0;
    const host = new EngineHost((m) => sent.push(m), () => (clock += 40));
    host.handle({ t: 'build', gen: 1, spec: SPEC });
    sent.length = 0;
    host.handle({ t: 'run', id: 7, line: 'for i in 1 2 3 4 5 6; do echo $i; done', advanceMs: 0 });
    const outs = sent.filter((m) => m.t === 'out');
    // the first write goes out at once; later ones once 100 ms have passed since the last send
    expect(outs).toEqual([
      { t: 'out', gen: 1, id: 7, live: true, chunks: [{ stream: 'stdout', text: '1\n' }] },
      { t: 'out', gen: 1, id: 7, live: true, chunks: [{ stream: 'stdout', text: '2\n' }, { stream: 'stdout', text: '3\n' }, { stream: 'stdout', text: '4\n' }] },
      { t: 'out', gen: 1, id: 7, chunks: [{ stream: 'stdout', text: '5\n' }, { stream: 'stdout', text: '6\n' }] },
    ]);
    expect(sent[sent.length - 1]).toEqual({ t: 'done', gen: 1, id: 7, exitCode: 0 });
  });

  describe('a paste', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());
    const settles = (sent: FromEngine[]) => sent.filter((m): m is Extract<FromEngine, { t: 'view' }> => m.t === 'view' && !!m.snapshot);
    const names = (m: Extract<FromEngine, { t: 'view' }>) => m.snapshot!.objects.filter((o) => o.kind === 'Namespace' && o.metadata.name.startsWith('p')).map((o) => o.metadata.name);

    it('while more lines follow, the view and snapshot wait for the last line; each line still ends with done', () => {
      const sent: FromEngine[] = [];
      const clock = 0;
      const host = new EngineHost((m) => sent.push(m), () => clock);
      host.handle({ t: 'build', gen: 1, spec: SPEC });
      sent.length = 0;
      for (let i = 1; i <= 5; i++) host.handle({ t: 'run', id: i, line: `kubectl create namespace p${i}`, advanceMs: 0, more: i < 5 });
      expect(sent.filter((m) => m.t === 'done').map((m) => (m as { id: number }).id)).toEqual([1, 2, 3, 4, 5]);
      const s = settles(sent);
      expect(s).toHaveLength(1);
      expect(names(s[0])).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
      // the last line's view comes before its done, as for a typed command
      expect(sent.indexOf(s[0])).toBe(sent.length - 2);
    });

    it('a paste that runs on sends a view and snapshot once a second; one that stops short, 300 ms after its last line', () => {
      const sent: FromEngine[] = [];
      let clock = 0;
      const host = new EngineHost((m) => sent.push(m), () => clock);
      host.handle({ t: 'build', gen: 1, spec: SPEC });
      sent.length = 0;
      for (let i = 1; i <= 4; i++) {
        clock += 400;
        host.handle({ t: 'run', id: i, line: `kubectl create namespace p${i}`, advanceMs: 0, more: true });
      }
      // 1,200 ms after the build's snapshot, line 3 settled; line 4 (1,600 ms) is 400 ms after it
      expect(settles(sent).map(names)).toEqual([['p1', 'p2', 'p3']]);
      vi.advanceTimersByTime(299);
      expect(settles(sent)).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(settles(sent).map(names)).toEqual([['p1', 'p2', 'p3'], ['p1', 'p2', 'p3', 'p4']]);
    });
  });
});

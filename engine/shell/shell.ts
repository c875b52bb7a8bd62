/**
 * The learner's shell: parses a command line and runs it on the current host.
 * (The shell room owns this file and replaces this first version.)
 */
import type { Simulation, HistoryEntry } from '../simulation';
import type { HostRef, OutputChunk, EditRequest } from '../types';
import { isEditRequest, isStreaming } from '../types';
import { findCommand } from '../commands/registry';

export interface ShellSnapshot {
  history: HistoryEntry[];
  hosts: HostRef[];
}

/** A command line in progress: its output so far, and how to step or stop it. */
export class Execution {
  running = false;
  exitCode: number | null = null;
  intervalMs = 1000;
  edit?: EditRequest;
  private out: OutputChunk[] = [];
  private stepper?: () => void;
  private stopper?: () => void;

  write(stream: 'stdout' | 'stderr', text: string): void {
    if (text) this.out.push({ stream, text });
  }

  takeOutput(): OutputChunk[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  streamWith(intervalMs: number, step: () => void, stop: () => void): void {
    this.running = true;
    this.intervalMs = intervalMs;
    this.stepper = step;
    this.stopper = stop;
  }

  step(): void {
    if (this.running) this.stepper?.();
  }

  interrupt(): void {
    if (this.running) this.stopper?.();
    this.running = false;
  }

  finish(code: number): void {
    this.running = false;
    this.exitCode = code;
  }
}

export class Shell {
  history: HistoryEntry[] = [];
  hosts: HostRef[] = [{ kind: 'workstation' }];

  constructor(private sim: Simulation) {}

  get host(): HostRef {
    return this.hosts[this.hosts.length - 1];
  }

  prompt(): string {
    return 'learner@workstation:~$ ';
  }

  needsMoreInput(_text: string): boolean {
    return false;
  }

  complete(_line: string, _cursor: number): { from: number; candidates: string[] } {
    return { from: 0, candidates: [] };
  }

  start(line: string): Execution {
    const exec = new Execution();
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      exec.finish(0);
      return exec;
    }
    const [name, ...args] = words;
    const cmd = findCommand(name);
    if (!cmd) {
      exec.write('stderr', `bash: ${name}: command not found\n`);
      exec.finish(127);
    } else {
      const outcome = cmd.run(args, { sim: this.sim, host: this.host, name, stdin: '', env: {}, cwd: '/home/learner', interactive: this.sim.options.interactive });
      if (isStreaming(outcome)) {
        exec.write('stdout', outcome.stdout);
        exec.write('stderr', outcome.stderr);
        exec.streamWith(outcome.intervalMs, () => {
          const s = outcome.step();
          exec.write('stdout', s.stdout ?? '');
          exec.write('stderr', s.stderr ?? '');
          if (s.done) exec.finish(s.exitCode ?? 0);
        }, () => {
          const s = outcome.interrupt();
          exec.write('stdout', s.stdout ?? '');
          exec.write('stderr', s.stderr ?? '');
          exec.finish(s.exitCode);
        });
      } else if (isEditRequest(outcome)) {
        exec.edit = outcome;
      } else {
        exec.write('stdout', outcome.stdout);
        exec.write('stderr', outcome.stderr);
        exec.finish(outcome.exitCode);
      }
    }
    this.history.push({ command: line, exitCode: exec.exitCode ?? 0, host: this.host, time: this.sim.clock.now() });
    return exec;
  }

  snapshot(): ShellSnapshot {
    return { history: this.history, hosts: this.hosts };
  }

  restore(data: ShellSnapshot): void {
    this.history = data?.history ?? [];
    this.hosts = data?.hosts?.length ? data.hosts : [{ kind: 'workstation' }];
  }
}

/**
 * A simulated cluster and the learner's shell around it. This is the engine's front
 * door — the UI, the `sim` command line, the lesson checker and the tests drive a
 * Simulation through the methods below — and its composition root: the one place that
 * builds every module and hands each the typed collaborators it uses.
 */
import { loadOpenApi } from './cluster/openapi';
import { VirtualClock } from './cluster/clock';
import { Rng, type RngState } from './cluster/rng';
import { ObjectStore } from './cluster/store';
import type { ClusterSettings, KubeObject } from './cluster/types';
import type { Cluster } from './cluster/cluster';
import type { SimModule } from './cluster/module';
import { ApiServer } from './cluster/api';
import { Ipam } from './cluster/ipam';
import { loadScenario, withLine, type Scenario } from './scenario/load';
import { bootstrap } from './scenario/bootstrap';
import { prepareFaults } from './scenario/faults';
import { HOME, VirtualFS } from './hosts/vfs';
import { hostPathMounts, hostProfile, hostPrompt } from './hosts/hosts';
import { programTable } from './hosts/paths';
import { createControlPlane } from './controllers';
import { createNodeAgents, networkPorts } from './controllers/network';
import { restGet } from './commands/kubectl/rest';
import { HubbleFlows } from './dataplane/flows';
import type { ClusterRuntime } from './controllers/runtime';
import { Shell, type Execution, type ShellSnapshot } from './shell/shell';
import { LINE_LIMITS } from './shell/budget';
import type { CommandTable, HistoryEntry } from './shell/command';
import { createCommandTable } from './commands/registry';
import { createKubectlModules } from './commands/kubectl/module';
import { createRuntimeModules } from './commands/runtime/module';
import { nodeProcesses } from './commands/runtime/processes';
import type { AnswerVerdict, HostRef, OutputChunk, PacketTrace, RunResult, SimEvent } from './types';
import type { ProcessRun } from './controllers/kubelet';

export const SNAPSHOT_VERSION = 1;

export interface SimulationOptions {
  seed?: number;
  /** Commands from the terminal are interactive (tty); `sim` and the checker are not. */
  interactive?: boolean;
  /**
   * Background jobs without a terminal: a streaming command started with `&` becomes a job
   * that streams after each later line and is announced as at the terminal (shell/jobs.ts),
   * instead of running to its end on its line. Implied by `interactive`; the `sim` CLI sets it.
   */
  jobControl?: boolean;
  /** How many steps a streaming command gets in `run()` before it is interrupted. */
  maxStreamSteps?: number;
  /** Steps one command line may take (budget.ts LINE_LIMITS.steps); tests raise it so a runaway outlasts a watchdog. */
  lineSteps?: number;
  /** The commands the hosts know (default: all of the engine's); tests may pass doubles or extra exit hooks. */
  commands?: CommandTable;
  /** Exactly these faults instead of the seed's draw (a scenario with `faults:`; tests and previews). */
  faults?: readonly string[];
}

export interface SimSnapshot {
  version: number;
  seed: number;
  scenario: Scenario;
  clock: number;
  rng: RngState;
  revision: number;
  objects: KubeObject[];
  modules: Record<string, unknown>;
  shell: ShellSnapshot;
  /** The further terminals' shells (session 1, 2 …), when a learner opened any. */
  sessions?: ShellSnapshot[];
  fs: unknown;
  answers: Record<string, string>;
  traceCounter: number;
  /** The faults put into the cluster when it was built (a scenario with `faults:`). */
  faults?: string[];
}

export type { HistoryEntry };

/** What `Simulation.runDetailed` returns: the RunResult, the output in the order written, and the line's work. */
export interface RunDetail extends RunResult {
  chunks: OutputChunk[];
  steps: number;
}

/** How many terminals (shell sessions) one cluster may have open at once. */
export const MAX_SESSIONS = 4;

type EventListener = (event: SimEvent) => void;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class Simulation {
  readonly scenario: Scenario;
  readonly settings: ClusterSettings;
  readonly seed: number;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly store: ObjectStore;
  readonly api: ApiServer;
  readonly fs: VirtualFS;
  /** The running cluster every controller, node agent and command works on. */
  readonly cluster: ClusterRuntime;
  readonly commands: CommandTable;
  /** The first terminal's shell (session 0). */
  readonly shell: Shell;
  /**
   * Further terminals on the same cluster (session 1, 2 …), each its own login: its own
   * host stack, working directory, variables and history, as a second ssh session is.
   */
  private readonly extraShells: Shell[] = [];
  /** In reconcile order; persisted by name. */
  readonly modules: readonly SimModule[];
  /** Answers to question tasks (`answer TASK VALUE`, or the task panel). */
  readonly answers: Record<string, string> = {};
  /**
   * Set by a lab that knows the lesson's tasks: judges a recorded answer, so the terminal's
   * `answer` says right or not yet in one line, as the task panel does.
   */
  answerJudge?: (taskId: string) => AnswerVerdict | undefined;
  traces: PacketTrace[] = [];
  traceCounter = 0;
  /** The ids of the faults this cluster was built with (scenario/faults/), in draw order; empty without `faults:`. */
  readonly faults: readonly string[];
  readonly options: Required<Omit<SimulationOptions, 'commands' | 'faults' | 'lineSteps' | 'jobControl'>> & Pick<SimulationOptions, 'lineSteps' | 'jobControl'>;
  private listeners = new Set<EventListener>();
  private reconciling = false;

  constructor(scenario: Scenario, options: SimulationOptions = {}, snapshot?: SimSnapshot) {
    this.scenario = scenario;
    this.settings = scenario.cluster;
    const { commands, faults: onlyFaults, ...rest } = options;
    this.options = { seed: 1, interactive: false, maxStreamSteps: 5, ...rest };
    this.seed = snapshot?.seed ?? this.options.seed;
    this.clock = new VirtualClock(snapshot?.clock ?? scenario.startTime, scenario.startTime);
    this.rng = new Rng(snapshot?.rng ?? this.seed);
    this.store = new ObjectStore(snapshot ? structuredClone(snapshot.objects) : [], snapshot?.revision ?? 0);
    this.fs = new VirtualFS({ clock: this.clock, startTime: scenario.startTime, emit: (e) => this.emit(e) });
    // a Pod's hostPath volumes show the node's files (kubectl debug node/NAME's /host)
    this.fs.mounts = (host) => hostPathMounts(this, host);
    this.fs.imageDirs = (host) => hostProfile(this, host)?.dirs;
    this.fs.programs = (host) => programTable(this, host);

    // The running cluster is filled in as its parts are built: each part keeps the reference
    // and reads it only once the simulation runs, so the order below is the only wiring.
    const rt = {
      seed: this.seed,
      settings: this.settings,
      clock: this.clock,
      rng: this.rng,
      store: this.store,
      fs: this.fs,
      reconcile: () => this.reconcile(),
      advance: (ms: number) => this.advance(ms),
      recordTrace: (trace: Omit<PacketTrace, 'id'>) => this.recordTrace(trace),
    } as Mutable<ClusterRuntime>;
    const cluster: Cluster = rt;
    const ipam = new Ipam(cluster);
    this.api = rt.api = new ApiServer(cluster, ipam);
    // the shell first: it registers /etc/hostname before the agents register their files
    this.commands = commands ?? createCommandTable();
    this.shell = this.newShell(0, rt);
    const controlPlane = createControlPlane(cluster, ipam);
    Object.assign(rt, { ipam, events: controlPlane.events, logs: controlPlane.logs, kubelet: controlPlane.kubelet });
    const agents = createNodeAgents(rt);
    Object.assign(rt, { cni: agents.cni, kubeProxy: agents.kubeProxy, dns: agents.dns, ingress: agents.ingress, gateway: agents.gateway }, networkPorts(rt));
    const flows = new HubbleFlows(rt);
    Object.assign(rt, { flows, apiGet: (path: string, pretty: boolean) => restGet(rt, path, pretty) });
    this.cluster = rt;
    controlPlane.kubelet.processes = { run: (host, argv) => this.runContainerProcess(host, argv) };

    this.modules = [...controlPlane.modules, ...agents.modules, flows, ...createKubectlModules(rt), ...createRuntimeModules(rt)];
    this.store.subscribe(() => this.emit({ type: 'objects', revision: this.store.revision }));

    if (snapshot) {
      this.faults = snapshot.faults ?? [];
      this.fs.restore(snapshot.fs);
      this.shell.restore(snapshot.shell);
      const sessions = Array.isArray(snapshot.sessions) ? snapshot.sessions.slice(0, MAX_SESSIONS - 1) : [];
      for (const data of sessions) this.session(this.extraShells.length + 1).restore(data);
      Object.assign(this.answers, snapshot.answers);
      this.traceCounter = snapshot.traceCounter;
      for (const m of this.modules) m.restore?.(snapshot.modules[m.name]);
      for (const m of this.modules) m.init?.();
    } else {
      for (const m of this.modules) m.init?.();
      const faults = prepareFaults(scenario, this.seed, onlyFaults);
      this.faults = faults?.ids ?? [];
      bootstrap(cluster, faults?.scenario ?? scenario, { beforeRunUp: () => faults?.beforeRunUp(rt) });
      faults?.atStart(rt);
      this.fs.seed(scenario.files);
    }
    this.reconcile();
  }

  // ---- terminals --------------------------------------------------------------------

  /** `cluster`: the runtime, passed while the constructor is still filling it in. */
  private newShell(session: number, cluster: ClusterRuntime = this.cluster): Shell {
    return new Shell({
      cluster,
      commands: this.commands,
      answers: this.answers,
      // what a shell says about its terminal (the prompt changed, `clear`) names the terminal
      emit: (e) => this.emit(session > 0 && (e.type === 'context' || e.type === 'clear') ? { ...e, session } : e),
      judgeAnswer: (id) => this.answerJudge?.(id),
      interactive: this.options.interactive,
      ...(this.options.jobControl ? { jobControl: true } : {}),
      maxStreamSteps: this.options.maxStreamSteps,
      nodeProcesses: (node) => nodeProcesses(cluster, node),
      ...(this.options.lineSteps ? { lineLimits: { ...LINE_LIMITS, steps: this.options.lineSteps } } : {}),
    });
  }

  /** The shell containers' own commands run in (no terminal of the learner's: its history, jobs and prompt are nobody's). */
  private processShell?: Shell;

  /**
   * A container's one-shot command (the kubelet's runOnce), through the engine's userland as
   * `kubectl exec` runs it. It runs while the kubelet handles the container's start, so the
   * clock stays there: what the command would wait for (a connect timeout, `ping -c`) is
   * counted, not advanced, and the kubelet sees the exit that much later.
   */
  private runContainerProcess(host: HostRef & { kind: 'pod' }, argv: string[]): ProcessRun {
    const shell = (this.processShell ??= new Shell({
      cluster: this.cluster,
      commands: this.commands,
      answers: {},
      emit: () => undefined,
      judgeAnswer: () => undefined,
      interactive: false,
      maxStreamSteps: this.options.maxStreamSteps,
      nodeProcesses: (node) => nodeProcesses(this.cluster, node),
    }));
    const rt = this.cluster as Mutable<ClusterRuntime>;
    const advance = rt.advance;
    let elapsed = 0;
    rt.advance = (ms: number) => {
      if (ms > 0 && Number.isFinite(ms)) elapsed += ms;
    };
    try {
      const r = shell.runProcess(host, argv);
      // a day at most: the container's exit stays on the clock
      return { ...r, elapsedMs: Math.min(elapsed, 86_400_000) };
    } finally {
      rt.advance = advance;
    }
  }

  /**
   * The shell of terminal `n` (0: the first): a terminal opened later gets a fresh login
   * on the workstation. Sessions are numbered densely, up to MAX_SESSIONS.
   */
  session(n = 0): Shell {
    if (n === 0) return this.shell;
    if (!Number.isInteger(n) || n < 0 || n >= MAX_SESSIONS) throw new RangeError(`no terminal ${n}: a cluster has terminals 0 to ${MAX_SESSIONS - 1}`);
    while (this.extraShells.length < n) this.extraShells.push(this.newShell(this.extraShells.length + 1));
    return this.extraShells[n - 1];
  }

  /** How many terminals have a shell (at least 1). */
  get sessionCount(): number {
    return this.extraShells.length + 1;
  }

  // ---- running commands -------------------------------------------------------------

  /**
   * Runs one command line to completion. A streaming command gets a bounded number of
   * steps and is then interrupted, as if the learner pressed Ctrl+C.
   */
  run(line: string): RunResult {
    const { stdout, stderr, exitCode } = this.runDetailed(line);
    return { stdout, stderr, exitCode };
  }

  /**
   * run(), with what a terminal would also know: the output as written, stdout and stderr
   * interleaved (`chunks`, what the `sim` CLI prints), and the work the line did in budget
   * steps (`steps`, Execution.steps).
   */
  runDetailed(line: string): RunDetail {
    const exec = this.start(line);
    let steps = 0;
    while (exec.running && steps < this.options.maxStreamSteps) {
      exec.step();
      steps++;
    }
    if (exec.running) exec.interrupt();
    if (exec.edit) exec.edit.finish(null);
    const chunks = exec.takeOutput();
    return {
      stdout: chunks.filter((c) => c.stream === 'stdout').map((c) => c.text).join(''),
      stderr: chunks.filter((c) => c.stream === 'stderr').map((c) => c.text).join(''),
      exitCode: exec.exitCode ?? 130,
      chunks,
      steps: exec.steps,
    };
  }

  /** Starts a command line in terminal `session`: output arrives through the Execution. */
  start(line: string, session = 0): Execution {
    return this.session(session).start(line);
  }

  /**
   * The prompt for the current place: `learner@workstation:~$ `, `/ # `, `root@node-1:~# `.
   * A terminal not opened yet shows a fresh login's, without opening it.
   */
  prompt(session = 0): string {
    if (session > 0 && session >= this.sessionCount && session < MAX_SESSIONS) return hostPrompt(this.cluster, { kind: 'workstation' }, HOME);
    return this.session(session).prompt();
  }

  /** True if `text` needs more lines before it can run (open quote, heredoc, trailing `\`). */
  needsMoreInput(text: string): boolean {
    return this.shell.needsMoreInput(text);
  }

  complete(line: string, cursor: number = line.length, session = 0): { from: number; candidates: string[] } {
    return this.session(session).complete(line, cursor);
  }

  /**
   * Every terminal's command lines, oldest first (what the task checks read). Each line
   * moves the clock a second before it is recorded, so no two lines share a time.
   */
  get history(): HistoryEntry[] {
    if (this.extraShells.length === 0) return this.shell.history;
    return [this.shell, ...this.extraShells].flatMap((sh) => sh.history).sort((a, b) => a.time - b.time);
  }

  // ---- cluster state ------------------------------------------------------------------

  /** Brings every controller's derived state up to date, to a fixed point. */
  reconcile(): void {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      for (let round = 0; round < 50; round++) {
        let changed = false;
        for (const m of this.modules) {
          if (m.reconcile?.()) changed = true;
        }
        if (!changed) return;
      }
    } finally {
      this.reconciling = false;
    }
  }

  /**
   * Moves the virtual clock (the UI passes real elapsed time; `sleep` passes its argument),
   * at most to the clock's horizon (scenario start + 100 years, cluster/clock.ts).
   */
  advance(ms: number): void {
    // NaN, Infinity and negatives never reach the clock; the jump ends at the clock's horizon
    if (!(ms > 0) || this.clock.remaining() <= 0) return;
    // stop at each moment a module has something due (a container starting, a probe
    // passing), so what follows from it happens at its own time, not at the end of the jump
    const target = Math.min(this.clock.now() + ms, this.clock.horizon);
    for (let guard = 0; guard < 100_000; guard++) {
      const now = this.clock.now();
      let next = target;
      for (const m of this.modules) {
        const due = m.nextDue?.();
        if (due !== undefined && due > now && due < next) next = due;
      }
      this.clock.advance(next - now);
      for (const m of this.modules) m.tick?.(next - now);
      this.reconcile();
      if (next >= target) break;
    }
  }

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.store.get<T>(kind, namespace, name);
  }

  list<T extends KubeObject = KubeObject>(kind: string, namespace?: string): T[] {
    return this.store.list<T>(kind, namespace);
  }

  recordTrace(trace: Omit<PacketTrace, 'id'>): PacketTrace {
    const full = { ...trace, id: ++this.traceCounter };
    this.traces.push(full);
    if (this.traces.length > 50) this.traces.shift();
    this.emit({ type: 'trace', trace: full });
    return full;
  }

  // ---- persistence --------------------------------------------------------------------

  snapshot(): SimSnapshot {
    const modules: Record<string, unknown> = {};
    for (const m of this.modules) if (m.snapshot) modules[m.name] = m.snapshot();
    return structuredClone({
      version: SNAPSHOT_VERSION,
      seed: this.seed,
      scenario: this.scenario,
      clock: this.clock.now(),
      rng: this.rng.state(),
      revision: this.store.revision,
      objects: this.store.all(),
      modules,
      shell: this.shell.snapshot(),
      ...(this.extraShells.length ? { sessions: this.extraShells.map((sh) => sh.snapshot()) } : {}),
      fs: this.fs.snapshot(),
      answers: this.answers,
      traceCounter: this.traceCounter,
      ...(this.faults.length ? { faults: [...this.faults] } : {}),
    });
  }

  static restore(snapshot: SimSnapshot, options: SimulationOptions = {}): Simulation {
    if (!snapshot || snapshot.version !== SNAPSHOT_VERSION) {
      throw new Error(`snapshot version ${snapshot?.version} is not ${SNAPSHOT_VERSION}`);
    }
    return new Simulation(snapshot.scenario, { ...options, seed: snapshot.seed }, snapshot);
  }

  // ---- events -------------------------------------------------------------------------

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: SimEvent): void {
    for (const l of this.listeners) l(event);
  }
}

/** Builds a simulation from a scenario (YAML text or parsed), or the default cluster. */
export function createSimulation(scenario?: string | Scenario | null, options: SimulationOptions = {}): Simulation {
  // the OpenAPI schemas (kubectl explain, the API server's field validation) start loading with the first cluster
  void loadOpenApi();
  const parsed = typeof scenario === 'object' && scenario !== null ? scenario : loadScenario(scenario ?? '');
  try {
    return new Simulation(parsed, options);
  } catch (e) {
    // a manifest the API server refused while the scenario was bootstrapped: name its line
    throw typeof scenario === 'string' ? withLine(e, scenario) : e;
  }
}

/**
 * The messages between the page and the engine's Web Worker (lib/engine-worker/host.ts runs
 * the Simulation there; client.ts is what the page holds). Plain data only: everything
 * crosses by structured clone.
 *
 * Every message the engine sends carries `gen`, the build it belongs to: after a rebuild
 * (reset, another tab's save, a stopped command) the page ignores what the old cluster said.
 */
import type { ClusterSettings, KubeObject, OutputChunk, PacketTrace, SimSnapshot } from '../../engine';
import type { Dataplane } from '../../engine/grading';

/**
 * A lab's cluster starts from this seed, so a lesson is the same for everyone — except a
 * lesson whose scenario draws its faults (`faults:`), which gets the learner's own seed
 * (LabSpec.seed; lib/persistence.ts learnerSeed).
 */
export const LESSON_SEED = 1;

/** What a lab's cluster is built from: a lesson's scenario and files, or the playground's choices. */
export interface LabSpec {
  /** scenario.yaml as text; null for the default cluster. */
  scenario: string | null;
  /** Overrides of the scenario's cluster settings (the playground's CNI, kube-proxy mode, Cilium's kube-proxy replacement). */
  cluster?: Partial<Pick<ClusterSettings, 'cni' | 'proxyMode' | 'kubeProxyReplacement'>>;
  /** Files written to the workstation (relative to ~, or absolute). */
  files?: Record<string, string>;
  /** The lesson's tasks (engine/grading/types.ts `Task`, as data): graded after every change. */
  tasks: unknown[];
  /** Steps one command line may take (the engine's default unless set; the end-to-end suite raises it). */
  lineSteps?: number;
  /** The seed of a fresh cluster (default LESSON_SEED); a restored one keeps the seed it was built with. */
  seed?: number;
}

export interface TaskResult {
  id: string;
  done: boolean;
  reason?: string;
}

/** The kinds the cluster map draws; the engine sends these lists after every change. */
export const VIEW_KINDS = ['Node', 'Pod', 'Service', 'Namespace', 'NetworkPolicy'] as const;

/**
 * What the page reads of the cluster, sent after every change: the map's objects, the last
 * packet trace, the learner's files under ~, the answers, and the task results.
 */
export interface SimView {
  /** The first terminal's prompt. */
  prompt: string;
  /** Every open terminal's prompt, by session (prompts[0] === prompt). */
  prompts: string[];
  revision: number;
  settings: ClusterSettings;
  objects: Record<(typeof VIEW_KINDS)[number], KubeObject[]>;
  trace: PacketTrace | null;
  answers: Record<string, string>;
  historyLength: number;
  /** Regular files under ~ (lib/files.ts homeFiles), path → text, sorted by path. */
  files: Record<string, string>;
  results: TaskResult[];
}

/** Why a build (or restore) did not give a cluster. */
export type BuildFailure =
  | { kind: 'newer'; version: number }
  | { kind: 'older'; version: unknown }
  | { kind: 'failed'; message: string };

export type ToEngine =
  | { t: 'build'; gen: number; spec: LabSpec; snapshot?: SimSnapshot; interactive?: boolean }
  /** `session`: the terminal (shell session) the line runs in; 0 when absent. `more`: further lines of a paste wait behind this one (the host may defer its view and snapshot). */
  | { t: 'run'; id: number; line: string; advanceMs: number; session?: number; more?: boolean }
  | { t: 'interrupt'; id: number }
  | { t: 'edit-done'; id: number; saved: string | null }
  | { t: 'advance'; ms: number }
  | { t: 'write'; path: string; content: string }
  | { t: 'answer'; task: string; value: string }
  | { t: 'ask'; id: number; q: Question }
  | { t: 'ping'; id: number };

export type Question =
  | { kind: 'needs-more'; text: string }
  | { kind: 'complete'; line: string; cursor: number; session?: number }
  | { kind: 'record'; since: number }
  | { kind: 'export' }
  /** The playground's switch: the same objects on another dataplane (engine/grading rebuildOn), checked. */
  | { kind: 'rebuild'; dataplane: Dataplane }
  /** An imported or shared scenario, validated as a lab would load it (engine/grading checkScenario). */
  | { kind: 'check'; text: string }
  /** Who may reach whom (engine `reachability`): Pods × Pods on one port, walked as a dry run. */
  | { kind: 'reachability'; port?: number; proto?: 'tcp' | 'udp' | 'sctp' };

export type FromEngine =
  | { t: 'built'; gen: number; ms: number; view: SimView; snapshot: SimSnapshot }
  | { t: 'build-failed'; gen: number; failure: BuildFailure }
  /** The cluster changed; `snapshot` is set once a command (or clock step, file write) has settled. */
  | { t: 'view'; gen: number; view: SimView; snapshot?: SimSnapshot }
  /** Output; `live`: sent while the line is still computing (the worker is busy, so it is no sign of life for the watchdog). */
  | { t: 'out'; gen: number; id: number; chunks: OutputChunk[]; live?: boolean }
  | { t: 'edit'; gen: number; id: number; path: string; content: string }
  | { t: 'done'; gen: number; id: number; exitCode: number }
  /** `clear` clears the screen; `context`: the prompt changed (a shell inside a pod, `cd`). */
  | { t: 'event'; gen: number; event: 'clear' | 'context'; prompt: string; session: number }
  | { t: 'reply'; gen: number; id: number; value: unknown }
  | { t: 'pong'; gen: number; id: number };

/** The page's side, as it is loaded (browser.ts: a lazy chunk; tests: the in-process engine). */
export interface EngineKit {
  EngineClient: typeof import('./client').EngineClient;
  /** Starts an engine: a Web Worker (spawn.ts), or in-process.ts. Called again when a runaway command is stopped. */
  spawn(): EnginePort;
}

/** Where the page's messages go: a Worker, or (tests, Node) an engine in the same thread. */
export interface EnginePort {
  post(message: ToEngine): void;
  listen(handler: (message: FromEngine) => void, crashed: (reason: string) => void): void;
  terminate(): void;
}

/**
 * The engine's public types: what a command returns, where it runs, what the UI hears.
 * Every room of the engine (shell, kubectl, networking, grading) builds on these; this
 * file imports nothing.
 */
export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /**
   * How many leading characters of stderr the command wrote before its stdout (kubectl's
   * `Warning:` lines arrive with the API response, before the printer runs); a terminal
   * shows them first. Unset: stdout, then stderr.
   */
  stderrLead?: number;
  /**
   * The order the command wrote its output in, when it goes back and forth between the two
   * streams (kubectl debug: its stdout line, attach's notice on stderr, then the container's
   * output). Used only while it still joins up to stdout and stderr (a wrapper that changed
   * them falls back to stderrLead).
   */
  chunks?: OutputChunk[];
}

/** One piece of terminal output, in the order it was written. */
export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Where a command runs. The shell keeps a stack of these (`kubectl exec -it`, `ssh`, `exit`). */
export type HostRef =
  | { kind: 'workstation' }
  | { kind: 'node'; node: string }
  | { kind: 'pod'; namespace: string; pod: string; container: string };

/**
 * A command that keeps running (`ping` without -c, `kubectl get -w`, `curl` to a
 * black hole): it prints something now, more on each step, and stops on its own or
 * on interrupt (Ctrl+C), printing what the real tool prints when interrupted.
 */
export interface Streaming {
  streaming: true;
  stdout: string;
  stderr: string;
  /** Virtual (and, in the browser, real) time between steps. */
  intervalMs: number;
  step(): { stdout?: string; stderr?: string; done?: boolean; exitCode?: number };
  /**
   * Ctrl+C (SIGINT), or the signal a job is sent (`kill %1`, the SIGHUP of a shell that exits).
   * `exited`: the program caught the signal and exited with `exitCode` itself (bash then reports
   * `Exit N`, not the signal).
   */
  interrupt(signal?: 'INT' | 'TERM' | 'HUP' | 'KILL'): { stdout?: string; stderr?: string; exitCode: number; exited?: boolean };
  /**
   * SIGHUP (its shell exits, `kill -HUP`), for a program with a handler for it (tcpdump's
   * cleanup): it stops and prints what the handler prints. Absent: interrupt('HUP') decides —
   * a program that catches it answers `exited` (iperf3); otherwise it ends without a word.
   */
  hangup?(): { stdout?: string; stderr?: string };
  /**
   * For a background job: the shell hands over a writer to the terminal, for what the program
   * writes the moment something happens between its steps (kubectl port-forward's `Handling
   * connection for N` when it accepts). The writer answers false when no line is running there
   * (the program keeps the text for its next step).
   */
  listen?(write: (stream: 'stdout' | 'stderr', text: string) => boolean): void;
}

/** `kubectl edit`: the UI shows `path` in the editor, then calls `finish` with what was saved. */
export interface EditRequest {
  editing: true;
  path: string;
  content: string;
  /**
   * `reopen`: the command printed the result's output and launches the editor again on a new
   * file (kubectl edit's loop after an invalid edit); its exitCode means nothing yet. Without
   * an editor to reopen (null saved, no terminal) the command never asks for one.
   */
  finish(saved: string | null): RunResult & { reopen?: EditRequest };
}

export type CommandOutcome = RunResult | Streaming | EditRequest;

/**
 * What part of the path a hop belongs to, for the map to group and draw it: the name lookup,
 * leaving the source, the node's packet filter (kube-proxy's and the CNI's chains), the Service
 * translation (DNAT), source NAT, routing on one node, the way across nodes (overlay or routed),
 * a NetworkPolicy decision, a cloud load balancer, the internet, and the arrival.
 */
export type TraceStage = 'dns' | 'source' | 'netfilter' | 'service' | 'nat' | 'route' | 'overlay' | 'policy' | 'lb' | 'internet' | 'destination';

/** A hop of a packet's walk, for the UI to draw. */
export interface TraceHop {
  where: string;
  what: string;
  detail?: string;
  verdict?: 'pass' | 'drop' | 'reject' | 'dnat' | 'snat' | 'deliver';
  /** Set by the walk (dataplane/walk.ts) on every hop it records. */
  stage?: TraceStage;
  /** The node the hop happens on, when it happens on one. */
  node?: string;
  /** A NetworkPolicy decision: the policy that allowed it, or (denied) the first that isolates the pod. */
  policy?: TracePolicy;
}

export interface TracePolicy {
  kind: 'NetworkPolicy' | 'CiliumNetworkPolicy';
  namespace: string;
  name: string;
  direction: 'ingress' | 'egress';
  /** The policies' verdict for this connection (what the CNI does with it is `enforced`). */
  allowed: boolean;
  /** Does the CNI enforce it? (Flannel does not: the hop passes and says so.) */
  enforced: boolean;
  /** Every policy that selects the pod for this direction, when there are several (a denial is all of them staying silent). */
  all?: string[];
}

/** One end of a walk as the map draws it. */
export type TraceEnd =
  | { kind: 'pod'; namespace: string; name: string; node?: string; ip?: string }
  | { kind: 'node'; name: string; ip?: string }
  | { kind: 'workstation' }
  | { kind: 'external'; ip: string };

export interface PacketTrace {
  id: number;
  command: string;
  from: string;
  to: string;
  hops: TraceHop[];
  outcome: 'delivered' | 'refused' | 'timeout' | 'unreachable' | 'nxdomain';
  /** Where it started, the Service it was sent to (if any), and where it ended or was stopped. */
  path?: { src: TraceEnd; service?: { namespace: string; name: string }; dst?: TraceEnd; nodes: string[] };
  /** The hop that decided the outcome (the drop, reject or delivery), an index into `hops`. */
  decidedAt?: number;
}

/**
 * What the lesson says of a recorded answer (the `answer` command prints it): the task is
 * not in the lesson, is not a question, or is a question whose answer is right or not yet.
 */
export type AnswerVerdict =
  | { kind: 'unknown' }
  | { kind: 'not-question' }
  | { kind: 'question'; correct: boolean; reason?: string }
  /** A predict-then-check task: what happens next (run the settling command), or how the prediction fared. */
  | { kind: 'prediction'; text: string };

export type SimEvent =
  | { type: 'objects'; revision: number }
  | { type: 'files'; paths: string[] }
  /** `session`: the terminal whose shell it is (0, the first, when absent). */
  | { type: 'context'; prompt: string; session?: number }
  | { type: 'trace'; trace: PacketTrace }
  | { type: 'clear'; session?: number };

export function isStreaming(o: CommandOutcome): o is Streaming {
  return (o as Streaming).streaming === true;
}

/** What a terminal shows of `r`, in order: its chunks, else stderrLead's split (stderr's lead, stdout, the rest). */
export function outputChunks(r: RunResult): OutputChunk[] {
  const join = (s: OutputChunk['stream']) => (r.chunks ?? []).filter((c) => c.stream === s).map((c) => c.text).join('');
  if (r.chunks && join('stdout') === (r.stdout ?? '') && join('stderr') === (r.stderr ?? '')) return r.chunks.filter((c) => c.text);
  const lead = r.stderrLead ?? 0;
  const err = r.stderr ?? '';
  const out: OutputChunk[] = [
    { stream: 'stderr', text: err.slice(0, lead) },
    { stream: 'stdout', text: r.stdout ?? '' },
    { stream: 'stderr', text: err.slice(lead) },
  ];
  return out.filter((c) => c.text);
}

export function isEditRequest(o: CommandOutcome): o is EditRequest {
  return (o as EditRequest).editing === true;
}

export function ok(stdout = ''): RunResult {
  return { stdout, stderr: '', exitCode: 0 };
}

export function fail(stderr: string, exitCode = 1, stdout = ''): RunResult {
  return { stdout, stderr, exitCode };
}

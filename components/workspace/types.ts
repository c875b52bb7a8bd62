/** What the workspace needs to know about a lesson's tasks (engine/grading/types.ts `Task`). */
export interface LabTask {
  id: string;
  title: string;
  kind: 'do' | 'question';
  question?: string;
  hints: string[];
  solution: { commands: string[]; files?: Record<string, string> };
  /** The lesson's challenge: its solution opens only after every hint, and then counts as revealed. */
  challenge?: boolean;
  // The check itself is opaque here: the engine's grader reads it.
  [extra: string]: unknown;
}

export interface LabTaskResult {
  id: string;
  done: boolean;
  reason?: string;
  /** Done: what the learner should hear (a settled prediction: right or not). */
  note?: string;
}

export interface Notice {
  id: string;
  tone: 'info' | 'warn' | 'error';
  text: string;
}

export type WorkspaceTab = 'terminal' | 'editor' | 'map';

'use client';
import { createContext, useContext } from 'react';
import type { LabTask, LabTaskResult } from '@/components/workspace/types';

export interface LabContextValue {
  tasks: LabTask[];
  results: LabTaskResult[];
  /** Types a command into the terminal (the learner presses Enter). */
  paste(command: string): void;
  /** Opens a task in the task panel. */
  focusTask(id: string): void;
  /** Opens `name` (relative to ~) in the editor with `content`; null where there is no lab (the authoring guide). */
  openInEditor: ((name: string, content: string) => void) | null;
}

export const LabContext = createContext<LabContextValue>({
  tasks: [],
  results: [],
  paste: () => {},
  focusTask: () => {},
  openInEditor: null,
});

export function useLabContext(): LabContextValue {
  return useContext(LabContext);
}

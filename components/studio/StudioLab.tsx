'use client';
/**
 * The studio's lab: a terminal (and the editor and map) on the edited scenario, graded
 * against the edited tasks — the lesson page's workspace (components/workspace), built in
 * the engine's worker from the studio's files when the tab first opens, and rebuilt from
 * them on request (the cluster does not follow every keystroke; the checker does).
 */
import { useEffect, useRef, useState } from 'react';
import { Workspace } from '@/components/workspace/Workspace';
import { useLab } from '@/components/workspace/useLab';
import type { LabTask } from '@/components/workspace/types';
import type { StudioProblem } from '@/lib/studio/check';

export interface StudioLabProps {
  scenario: string;
  files: Record<string, string>;
  tasks: LabTask[];
  /** The checker's problems with scenario.yaml: the lab cannot build while there are some. */
  scenarioProblems: StudioProblem[];
  /** The lab's paste (a preview Try button types into the terminal), or null when it goes. */
  onReady(paste: ((command: string) => void) | null): void;
}

export default function StudioLab({ scenario, files, tasks, scenarioProblems, onReady }: StudioLabProps) {
  const latest = useRef({ scenario, files });
  useEffect(() => {
    latest.current = { scenario, files };
  });
  const built = useRef<string | null>(null);
  const [builtFrom, setBuiltFrom] = useState<string | null>(null);
  const lab = useLab({
    id: 'authoring-studio',
    spec: () => {
      built.current = latest.current.scenario;
      setBuiltFrom(built.current);
      return { scenario: latest.current.scenario, files: latest.current.files };
    },
    tasks,
  });

  // a lab restored from an earlier visit was built from other files: build it from these
  const fresh = useRef(false);
  useEffect(() => {
    if (lab.sim && !fresh.current) {
      fresh.current = true;
      if (built.current !== latest.current.scenario) lab.replace();
    }
  }, [lab, lab.sim]);

  const paste = lab.paste;
  useEffect(() => {
    onReady(lab.sim ? (c) => paste(c) : null);
    return () => onReady(null);
  }, [lab.sim, paste, onReady]);

  const stale = builtFrom !== null && builtFrom !== scenario;
  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2 text-sm">
        <span className="min-w-0 flex-1 text-muted">
          {scenarioProblems.length
            ? `scenario.yaml has ${scenarioProblems.length} problem${scenarioProblems.length === 1 ? '' : 's'}: the lab runs the last scenario that loaded.`
            : stale
              ? 'scenario.yaml changed since this cluster was built.'
              : 'The cluster of the edited scenario, graded against the edited tasks.'}
        </span>
        <button
          type="button"
          disabled={!lab.sim || scenarioProblems.length > 0}
          onClick={() => lab.replace()}
          className="rounded-lg border border-line bg-surface px-3 py-1 text-sm font-medium text-ink hover:bg-surface-2 disabled:opacity-50"
        >
          Rebuild from the edited files
        </button>
      </div>
      <div className="h-[34rem] min-h-0 lg:h-[calc(100vh-23rem)] lg:min-h-[22rem]">
        <Workspace lab={lab} tasks={tasks} />
      </div>
    </div>
  );
}

/** The learner's files on the workstation, for the editor's file list. */
import type { Simulation } from '@/engine';

export const HOME = '/home/learner';

export interface HomeFile {
  path: string;
  name: string;
}

interface ListingFS {
  list?(host: { kind: 'workstation' }, dir: string): { path: string; name: string; type: 'file' | 'dir'; derived?: boolean }[] | undefined;
}

/** The files the engine's worker reported (SimView.files: path → text), as the editor lists them. */
export function listFiles(files: Record<string, string>): HomeFile[] {
  return Object.keys(files)
    .sort()
    .map((path) => ({ path, name: path.slice(path.lastIndexOf('/') + 1) }));
}

/** Regular files directly in ~ and in its sub-directories, sorted by path. */
export function homeFiles(sim: Simulation): HomeFile[] {
  const fs = sim.fs as unknown as ListingFS;
  if (typeof fs.list !== 'function') return [];
  const out: HomeFile[] = [];
  const walk = (dir: string, depth: number) => {
    const entries = fs.list!({ kind: 'workstation' }, dir) ?? [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      if (e.type === 'file') out.push({ path: e.path, name: e.name });
      else if (depth < 3) walk(e.path, depth + 1);
    }
  };
  walk(HOME, 0);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

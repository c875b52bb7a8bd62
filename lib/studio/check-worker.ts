/**
 * The studio's checker thread: the lesson checker and the solution replay run here (a
 * replay takes a second or more), so the editors keep typing. One request at a time; a
 * newer request makes the page ignore the older one's answer (check-client.ts).
 */
import './worker-dom-shim';
import { checkStudioLesson, type StudioCheckInput, type StudioCheckResult } from './check';

export type ToChecker = { id: number; input: StudioCheckInput };
export type FromChecker = { id: number; result: StudioCheckResult } | { id: number; crashed: string };

interface WorkerScope {
  postMessage(message: FromChecker): void;
  onmessage: ((e: MessageEvent<ToChecker>) => void) | null;
}

const scope = self as unknown as WorkerScope;
scope.onmessage = (e) => {
  const { id, input } = e.data;
  checkStudioLesson(input).then(
    (result) => scope.postMessage({ id, result }),
    (err: Error) => scope.postMessage({ id, crashed: err?.message ?? String(err) }),
  );
};

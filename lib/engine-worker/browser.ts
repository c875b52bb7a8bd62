/**
 * What the page loads to reach the engine: the client and the worker it starts. A lazy
 * chunk (useLab's loadEngine), so it is not part of the page's first load; the engine
 * itself is only ever loaded inside the worker.
 */
import { EngineClient } from './client';
import { spawnEngineWorker } from './spawn';
import type { EngineKit } from './protocol';

export const kit: EngineKit = { EngineClient, spawn: spawnEngineWorker };

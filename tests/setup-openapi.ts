/** Loads the OpenAPI schemas once per test file: kubectl apply/create/replace need them (server-side field validation). */
import { beforeAll } from 'vitest';
import { loadOpenApi } from '../engine/cluster/openapi';

beforeAll(async () => {
  await loadOpenApi();
});

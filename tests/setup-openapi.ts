/**
 * Loads the OpenAPI schemas before each test file is imported: kubectl apply/create/replace
 * need them (server-side field validation), and some files build their simulation while
 * they are collected, before any beforeAll hook runs.
 */
import { loadOpenApi } from '../engine/cluster/openapi';

await loadOpenApi();

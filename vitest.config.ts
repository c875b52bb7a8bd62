import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/golden/**/*.test.ts', 'tests/lessons/**/*.test.ts'],
    environment: 'node',
    // the OpenAPI schemas load asynchronously; kubectl's writes wait for them (field validation)
    setupFiles: ['tests/setup-openapi.ts'],
    testTimeout: 60_000,
  },
});

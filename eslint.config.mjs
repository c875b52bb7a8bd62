import coreWebVitals from 'eslint-config-next/core-web-vitals';
import typescript from 'eslint-config-next/typescript';
import { layerZones } from './eslint.layers.mjs';

const config = [
  ...coreWebVitals,
  ...typescript,
  {
    ignores: ['node_modules/**', '.next/**', 'out/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', '.tmp/**'],
  },
  {
    files: ['engine/**/*.ts', 'app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'lib/**/*.ts'],
    rules: {
      'import/no-restricted-paths': ['error', { zones: layerZones() }],
    },
  },
];

export default config;

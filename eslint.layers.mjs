/**
 * The engine's layers, bottom first (engine/README.md explains the order). A room may
 * import the rooms below it and never one above it — type imports included, so a type
 * lives in the lowest room that needs it. ESLint's import/no-restricted-paths enforces
 * this; tests/unit/architecture.test.ts adds the check that no runtime import cycle exists.
 */
export const ENGINE_LAYERS = [
  ['engine/types.ts'],
  ['engine/patterns'],
  ['engine/cluster'],
  ['engine/tls'],
  ['engine/scenario/load.ts', 'engine/scenario/bootstrap.ts'],
  ['engine/hosts'],
  ['engine/dataplane'],
  ['engine/printers'],
  ['engine/controllers'],
  ['engine/shell'],
  ['engine/commands'],
  ['engine/scenario/export.ts', 'engine/scenario/faults'],
  ['engine/simulation.ts'],
  ['engine/grading'],
  ['engine/index.ts', 'engine/cli'],
];

/** The UI and the tooling reach the engine through its public API and the grading room only. */
const UI = ['./app', './components', './lib'];

export function layerZones() {
  const zones = [];
  ENGINE_LAYERS.forEach((rooms, i) => {
    const above = ENGINE_LAYERS.slice(i + 1).flat();
    for (const target of rooms) {
      zones.push({
        target: `./${target}`,
        from: above.map((r) => `./${r}`),
        message: `${target} sits below these rooms in engine/README.md's layers; move the shared piece down or inject it.`,
      });
    }
  });
  zones.push({
    target: UI,
    from: './engine',
    except: ['./index.ts', './grading'],
    message: 'The UI uses the engine through engine/index.ts (and engine/grading) only.',
  });
  zones.push({
    target: './engine',
    from: UI,
    message: 'The engine is pure TypeScript: nothing under engine/ imports the UI.',
  });
  return zones;
}

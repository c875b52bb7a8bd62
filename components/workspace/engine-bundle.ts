/** Everything the UI calls in the engine, in one module so it loads as one lazy chunk. */
export { Simulation, SNAPSHOT_VERSION, createSimulation, loadScenario } from '@/engine';
export { checkTasks, createLessonSimulation, recordSolution, exportScenario } from '@/engine/grading';

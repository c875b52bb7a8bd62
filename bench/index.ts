/**
 * `npm run bench`: prints the engine's figures. Each part is a module of its own so the
 * rooms that own them can grow them independently.
 */
import { benchEngine } from './engine';
import { benchNetwork } from './network';
import { benchPatterns } from './patterns';
import { benchMemory } from './memory';
import { benchHostile } from './hostile';
import { benchReachability } from './reachability';
import { benchTextTools } from './text-tools';

async function main() {
  const only = process.argv[2];
  if (!only || only === 'engine') await benchEngine();
  if (!only || only === 'network') await benchNetwork();
  if (!only || only === 'patterns') await benchPatterns(process.argv[3]);
  if (!only || only === 'reachability') await benchReachability();
  if (!only || only === 'text') await benchTextTools();
  if (!only || only === 'memory') await benchMemory();
  if (!only || only === 'hostile') await benchHostile(process.argv[3]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

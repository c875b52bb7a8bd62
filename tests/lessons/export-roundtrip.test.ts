/**
 * Every lesson's starting cluster, exported as the playground exports it, is a scenario
 * that builds a cluster whose export is the same text (nothing lost, nothing derived
 * added), keeps every authored object on another dataplane, and passes the same check an
 * imported or shared scenario must pass.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../../engine';
import { checkScenario, exportScenario, rebuildOn } from '../../engine/grading';
import { userObjects } from '../../engine/scenario/export';
import { listLessons } from '../../lib/lessons';

describe('lesson scenarios through the playground export', () => {
  for (const lesson of listLessons()) {
    it(lesson.slug, () => {
      const sim = createSimulation(readFileSync(`lessons/${lesson.slug}/scenario.yaml`, 'utf8'), { seed: 1 });
      const text = exportScenario(sim);
      expect(checkScenario(text)).toMatchObject({ ok: true, objects: userObjects(sim).length });
      expect(exportScenario(createSimulation(text, { seed: 1 }))).toBe(text);
      const moved = rebuildOn(sim, { cni: sim.settings.cni === 'flannel' ? 'calico' : 'flannel', proxyMode: 'nftables' });
      if (sim.settings.podCIDRv6) {
        // dual-stack is simulated on Flannel with iptables only: the switch says so and keeps the cluster
        expect(moved).toMatchObject({ ok: false, message: expect.stringMatching(/dual-stack is simulated with cni: flannel/) });
        return;
      }
      if (!moved.ok) throw new Error(moved.message);
      expect(moved.dropped).toEqual([]);
      expect(moved.kept).toHaveLength(userObjects(sim).length);
    });
  }
});

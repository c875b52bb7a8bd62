/**
 * The course map: modules in the order of /work/shared/topics.md (the model, Pods, Services,
 * kube-proxy, DNS, NetworkPolicies, Ingress, traffic in and out, the mesh, troubleshooting,
 * best practices), no module split in two, every lesson tagged with the CNCF competencies
 * it covers (lib/competencies.ts), and the frontmatter check naming a wrong tag.
 */
import { describe, expect, it } from 'vitest';
import { listLessons } from '../../../lib/lessons';
import { validateFrontmatter } from '../../../lib/lesson-schema';
import { COMPETENCIES, competencyTitle, sortCompetencies } from '../../../lib/competencies';

const lessons = listLessons();

describe('the course map', () => {
  it('lists its modules in the order topics.md teaches them, each in one piece', () => {
    const modules: string[] = [];
    for (const l of lessons) if (modules[modules.length - 1] !== l.module) modules.push(l.module);
    expect(new Set(modules).size).toBe(modules.length);
    expect(modules).toEqual(['Getting started', 'Pod networking', 'Services', 'kube-proxy', 'DNS', 'NetworkPolicies', 'Cilium', 'Ingress', 'Traffic in and out', 'Service mesh', 'Troubleshooting', 'Best practices']);
  });

  it('puts every prerequisite before the lesson that needs it', () => {
    const at = new Map(lessons.map((l, i) => [l.slug, i]));
    for (const l of lessons) for (const p of l.prerequisites) expect({ lesson: l.slug, prerequisite: p, before: at.get(p)! < at.get(l.slug)! }).toEqual({ lesson: l.slug, prerequisite: p, before: true });
  });

  it('tags every lesson with known competencies, and every Services & Networking item of the CKA and CKAD is taught somewhere', () => {
    const used = new Set(lessons.flatMap((l) => l.competencies));
    for (const l of lessons) expect(l.competencies.length).toBeGreaterThan(0);
    for (const c of COMPETENCIES.filter((x) => /Networking/.test(x.domain))) expect({ id: c.id, taught: used.has(c.id) }).toEqual({ id: c.id, taught: true });
  });

  it('orders a lesson\'s chips CKA, CKAD, KCNA and titles them in the curriculum\'s words', () => {
    expect(sortCompetencies(['kcna-networking', 'ckad-services', 'cka-coredns']).map((c) => c.id)).toEqual(['cka-coredns', 'ckad-services', 'kcna-networking']);
    expect(competencyTitle(COMPETENCIES.find((c) => c.id === 'cka-coredns')!)).toBe('CKA v1.35 · Services & Networking (20%): Understand and use CoreDNS');
    expect(competencyTitle(COMPETENCIES.find((c) => c.id === 'ckad-ingress')!)).toBe('CKAD v1.35 · Services and Networking (20%): Use Ingress rules to expose applications');
  });
});

describe('competencies in the frontmatter', () => {
  const base = { title: 'T', summary: 'S', module: 'M', order: 1, minutes: 1, objectives: ['x'] };
  it('is required, and names what a wrong or repeated id should be', () => {
    expect(validateFrontmatter(base).problems).toEqual([{ field: 'competencies', message: 'missing `competencies:` — the CKA / CKAD / KCNA competencies the lesson covers, as ids from lib/competencies.ts (e.g. [cka-coredns, kcna-networking])' }]);
    expect(validateFrontmatter({ ...base, competencies: [] }).problems[0].message).toBe('tag at least one competency (ids in lib/competencies.ts: the CKA, CKAD and KCNA items the lesson covers)');
    expect(validateFrontmatter({ ...base, competencies: ['ckad-dns'] }).problems[0].message).toBe('unknown competency "ckad-dns" (CKAD ids: ckad-network-policies, ckad-services, ckad-ingress, ckad-multi-container, ckad-probes)');
    expect(validateFrontmatter({ ...base, competencies: ['kcna-networking', 'kcna-networking'] }).problems[0].message).toBe('competency "kcna-networking" is listed twice');
    expect(validateFrontmatter({ ...base, competencies: ['cka-coredns'] }).meta?.competencies).toEqual(['cka-coredns']);
  });
});

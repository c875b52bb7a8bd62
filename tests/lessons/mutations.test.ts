/**
 * The real lessons, broken one way at a time in a scratch copy: the checker must name
 * the file and line of each break and say what to do. (Lessons change; each case finds
 * its text first and fails loudly if it is gone.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkLessons, formatError } from '../../scripts/lessons-check';

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  return text.slice(0, i).split('\n').length;
}

async function breakLesson(slug: string, file: string, from: string, to: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'netlab-mut-'));
  scratch.push(dir);
  cpSync(path.join(process.cwd(), 'lessons'), dir, { recursive: true });
  const p = path.join(dir, slug, file);
  const text = readFileSync(p, 'utf8');
  expect(text, `${slug}/${file} no longer contains the text this case breaks`).toContain(from);
  writeFileSync(p, text.replace(from, to));
  const r = await checkLessons(dir, { only: slug });
  const prefix = `${path.relative(process.cwd(), dir)}/${slug}/${file}`;
  return { errors: r.errors.map(formatError), prefix, line: lineOf(text, from) };
}

const S = '20-services-and-endpoints';

describe('the checker on broken copies of the real lessons', () => {
  it.each([
    ['an unknown CNI', 'scenario.yaml', 'cni: calico', 'cni: calicoo', 'cluster.cni "calicoo" is not one of'],
    ['a misspelt top-level key', 'scenario.yaml', 'objects:', 'object:', 'unknown top-level key "object"'],
    ['a manifest the API server rejects', 'scenario.yaml', 'containerPort: 8080', 'containerPort: 80800', 'containerPort: Invalid value: 80800'],
    ['a misspelt check kind', 'tasks.yaml', '- exists: { kind: Deployment, name: web }', '- exist: { kind: Deployment, name: web }', 'unknown check "exist"'],
    ['an unknown object kind', 'tasks.yaml', '- exists: { kind: Deployment, name: web }', '- exists: { kind: Deploymnet, name: web }', 'unknown kind "Deploymnet"'],
    ['a bad selector', 'tasks.yaml', 'selector: app=web, equals: 3', 'selector: "app in (web", equals: 3', 'invalid label selector'],
    ['a wrong Callout type', 'index.mdx', '<Callout type="tip"', '<Callout type="danger"', 'must be one of note, tip, warning'],
    ['a link to nowhere', 'index.mdx', '(/lessons/30-kube-proxy-iptables)', '(/lessons/39-nope)', 'link to /lessons/39-nope goes nowhere'],
    ['a non-numeric estimate', 'index.mdx', 'minutes: 20', 'minutes: twenty', '`minutes` must be a non-negative number'],
    ['a Task marker for no task', 'index.mdx', '<Task id="expose-web" />', '<Task id="expose-wbe" />', 'names no task in tasks.yaml'],
    ['a solution command with a typo', 'tasks.yaml', '        - kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80', '        - kubectl create deploymnt web --image=nginx:1.27 --replicas=3 --port=80', 'exited 1'],
  ])('%s', async (_name, file, from, to, phrase) => {
    const r = await breakLesson(S, file, from, to);
    const hit = r.errors.find((e) => e.startsWith(`${r.prefix}:${r.line}: `));
    expect(hit, `expected an error at ${r.prefix}:${r.line}, got:\n${r.errors.join('\n')}`).toBeDefined();
    expect(hit).toContain(phrase);
  });

  it('a wrong port in the allow policy leaves the task unsolved, with the packet walk\'s reason', async () => {
    const from = '                ports:\n                  - protocol: TCP\n                    port: 8080\n      commands:';
    const r = await breakLesson('40-network-policies', 'tasks.yaml', from, from.replace('port: 8080', 'port: 9090'));
    expect(r.errors.some((e) => /task "allow-frontend" is not done after its own solution \(replayed in order\): Pod frontend-\S+ \(app=frontend\) → the Service backend\.shop port 8080 does not connect \(it times out\)/.test(e))).toBe(true);
  });

  it('a default-deny already in the scenario makes its task done at the start', async () => {
    const policy = '\n  - apiVersion: networking.k8s.io/v1\n    kind: NetworkPolicy\n    metadata: { name: deny, namespace: shop }\n    spec: { podSelector: {}, policyTypes: [Ingress] }\n';
    const text = readFileSync(path.join(process.cwd(), 'lessons/40-network-policies/scenario.yaml'), 'utf8');
    const r = await breakLesson('40-network-policies', 'scenario.yaml', text, text.trimEnd() + policy);
    expect(r.errors.some((e) => e.includes('task "default-deny" is already done before the learner does anything'))).toBe(true);
  });
});

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

  it('a lesson without its Recap section is refused', async () => {
    const r = await breakLesson('40-network-policies', 'index.mdx', '## Recap', '## Summing up');
    expect(r.errors.some((e) => e.startsWith(`${r.prefix}:`) && e.includes('no `## Recap` section'))).toBe(true);
  });

  it('a lesson without a challenge task is refused, at its last task', async () => {
    const r = await breakLesson('40-network-policies', 'tasks.yaml', '    challenge: true\n', '');
    expect(r.errors.some((e) => e.includes('no challenge task: mark the lesson\'s final, least guided task with `challenge: true`'))).toBe(true);
  });

  it('a Try button that runs the challenge\'s solution is refused at its line', async () => {
    const tasks = readFileSync(path.join(process.cwd(), 'lessons/40-network-policies/tasks.yaml'), 'utf8');
    const solutionLine = lineOf(tasks.slice(tasks.indexOf('- id: lock-frontend-egress')), '    solution:') + lineOf(tasks, '- id: lock-frontend-egress') - 1;
    const r = await breakLesson('40-network-policies', 'index.mdx', '<Task id="lock-frontend-egress" />', '<Try>kubectl apply -f frontend-egress.yaml</Try>\n\n<Task id="lock-frontend-egress" />');
    expect(r.errors).toContain(`${r.prefix}:${r.line}: <Try>kubectl apply -f frontend-egress.yaml</Try> runs a solution command of the challenge "lock-frontend-egress" (tasks.yaml line ${solutionLine}): a challenge is solved by the learner, so show a different command here or make another task the challenge`);
  });

  it('a question whose answer is printed above it is refused at the line that prints it', async () => {
    const text = readFileSync(path.join(process.cwd(), 'lessons/32-kube-proxy-nftables/index.mdx'), 'utf8');
    const anchor = text.split('\n').find((l) => l.startsWith('## '))!;
    const r = await breakLesson('32-kube-proxy-nftables', 'index.mdx', anchor, `${anchor}\n\nThe web Service's chain is service-PFISGYVC-default/web/tcp/ on every node.`);
    expect(r.errors.some((e) => e.startsWith(`${r.prefix}:${r.line + 2}: the answer to question "service-ips-lookup" (service-PFISGYVC-default/web/tcp/) is printed here, above the question`))).toBe(true);
  });

  it('a choice question may name its answer among the others', async () => {
    const r = await breakLesson('12-containers-in-a-pod', 'index.mdx', '## Who holds the namespace', '## Who holds the namespace');
    expect(r.errors).toEqual([]);
  });
});


/**
 * `npm run lesson:new -- "Title"` — scaffolds lessons/<nn-slug>/ with frontmatter, a
 * little prose, a default scenario and three working example tasks (a `do`, a predict-then-check
 * `question` and a challenge `question`) that pass `npm run lessons:check` as created. Edit from there.
 *
 *   npm run lesson:new -- "DNS for headless Services"
 *   npm run lesson:new -- "Title" --dir PATH     (another lessons folder)
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { lessonsDir, listLessons } from '../lib/lessons';
import { SLUG_PATTERN } from '../lib/lesson-schema';

export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .split('-')
    .slice(0, 6)
    .join('-');
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

export function scaffoldLesson(title: string, dir?: string): { slug: string; folder: string; files: string[] } {
  const root = lessonsDir(dir);
  const words = slugify(title);
  if (!words) throw new Error(`cannot make a slug from "${title}": use letters or digits in the title`);
  mkdirSync(root, { recursive: true });
  const taken = readdirSync(root).filter((n) => /^\d{2}-/.test(n) || /^_/.test(n));
  const numbers = readdirSync(root)
    .map((n) => n.match(/^(\d{2})-/)?.[1])
    .filter((n): n is string => !!n)
    .map(Number);
  const nn = numbers.length ? Math.max(...numbers) + 1 : 10;
  if (nn > 99) throw new Error('lesson numbers run from 00 to 99 and 99 is taken: renumber the folders or pass a lower number by renaming the new folder');
  const slug = `${String(nn).padStart(2, '0')}-${words}`;
  if (!SLUG_PATTERN.test(slug)) throw new Error(`"${slug}" is not a valid lesson slug`);
  if (taken.some((n) => n.replace(/^\d{2}-/, '') === words)) {
    throw new Error(`a lesson named "${words}" already exists in ${path.relative(process.cwd(), root) || root}: pick another title`);
  }
  let order = 10;
  try {
    const existing = listLessons(root);
    if (existing.length) order = Math.max(...existing.map((l) => l.order)) + 10;
  } catch {
    order = nn * 10;
  }
  const folder = path.join(root, slug);
  if (existsSync(folder)) throw new Error(`${folder} already exists`);
  mkdirSync(path.join(folder, 'files'), { recursive: true });

  const files: Record<string, string> = {
    'index.mdx': `---
title: ${yamlString(title)}
summary: One sentence for the course map — what the learner will get out of this lesson.
module: ${yamlString('New lessons')}
order: ${order}
minutes: 10
objectives:
  - Create a namespace with kubectl
  - Find a Service's ClusterIP
prerequisites: []
competencies:
  - kcna-networking
---

Write the lesson here, in your own words. Explain one idea, then let the learner try it
in the terminal beside the text. See docs/authoring.md for the components and the check API.

## Try it

<Try>kubectl get namespaces</Try>

<Callout type="tip">
A namespace groups objects; names only have to be unique inside one.
</Callout>

<Task id="create-namespace" />

A predict-then-check task asks the learner to commit to an answer before the command that
settles it; the explanation comes after it, never above.

<Task id="count-namespaces" />

Besides yours, a kubeadm cluster has \`default\`, \`kube-system\`, \`kube-public\` and
\`kube-node-lease\`.

## Challenge

Every cluster has a Service called \`kubernetes\` in the \`default\` namespace: the API
server's own address. Find it without a Try button — the last task of a lesson is a
challenge the learner solves alone (hints on request).

<Task id="kubernetes-cluster-ip" />

## Recap

- A few bullets: what the learner found, in your own words.
`,
    'scenario.yaml': `# The cluster this lesson starts from (format: docs/authoring.md, "The scenario").
# Empty settings give the default cluster: three nodes, Calico, kube-proxy in iptables mode.
cluster:
  cni: calico
  proxyMode: iptables
objects: []
`,
    'tasks.yaml': `# The exercises (format: docs/authoring.md, "Tasks and checks").
tasks:
  - id: create-namespace
    title: Create a namespace called practice
    kind: do
    hints:
      - "\`kubectl create\` can make a namespace."
      - "Run: kubectl create namespace practice"
    check:
      exists: { kind: Namespace, name: practice }
    solution:
      commands:
        - kubectl create namespace practice

  - id: count-namespaces
    title: "Predict, then check: how many namespaces the cluster has"
    kind: question
    question: How many namespaces does the cluster have now? Answer before you list them.
    hints:
      - "Kubernetes makes a few namespaces of its own when a cluster is set up; you added one."
      - "Check with kubectl get namespaces."
    check:
      predict:
        answer: { count: { kind: Namespace } }
        then: { pattern: "^kubectl\\\\b.*\\\\bget\\\\s+(namespaces?|ns)\\\\b", what: "kubectl get namespaces" }
    solution:
      commands:
        - kubectl get namespaces

  - id: kubernetes-cluster-ip
    title: Find the ClusterIP of the kubernetes Service
    challenge: true
    kind: question
    question: What is the ClusterIP of the kubernetes Service in the default namespace?
    hints:
      - "\`kubectl get service kubernetes\` shows it in the CLUSTER-IP column."
      - "It is the first address of the Service CIDR."
    check:
      answer:
        field: { kind: Service, namespace: default, name: kubernetes, path: spec.clusterIP }
    solution:
      commands:
        - kubectl get service kubernetes
`,
    'files/README.md': `Files in this folder appear in the learner's home directory and in the editor.
Delete this one, or replace it with manifests the learner will apply (e.g. web.yaml).
`,
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(folder, name), content);
  return { slug, folder, files: Object.keys(files) };
}

function main() {
  const args = process.argv.slice(2);
  let dir: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dir') dir = args[++i];
    else words.push(args[i]);
  }
  const title = words.join(' ').trim();
  if (!title) {
    console.error('usage: npm run lesson:new -- "Lesson title"');
    process.exit(2);
  }
  try {
    const r = scaffoldLesson(title, dir);
    const rel = path.relative(process.cwd(), r.folder);
    console.log(`created ${rel}/`);
    for (const f of r.files) console.log(`  ${rel}/${f}`);
    console.log(`\nnext: edit the files, run \`npm run lessons:check -- ${r.slug}\`, and open /lessons/${r.slug} with \`npm run dev\`.`);
  } catch (e) {
    console.error(`lesson:new: ${(e as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();

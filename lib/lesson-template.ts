/**
 * The new-lesson template (`npm run lesson:new`, and the authoring studio's "Blank lesson"):
 * frontmatter, a little prose, a default scenario and three working example tasks (a `do`,
 * a predict-then-check `question` and a challenge `question`) that pass the lesson checker
 * as they are. Paths are relative to the lesson folder.
 */
function yamlString(s: string): string {
  return JSON.stringify(s);
}

export function lessonTemplate(title: string, order: number): Record<string, string> {
  return {
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
}

/**
 * kubectl cluster-info dump, from the cluster's state.
 *
 * Upstream: k8s.io/kubectl v0.34.2 pkg/cmd/clusterinfo/clusterinfo_dump.go — Run(): the
 * NodeList, then per namespace (kube-system and the context's by default, --namespaces,
 * --all-namespaces) its Event, ReplicationController, Service, DaemonSet, Deployment,
 * ReplicaSet and Pod lists and every container's log between "==== START logs for container
 * %s of pod %s/%s ====" and "==== END …", "Request log error: %s" when there is none to
 * read; setupOutputWriter (DIR/NS/NAME.json, DIR/NS/POD/logs.txt), "Cluster info dumped to %s".
 * cli-runtime printers/json.go: json.MarshalIndent(obj, "", "    ") of the typed list (kind and
 * apiVersion from the type setter, items without them, Go struct field order — k8s.io/api
 * v0.34.2 types.go), managedFields omitted; print_flags.go's "unable to match a printer
 * suitable for the output format" with its allowed formats.
 */
import { it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
objects:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: shop }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web, namespace: shop, labels: { app: web } }
    spec:
      nodeName: node-1
      containers: [{ name: web, image: "nginx:1.27" }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: broken, namespace: shop }
    spec:
      nodeName: node-1
      containers: [{ name: app, image: "nosuch/app:1" }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web, namespace: shop }
    spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }
`;

it('dumps nodes, the namespaces lists and every container log', () => {
  const sim = createSimulation(SCENARIO, { seed: 1 });
  sim.advance(30_000);
  golden(
    'cluster-info-dump',
    transcriptOf(sim, [
      'kubectl cluster-info dump | grep -E "^    \\"(kind|apiVersion)\\"|^==== "',
      'kubectl cluster-info dump --namespaces shop | sed -n "/\\"kind\\": \\"ServiceList\\"/,/^}/p"',
      'kubectl cluster-info dump --namespaces shop | sed -n "/^====/,\\$p" | grep -v "^20"',
      'kubectl cluster-info dump -A | grep -E "^==== START"',
      'kubectl cluster-info dump --namespaces shop -o yaml | grep -E "^(kind|apiVersion):"',
      'kubectl cluster-info dump --namespaces shop --output-directory=/tmp/state',
      'ls -R /tmp/state',
      'head -8 /tmp/state/shop/pods.json',
      'cat /tmp/state/shop/broken/logs.txt',
      'kubectl cluster-info dump -o wide',
      'kubectl cluster-info --namespaces shop',
    ]),
  );
});

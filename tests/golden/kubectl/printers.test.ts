/**
 * Whole-output goldens for kubectl's printers, from fixtures with every field pinned.
 * Each golden file starts with the upstream function its format follows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { parse } from 'yaml';
import { ObjectStore } from '../../../engine/cluster/store';
import type { KubeObject } from '../../../engine/cluster/types';
import { printTable, printYaml, printJson, asList, compileJsonPath, printCustomColumns, parseCustomColumns } from '../../../engine/printers/kubectl';
import { describeObject } from '../../../engine/printers/kubectl/describe';
import { golden } from './golden';

const objs = parse(readFileSync(join(__dirname, 'fixtures.yaml'), 'utf8')) as KubeObject[];
const store = new ObjectStore(objs);
const now = Date.UTC(2025, 0, 15, 9, 0, 0);
const env = { now, store };
const of = (kind: string, ns?: string) => store.list(kind, ns);

const TABLE_SOURCES: Record<string, string> = {
  Pod: 'printPod',
  Service: 'printService (makePortString, getServiceExternalIP, loadBalancerStatusStringer)',
  Endpoints: 'printEndpoints (formatEndpoints)',
  EndpointSlice: 'printEndpointSlice (formatDiscoveryPorts, formatDiscoveryEndpoints)',
  Deployment: 'printDeployment',
  ReplicaSet: 'printReplicaSet',
  DaemonSet: 'printDaemonSet',
  StatefulSet: 'printStatefulSet',
  Ingress: 'printIngress (formatHosts, formatPorts)',
  IngressClass: 'printIngressClass',
  NetworkPolicy: 'printNetworkPolicy (metav1.FormatLabelSelector)',
  Node: 'printNode (findNodeRoles, getNodeInternalIP)',
  Namespace: 'printNamespace',
  ConfigMap: 'printConfigMap',
  Secret: 'printSecret',
  Event: 'printEvent (formatEventSource)',
};

describe('kubectl table printers (kubernetes/pkg/printers/internalversion/printers.go)', () => {
  for (const [kind, fn] of Object.entries(TABLE_SOURCES)) {
    it(`${kind}: normal, wide, -A, --no-headers`, () => {
      const list = of(kind);
      const text =
        `# upstream: kubernetes/pkg/printers/internalversion/printers.go ${fn}; cli-runtime printers/tabwriter.go (minwidth 6, padding 3)\n` +
        `## kubectl get ${kind}\n` +
        printTable(kind, list.filter((o) => !o.metadata.namespace || o.metadata.namespace === 'default' || kind === 'DaemonSet'), { now }) +
        `## -o wide\n` +
        printTable(kind, list, { now }, { wide: true }) +
        `## -A --show-labels\n` +
        printTable(kind, list, { now }, { withNamespace: !!list[0]?.metadata.namespace, showLabels: true }) +
        `## -L app,tier (label columns)\n` +
        printTable(kind, list, { now }, { labelColumns: ['app', 'pod-template-hash'] }) +
        `## --no-headers with kind prefix\n` +
        printTable(kind, list, { now }, { noHeaders: true, kindPrefix: kind.toLowerCase() });
      golden(`table-${kind.toLowerCase()}`, text);
    });
  }
});

const DESCRIBE: [string, string | undefined, string, string][] = [
  ['Service', 'default', 'web', 'describeService (formatEndpointSlices)'],
  ['Service', 'default', 'lb-ready', 'describeService'],
  ['Service', 'default', 'ext', 'describeService'],
  ['Pod', 'default', 'web-7d4b9c-abcde', 'describePod, describeContainers, DescribeProbe'],
  ['Pod', 'default', 'web-7d4b9c-fghij', 'describePod, describeStatus (Last State)'],
  ['Pod', 'default', 'pending-0', 'describePod'],
  ['Endpoints', 'default', 'web', 'describeEndpoints'],
  ['EndpointSlice', 'default', 'web-abc12', 'describeEndpointSlice'],
  ['Node', undefined, 'node-1', 'describeNode, describeNodeResource'],
  ['Node', undefined, 'control-plane', 'describeNode (printNodeTaintsMultiline)'],
  ['Deployment', 'default', 'web', 'DeploymentDescriber, DescribePodTemplate, printReplicaSetsByLabels'],
  ['ReplicaSet', 'default', 'web-7d4b9c', 'ReplicaSetDescriber'],
  ['DaemonSet', 'kube-system', 'kube-proxy', 'DaemonSetDescriber'],
  ['Ingress', 'default', 'web', 'IngressDescriber.describeIngressV1, describeBackendV1'],
  ['NetworkPolicy', 'default', 'db-allow-web', 'describeNetworkPolicy, printNetworkPolicySpecIngressFrom'],
  ['NetworkPolicy', 'default', 'default-deny', 'describeNetworkPolicy'],
  ['ConfigMap', 'default', 'app-config', 'ConfigMapDescriber'],
  ['Secret', 'default', 'shop-tls', 'describeSecret'],
  ['Namespace', undefined, 'default', 'describeNamespace'],
];

describe('kubectl describe (k8s.io/kubectl/pkg/describe/describe.go)', () => {
  for (const [kind, ns, name, fn] of DESCRIBE) {
    it(`${kind} ${name}`, () => {
      const o = store.get(kind, ns, name)!;
      golden(`describe-${kind.toLowerCase()}-${name}`, `# upstream: k8s.io/kubectl/pkg/describe/describe.go ${fn}; tabwriter (minwidth 0, padding 2)\n` + describeObject(o, env));
    });
  }
});

describe('kubectl -o yaml / json / jsonpath / custom-columns', () => {
  it('yaml (sigs.k8s.io/yaml → go-yaml v2) and json (json.MarshalIndent, 4 spaces)', () => {
    const svc = store.get('Service', 'default', 'web')!;
    const cm = store.get('ConfigMap', 'default', 'app-config')!;
    golden(
      'output-yaml-json',
      '# upstream: k8s.io/cli-runtime/pkg/printers/yaml.go, json.go\n## yaml Service\n' +
        printYaml(svc) +
        '## yaml ConfigMap (literal block)\n' +
        printYaml(cm) +
        '## json List\n' +
        printJson(asList([store.get('Endpoints', 'default', 'empty')!])),
    );
  });
  it('jsonpath (k8s.io/client-go/util/jsonpath)', () => {
    const list = asList(of('Pod'));
    const templates = [
      '{.items[*].metadata.name}',
      '{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}',
      '{.items[?(@.status.phase=="Running")].spec.nodeName}',
      '{.items[0].spec.containers[0]}',
      '{.items[-1:].metadata.name}',
      '{.items[*].metadata.labels.pod-template-hash}',
      "{.items[0].metadata['name','namespace']}",
      '{..podIP}',
    ];
    golden('output-jsonpath', '# upstream: k8s.io/client-go/util/jsonpath/jsonpath.go\n' + templates.map((t) => `## ${t}\n${compileJsonPath(t).execute(list)}\n`).join(''));
  });
  it('custom-columns (k8s.io/kubectl/pkg/cmd/get/customcolumn.go)', () => {
    const cols = parseCustomColumns('NAME:.metadata.name,IP:.status.podIP,NODE:.spec.nodeName,PORTS:.spec.containers[*].ports[*].containerPort,LABELS:.metadata.labels');
    golden('output-custom-columns', '# upstream: k8s.io/kubectl/pkg/cmd/get/customcolumn.go printOneObject\n' + printCustomColumns(cols, of('Pod')));
  });
});

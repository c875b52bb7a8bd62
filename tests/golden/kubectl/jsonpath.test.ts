/**
 * kubectl -o jsonpath / jsonpath-as-json: every error path of client-go's parser and
 * evaluator, and what kubectl prints for each.
 *
 * upstream (v0.34.2): k8s.io/client-go/util/jsonpath/parser.go (parse errors: "unclosed
 * action", "unterminated array", "unterminated filter", "unclosed array expect ]",
 * "invalid array index", "array index %s is not a number", "cannot parse number",
 * "invalid multiple recursive descent", "unterminated quoted string", "unquote string %s
 * error %v", "unrecognized character in action: %#U"); jsonpath.go (evaluation errors:
 * "unrecognized identifier", "not in range, nothing to end", "%v is not array or slice",
 * "array index out of bounds", "starting index %d is greater than ending index %d",
 * "step must be > 0", "can only compare one element at a time", "unrecognized filter
 * operator"); third_party/forked/golang/template/funcs.go ("incompatible types for
 * comparison", "invalid type for comparison"); k8s.io/cli-runtime/pkg/printers/jsonpath.go
 * (the "error executing jsonpath %q" report with the %#v of the object) and
 * jsonpath_flags.go ("error parsing jsonpath %s, %v").
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  systemLayer: false
  nodes:
    - { name: control-plane, ip: 192.168.49.2, role: control-plane }
    - { name: node-1, ip: 192.168.49.3 }
objects:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: cfg }
    data: { a: "1", b: two }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, labels: { app: web } }
    spec: { nodeName: node-1, priority: 10, containers: [{ name: web, image: nginx, ports: [{ containerPort: 8080 }, { containerPort: 8443 }] }, { name: log, image: busybox }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-2, labels: { app: web } }
    spec: { nodeName: node-1, priority: 20, containers: [{ name: web, image: nginx, ports: [{ containerPort: 8080 }] }] }
`;

describe('kubectl -o jsonpath', () => {
  it('parse errors (parser.go), evaluation errors (jsonpath.go) and results', () => {
    const sim = createSimulation(SCENARIO, { seed: 3 });
    const cm = (t: string) => `kubectl get cm cfg -o jsonpath='${t}'`;
    const pods = (t: string) => `kubectl get pods -o jsonpath='${t}'`;
    golden(
      'jsonpath',
      transcriptOf(sim, [
        // parse errors
        cm('{.data.a'),
        cm('{.data.a\n}'),
        cm('{.data[}'),
        cm('{.data[?(@.x==1]}'),
        cm('{.data[?(@.x==1)}'),
        cm('{.data[?(@.x==)]}'),
        cm('{.data[a]}'),
        cm('{.data[1:x]}'),
        cm('{.data[-]}'),
        cm('{.data["a"]}'),
        cm('{1.2.3}'),
        cm('{+}'),
        cm('{....a}'),
        cm('{"abc}'),
        cm('{"\\q"}'),
        cm('{!}'),
        cm('{.data.a | x}'),
        // evaluation errors
        cm('{rangex}'),
        cm('{end}'),
        cm('{.data.a[0]}'),
        cm('{.data[?(@.x)]}'),
        pods('{.items[5]}'),
        pods('{.items[1:0]}'),
        pods('{.items[::0]}'),
        pods('{.items[?(@.spec.containers[*].name=="web")].metadata.name}'),
        pods('{.items[?(@.spec.priority>1.5)].metadata.name}'),
        pods('{.items[?(@.spec.priority=!10)].metadata.name}'),
        pods('{.items[?(@.spec>1)].metadata.name}'),
        // results
        pods('{.items[?(@.spec.priority>10)].metadata.name}{"\\n"}'),
        pods('{.items[?(@.metadata.labels.app=="web")].metadata.name}{"\\n"}'),
        pods('{.items[?(@.spec.nodeName)].metadata.name}{"\\n"}'),
        pods('{range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[*].ports[*].containerPort}{"\\n"}{end}'),
        pods('{range .items[*]}{range .spec.containers[*]}{.name}{","}{end}{"\\n"}{end}'),
        pods('{.items[-1:].metadata.name}{" "}{.items[0:2:2].metadata.name}{" "}{.items[].metadata.name}{"\\n"}'),
        `kubectl get pods -o jsonpath="{.items[0].metadata['name','namespace']}{'\\n'}"`,
        pods('{..containerPort}{"\\n"}'),
        cm('{.data}{"\\n"}{.data.*}{"\\n"}{.metadata.nope}{.kind}{"\\n"}'),
        cm('{.data.a}{1}{true}{-2.50}{"\\n"}'),
        "kubectl get pods -o jsonpath-as-json='{.items[*].metadata.name}{.kind}'",
        "kubectl get pods -o jsonpath-as-json='{.items[9:9]}'",
      ]),
    );
  });
});

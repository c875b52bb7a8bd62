/**
 * The API server's limits on what a learner types, pinned with the real words:
 * - decoding (apiserver handlers/rest.go transformDecodeError over encoding/json's
 *   UnmarshalTypeError, k8s.io/api core/v1 and apps/v1 field types);
 * - `kubectl patch` and `kubectl scale` through the server's patch handler
 *   (apiserver handlers/patch.go: strictly decoded patch bodies, the unstructured
 *   converter for strategic merge patches, decoding of merge and JSON patch results);
 * - object sizes (core validation ValidateConfigMap/ValidateSecret MaxSecretSize,
 *   apimachinery ValidateAnnotations TotalAnnotationSizeLimitB, the 3 MiB request body);
 * - image references (core validation validateContainerOnlyForPod, kubectl run's
 *   ReferenceRegexp check, the kubelet's applyDefaultImageTag over distribution/reference);
 * - duplicate keys, which kubectl 1.34 accepts: sigs.k8s.io/yaml's non-strict YAMLToJSON
 *   keeps the last value, and the NoDoubleKeySchema check only runs against servers
 *   without field validation (kubectl pkg/validation/schema.go).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import type { Manifest, Pod } from '../../../engine/cluster/types';
import { err } from './api-error';

function sim() {
  const s = createSimulation(null, { seed: 3 });
  s.run('kubectl create deployment web --image=nginx:1.27');
  return s;
}

const deployment = (spec: Record<string, unknown>): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }, ...spec },
});

describe('decoding into the Go types', () => {
  it('an int32 that overflows, a string where a number goes, a number where a string goes', () => {
    const s = createSimulation(null, { seed: 3 });
    expect(err(() => s.api.create(deployment({ replicas: 3000000000 }))).message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    expect(err(() => s.api.create(deployment({ revisionHistoryLimit: '10' }))).message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.revisionHistoryLimit of type int32',
    );
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80.5 }], env: [{ name: 'PORT', value: 8080 }] }] } };
    // env sorts before ports: the first error in kubectl's (sorted) key order is the one reported
    expect(err(() => s.api.create(pod)).message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { port: 8080 } };
    expect(err(() => s.api.create(cm)).message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
  });

  it("an IntOrString's own decoder fails at once, naming int32", () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 3000000000 }] } };
    expect(err(() => createSimulation(null, { seed: 3 }).api.create(svc)).message).toBe(
      'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal number 3000000000 into Go struct field ServicePort.spec.ports.targetPort of type int32',
    );
  });

  it('through kubectl apply: BadRequest, with the file named', () => {
    const s = createSimulation(null, { seed: 3 });
    s.run("cat > d.yaml <<'EOF'\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3e9\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\nEOF");
    const r = s.run('kubectl apply -f d.yaml');
    expect(r.stderr).toBe('Error from server (BadRequest): error when creating "d.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32\n');
    expect(r.exitCode).toBe(1);
  });
});

describe('ranges (apps/validation ValidateDeploymentSpec, core ValidatePodSpec)', () => {
  it('counts may not be negative, the progress deadline must outlast minReadySeconds, activeDeadlineSeconds is 1..MaxInt32', () => {
    const s = createSimulation(null, { seed: 3 });
    expect(err(() => s.api.create(deployment({ replicas: -1, minReadySeconds: -5, revisionHistoryLimit: -2 }))).message).toBe(
      'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0, spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0]',
    );
    expect(err(() => s.api.create(deployment({ minReadySeconds: 30, progressDeadlineSeconds: 30 }))).message).toBe('Deployment.apps "web" is invalid: spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { activeDeadlineSeconds: 0, containers: [{ name: 'c', image: 'nginx' }] } };
    expect(err(() => s.api.create(pod)).message).toBe('Pod "p" is invalid: spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive');
  });
});

describe('kubectl patch', () => {
  it('a body that is not a map is the server decoding error, per patch type', () => {
    const s = sim();
    expect(s.run("kubectl patch deploy web -p 'not json'")).toEqual({ stdout: '', stderr: 'Error from server (BadRequest): json: cannot unmarshal string into Go value of type map[string]interface {}\n', exitCode: 1 });
    expect(s.run("kubectl patch deploy web --type=merge -p '[1]'").stderr).toBe('Error from server (BadRequest): error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}\n');
    expect(s.run('kubectl patch deploy web --type=json -p \'{"op":"add"}\'').stderr).toBe('Error from server (BadRequest): error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp\n');
  });

  it('a strategic merge patch converts integers as Go does: 3000000000 wraps to an int32 validation rejects', () => {
    const s = sim();
    expect(s.run('kubectl patch deploy web -p \'{"spec":{"replicas":3000000000}}\'').stderr).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: -1294967296: must be greater than or equal to 0\n');
    expect(s.run('kubectl patch deploy web -p \'{"spec":{"replicas":"3"}}\'').stderr).toBe('The request is invalid: patch: Invalid value: "map[spec:map[replicas:3]]": unrecognized type: int32\n');
    expect(s.get('Deployment', 'default', 'web')?.spec.replicas).toBe(1);
  });

  it('a merge patch whose result does not decode is an invalid patch', () => {
    const r = sim().run('kubectl patch deploy web --type=merge -p \'{"spec":{"minReadySeconds":true}}\'');
    expect(r.stderr).toMatch(/^The request is invalid: patch: Invalid value: "\{\\"apiVersion\\":\\"apps\/v1\\",\\"kind\\":\\"Deployment\\",.*": json: cannot unmarshal bool into Go struct field DeploymentSpec.spec.minReadySeconds of type int32\n$/);
    expect(r.exitCode).toBe(1);
  });
});

describe('kubectl scale', () => {
  it('past int32: the scale subresource cannot decode the patched Scale; with a precondition, int32() wraps', () => {
    const s = sim();
    const dep = s.get('Deployment', 'default', 'web')!;
    const scale = `{\\"apiVersion\\":\\"autoscaling/v1\\",\\"kind\\":\\"Scale\\",\\"metadata\\":{\\"name\\":\\"web\\",\\"namespace\\":\\"default\\",\\"uid\\":\\"${dep.metadata.uid}\\",\\"resourceVersion\\":\\"${dep.metadata.resourceVersion}\\",\\"creationTimestamp\\":\\"${dep.metadata.creationTimestamp}\\"},\\"spec\\":{\\"replicas\\":2147483648},\\"status\\":{\\"replicas\\":1,\\"selector\\":\\"app=web\\"}}`;
    expect(s.run('kubectl scale deploy web --replicas=2147483648')).toEqual({
      stdout: '',
      stderr: `The request is invalid: patch: Invalid value: "${scale}": json: cannot unmarshal number 2147483648 into Go struct field ScaleSpec.spec.replicas of type int32\n`,
      exitCode: 1,
    });
    expect(s.run('kubectl scale deploy web --replicas=2147483648 --current-replicas=1').stderr).toBe('The Scale "web" is invalid: spec.replicas: Invalid value: -2147483648: must be greater than or equal to 0\n');
    expect(s.run('kubectl scale deploy web --replicas=99999999999999999999').stderr).toBe(
      'error: invalid argument "99999999999999999999" for "--replicas" flag: strconv.ParseInt: parsing "99999999999999999999": value out of range\nSee \'kubectl scale --help\' for usage.\n',
    );
  });
});

describe('object sizes', () => {
  it('ConfigMap data over 1 MiB, Secret data over 1 MiB, annotations over 256 KiB', () => {
    const s = createSimulation(null, { seed: 3 });
    const big = 'x'.repeat(1024 * 1024 + 1);
    expect(err(() => s.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: big } })).message).toBe('ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes');
    expect(err(() => s.api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'big' }, stringData: { a: big } })).message).toBe('Secret "big" is invalid: data: Too long: may not be more than 1048576 bytes');
    const ann = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ann', annotations: { note: 'y'.repeat(256 * 1024) } } };
    expect(err(() => s.api.create(ann)).message).toBe('ConfigMap "ann" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes');
    const huge = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { a: 'z'.repeat(4 * 1024 * 1024) } };
    const e = err(() => s.api.create(huge));
    expect([e.reason, e.code, e.message]).toEqual(['RequestEntityTooLarge', 413, 'Request entity too large: limit is 3145728']);
  });

  it('kubectl apply of a 300 KiB ConfigMap fails on its last-applied annotation, as it does for real', () => {
    const s = createSimulation(null, { seed: 3 });
    s.fs.write({ kind: 'workstation' }, '/home/learner/cm.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n  a: "${'q'.repeat(300 * 1024)}"\n`);
    expect(s.run('kubectl apply -f cm.yaml').stderr).toBe('The ConfigMap "cfg" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n');
    expect(s.run('kubectl create -f cm.yaml').stdout).toBe('configmap/cfg created\n');
  });
});

describe('image references', () => {
  it('the API server refuses surrounding whitespace in a Pod; kubectl run checks the reference grammar', () => {
    const s = createSimulation(null, { seed: 3 });
    expect(err(() => s.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx ' }] } })).message).toBe(
      'Pod "p" is invalid: spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace',
    );
    expect(s.run('kubectl run x --image=NGINX')).toEqual({ stdout: '', stderr: 'error: Invalid image name "NGINX": invalid reference format\n', exitCode: 1 });
  });

  it('the kubelet answers a reference it cannot parse with InspectFailed and InvalidImageName', () => {
    const s = createSimulation(null, { seed: 3 });
    s.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'Registry.Example/App:1' }, { name: 'd', image: 'NGINX:Latest' }] } });
    s.advance(15_000);
    const st = s.get<Pod>('Pod', 'default', 'p')!.status!.containerStatuses!;
    expect(st.map((c) => c.state?.waiting)).toEqual([
      { message: 'Failed to apply default image tag "Registry.Example/App:1": couldn\'t parse image name "Registry.Example/App:1": invalid reference format: repository name (App) must be lowercase', reason: 'InvalidImageName' },
      { message: 'Failed to apply default image tag "NGINX:Latest": couldn\'t parse image name "NGINX:Latest": invalid reference format: repository name (library/NGINX) must be lowercase', reason: 'InvalidImageName' },
    ]);
    expect(s.run('kubectl get pod p --no-headers').stdout).toBe('p     0/2   InvalidImageName   0     16s\n');
    const reasons = s.list('Event', 'default').filter((e) => e.involvedObject.name === 'p').map((e) => e.reason);
    expect(reasons).toEqual(['Scheduled', 'InspectFailed', 'Failed', 'InspectFailed', 'Failed']);
  });
});

describe('duplicate keys', () => {
  it('kubectl keeps the last value, as its non-strict YAML decoder does', () => {
    const s = createSimulation(null, { seed: 3 });
    s.fs.write({ kind: 'workstation' }, '/home/learner/d.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n');
    expect(s.run('kubectl apply -f d.yaml').stdout).toBe('deployment.apps/web created\n');
    expect(s.get('Deployment', 'default', 'web')?.spec.replicas).toBe(2);
  });
});

/**
 * Probe fields as a v1.34 API server takes them, through `kubectl apply -f`:
 * - decoding (sigs.k8s.io/json, encoding/json's UnmarshalTypeError) rejects a string or an
 *   out-of-range number in an int32 field, and the handler's transformDecodeError
 *   (k8s.io/apiserver/pkg/endpoints/handlers/rest.go) makes it a BadRequest;
 * - SetDefaults_Probe (pkg/apis/core/v1/defaults.go) turns zeros into 1/10/1/3, and the
 *   encoder omits a zero initialDelaySeconds;
 * - validateProbe / validateLivenessProbe (pkg/apis/core/validation/validation.go) reject
 *   negatives with apimachinery's IsNegativeErrorMsg, and a liveness successThreshold ≠ 1.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

/** A Pod manifest whose container has `probe:` with `fields` (YAML lines, indented under the probe). */
function podYaml(fields: string[], probe = 'readinessProbe'): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    'spec:',
    '  containers:',
    '  - name: web',
    '    image: nginx:1.27',
    `    ${probe}:`,
    '      httpGet:',
    '        path: /',
    '        port: 80',
    ...fields.map((f) => `      ${f}`),
  ].join('\n');
}

function applyYaml(yaml: string) {
  const sim = createSimulation(null, { seed: 3 });
  sim.run(`cat > x.yaml <<'EOF'\n${yaml}\nEOF`);
  return { sim, result: sim.run('kubectl apply -f x.yaml') };
}

describe('probe fields on kubectl apply', () => {
  it('defaults zeros as SetDefaults_Probe does and omits a zero initialDelaySeconds', () => {
    const { sim, result } = applyYaml(podYaml(['initialDelaySeconds: 0', 'timeoutSeconds: 0', 'periodSeconds: 0', 'successThreshold: 0', 'failureThreshold: 0']));
    expect(result).toEqual({ stdout: 'pod/web created\n', stderr: '', exitCode: 0 });
    expect(sim.get('Pod', 'default', 'web')!.spec.containers[0].readinessProbe).toEqual({
      failureThreshold: 3,
      httpGet: { path: '/', port: 80, scheme: 'HTTP' },
      periodSeconds: 10,
      successThreshold: 1,
      timeoutSeconds: 1,
    });
    const yaml = sim.run('kubectl get pod web -o yaml').stdout;
    const start = yaml.indexOf('    readinessProbe:\n');
    expect(yaml.slice(start, yaml.indexOf('    resources:', start))).toBe(
      [
        '    readinessProbe:',
        '      failureThreshold: 3',
        '      httpGet:',
        '        path: /',
        '        port: 80',
        '        scheme: HTTP',
        '      periodSeconds: 10',
        '      successThreshold: 1',
        '      timeoutSeconds: 1',
        '',
      ].join('\n'),
    );
  });

  it('defaults null the same way (an int32 decodes null as 0)', () => {
    const { sim, result } = applyYaml(podYaml(['periodSeconds: null', 'initialDelaySeconds: null']));
    expect(result.exitCode).toBe(0);
    const probe = sim.get('Pod', 'default', 'web')!.spec.containers[0].readinessProbe;
    expect(probe.periodSeconds).toBe(10);
    expect('initialDelaySeconds' in probe).toBe(false);
  });

  it('rejects a negative periodSeconds with ValidateNonnegativeField', () => {
    const { sim, result } = applyYaml(podYaml(['periodSeconds: -1']));
    expect(result).toEqual({
      stdout: '',
      stderr: 'The Pod "web" is invalid: spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0\n',
      exitCode: 1,
    });
    expect(sim.get('Pod', 'default', 'web')).toBeUndefined();
  });

  it('lists every negative field in validateProbe order, and the liveness rule successThreshold must be 1', () => {
    const { result } = applyYaml(podYaml(['failureThreshold: -2', 'initialDelaySeconds: -5', 'successThreshold: -1'], 'livenessProbe'));
    expect(result.stderr).toBe(
      [
        'The Pod "web" is invalid: ',
        '* spec.containers[0].livenessProbe.initialDelaySeconds: Invalid value: -5: must be greater than or equal to 0',
        '* spec.containers[0].livenessProbe.successThreshold: Invalid value: -1: must be greater than or equal to 0',
        '* spec.containers[0].livenessProbe.failureThreshold: Invalid value: -2: must be greater than or equal to 0',
        '* spec.containers[0].livenessProbe.successThreshold: Invalid value: -1: must be 1',
        '',
      ].join('\n'),
    );
    expect(result.exitCode).toBe(1);
    const startup = applyYaml(podYaml(['successThreshold: 2'], 'startupProbe')).result;
    expect(startup.stderr).toBe('The Pod "web" is invalid: spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1\n');
    // a readiness probe may need several successes
    expect(applyYaml(podYaml(['successThreshold: 2'])).result.exitCode).toBe(0);
  });

  it('fails decoding a string in an int32 field (initialDelaySeconds: 5s)', () => {
    const { sim, result } = applyYaml(podYaml(['initialDelaySeconds: 5s']));
    expect(result).toEqual({
      stdout: '',
      stderr:
        'Error from server (BadRequest): error when creating "x.yaml": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Probe.spec.containers.readinessProbe.initialDelaySeconds of type int32\n',
      exitCode: 1,
    });
    expect(sim.get('Pod', 'default', 'web')).toBeUndefined();
  });

  it('fails decoding a number above int32 (2147483648), and one below', () => {
    expect(applyYaml(podYaml(['periodSeconds: 2147483648'])).result).toEqual({
      stdout: '',
      stderr:
        'Error from server (BadRequest): error when creating "x.yaml": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number 2147483648 into Go struct field Probe.spec.containers.readinessProbe.periodSeconds of type int32\n',
      exitCode: 1,
    });
    expect(applyYaml(podYaml(['timeoutSeconds: -2147483649'])).result.stderr).toBe(
      'Error from server (BadRequest): error when creating "x.yaml": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number -2147483649 into Go struct field Probe.spec.containers.readinessProbe.timeoutSeconds of type int32\n',
    );
    // the largest int32 decodes
    expect(applyYaml(podYaml(['periodSeconds: 2147483647'])).result.exitCode).toBe(0);
  });

  it('names the first bad field in the order kubectl sends keys (sorted), and other JSON types', () => {
    expect(applyYaml(podYaml(['timeoutSeconds: 1.5', 'failureThreshold: true'])).result.stderr).toBe(
      'Error from server (BadRequest): error when creating "x.yaml": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal bool into Go struct field Probe.spec.containers.readinessProbe.failureThreshold of type int32\n',
    );
    expect(applyYaml(podYaml(['timeoutSeconds: 1.5'])).result.stderr).toContain('json: cannot unmarshal number 1.5 into Go struct field Probe.spec.containers.readinessProbe.timeoutSeconds of type int32\n');
  });

  it('decodes a workload template the same way', () => {
    const yaml = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  selector:',
      '    matchLabels: {app: web}',
      '  template:',
      '    metadata:',
      '      labels: {app: web}',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: nginx:1.27',
      '        readinessProbe:',
      '          tcpSocket: {port: 80}',
      '          periodSeconds: 10s',
    ].join('\n');
    expect(applyYaml(yaml).result).toEqual({
      stdout: '',
      stderr:
        'Error from server (BadRequest): error when creating "x.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field Probe.spec.template.spec.containers.readinessProbe.periodSeconds of type int32\n',
      exitCode: 1,
    });
    expect(applyYaml(yaml.replace('periodSeconds: 10s', 'periodSeconds: -10')).result.stderr).toBe(
      'The Deployment "web" is invalid: spec.template.spec.containers[0].readinessProbe.periodSeconds: Invalid value: -10: must be greater than or equal to 0\n',
    );
  });
});

/**
 * The go-template printer's engine against Go's text/template (lex.go, parse.go, exec.go,
 * funcs.go as of Go 1.24, which kubectl v1.34 is built with) and cli-runtime's
 * printers/template.go (base64decode, exists, missingkey=default). Each expectation is what
 * `go run` prints for the same template over the same JSON-decoded data.
 */
import { describe, expect, it } from 'vitest';
import { compileGoTemplate, goFloat, GoTemplateError, GoTemplateExecError, sprintf, GoInt } from '../../../engine/printers/kubectl/gotemplate';
import { createSimulation } from '../../../engine';

const data = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { app: 'web', 'k8s-app': 'dns' } }, spec: { replicas: 3, ports: [{ port: 80 }, { port: 443 }] }, status: { ok: true, ip: null } },
    { metadata: { name: 'b' }, spec: { replicas: 0, ports: [] }, status: { ok: false } },
  ],
  data: { password: 'aHVudGVyMg==' },
};

const run = (t: string, d: unknown = data) => compileGoTemplate(t).execute(d);
const parseError = (t: string) => {
  try {
    compileGoTemplate(t);
  } catch (e) {
    if (e instanceof GoTemplateError) return e.message;
  }
  return 'no error';
};
const execError = (t: string) => {
  try {
    run(t);
  } catch (e) {
    if (e instanceof GoTemplateExecError) return [e.partial, e.message];
  }
  return 'no error';
};

describe('go-template: output', () => {
  it('fields, ranges, variables, pipelines, index, len, conditionals', () => {
    expect(run('{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}')).toBe('a\nb\n');
    expect(run('{{range $i, $p := (index .items 0).spec.ports}}{{$i}}={{$p.port}} {{end}}')).toBe('0=80 1=443 ');
    expect(run('{{$n := len .items}}{{$n}} {{.items | len}}')).toBe('2 2');
    expect(run('{{index (index .items 0).metadata.labels "k8s-app"}}')).toBe('dns');
    expect(run('{{range .items}}{{if .spec.replicas}}{{.metadata.name}} has {{.spec.replicas}}{{else}}{{.metadata.name}} none{{end}};{{end}}')).toBe('a has 3;b none;');
    expect(run('{{range .items}}{{if eq .metadata.name "b"}}B{{else if .status.ok}}ok{{end}}{{end}}')).toBe('okB');
    expect(run('{{with (index .items 1).spec.ports}}x{{else}}empty{{end}}')).toBe('empty');
    expect(run('{{range (index .items 1).spec.ports}}x{{else}}none{{end}}')).toBe('none');
    expect(run('{{range .items}}{{if not .status.ok}}{{break}}{{end}}{{.metadata.name}}{{end}}')).toBe('a');
    expect(run('{{.data.password | base64decode}}')).toBe('hunter2');
    expect(run('{{range $k, $v := (index .items 0).metadata.labels}}{{$k}}:{{$v}},{{end}}')).toBe('app:web,k8s-app:dns,');
    expect(run('{{- range .items }}\n  {{ .metadata.name -}}\n{{ end }}')).toBe('\n  a\n  b');
    expect(run('{{/* a comment */}}{{"x"}}{{`raw\\n`}}')).toBe('xraw\\n');
    expect(run('{{define "n"}}<{{.metadata.name}}>{{end}}{{range .items}}{{template "n" .}}{{end}}')).toBe('<a><b>');
    expect(run('{{if and .kind (not .nope)}}y{{end}}{{or .nope "dflt"}}')).toBe('ydflt');
    expect(run('{{exists . "items" 0 "metadata"}} {{exists . "nope"}}')).toBe('true false');
  });

  it('missing keys print <no value>; a JSON null is nothing once it leaves a pipeline; maps and lists print as Go prints them', () => {
    expect(run('{{.nope}} {{.nope.deeper}} {{(index .items 0).status.ip}}')).toBe('<no value> <no value> <no value>');
    expect(run('{{(index .items 0).spec}}')).toBe('map[ports:[map[port:80] map[port:443]] replicas:3]');
    expect(run('{{index .items 0 | printf "%v"}}')).toBe('map[metadata:map[labels:map[app:web k8s-app:dns] name:a] spec:map[ports:[map[port:80] map[port:443]] replicas:3] status:map[ip:<nil> ok:true]]');
  });

  it('numbers are float64 after JSON: %d refuses them, %v prints them with %g', () => {
    expect(run('{{printf "%d %v %s" (index .items 0).spec.replicas (index .items 0).spec.replicas .kind}}')).toBe('%!d(float64=3) 3 List');
    expect(run('{{printf "%d|%5d|%-4s|%q|%x" (len .items) 7 "ab" "q" 255}}')).toBe('2|    7|ab  |"q"|ff');
    expect(run('{{printf "%s %s" "one"}}')).toBe('one %!s(MISSING)');
    expect(run('{{printf "%s" "a" "b"}}')).toBe('a%!(EXTRA string=b)');
    expect(goFloat(1e6)).toBe('1e+06');
    expect(goFloat(123456)).toBe('123456');
    expect(goFloat(0.5)).toBe('0.5');
    expect(goFloat(1234567)).toBe('1.234567e+06');
    expect(goFloat(0.00001)).toBe('1e-05');
    expect(sprintf('%6.2f|%t', [3.14159, true])).toBe('  3.14|true');
    expect(sprintf('%05d', [new GoInt(42)])).toBe('00042');
  });
});

describe('go-template: errors worded as Go words them', () => {
  it('parse errors: template: output:LINE: …', () => {
    expect(parseError('{{.metadata.name}')).toBe('template: output:1: unexpected "}" in operand');
    expect(parseError('{{.metadata.name')).toBe('template: output:1: unclosed action');
    expect(parseError('{{range .items}}')).toBe('template: output:1: unexpected EOF');
    expect(parseError('{{end}}')).toBe('template: output:1: unexpected {{end}}');
    expect(parseError('{{foo .x}}')).toBe('template: output:1: function "foo" not defined');
    expect(parseError('{{$x}}')).toBe('template: output:1: undefined variable "$x"');
    expect(parseError('{{.a | "x"}}')).toBe('template: output:1: non executable command in pipeline stage 2');
    expect(parseError('{{}}')).toBe('template: output:1: missing value for command');
    expect(parseError('x\n{{if}}')).toBe('template: output:2: missing value for if');
    expect(parseError('{{break}}')).toBe('template: output:1: {{break}} outside {{range}}');
    expect(parseError('{{.a.b+1}}')).toBe("template: output:1: bad character U+002B '+'");
    expect(parseError('{{"abc}}')).toBe('template: output:1: unterminated quoted string');
    expect(execError('{{len 1 2}}')).toEqual(['', 'template: output:1:2: executing "output" at <len>: wrong number of args for len: want 1 got 2']);
  });

  it('exec errors: template: output:LINE:COL: executing "output" at <NODE>: …, with what was written before', () => {
    expect(execError('ok {{.kind.x}}')).toEqual(['ok ', 'template: output:1:5: executing "output" at <.kind.x>: can\'t evaluate field x in type interface {}']);
    expect(execError('{{if eq (index .items 0).spec.replicas 3}}y{{end}}')).toEqual(['', 'template: output:1:5: executing "output" at <eq (index .items 0)....>: error calling eq: incompatible types for comparison']);
    expect(execError('{{index .items 5}}')).toEqual(['', 'template: output:1:2: executing "output" at <index .items 5>: error calling index: index out of range: 5']);
    expect(execError('{{len .nope}}')).toEqual(['', 'template: output:1:2: executing "output" at <len .nope>: error calling len: reflect: call of reflect.Value.Type on zero Value']);
    expect(execError('{{"a" | base64decode}}')).toEqual(['', 'template: output:1:8: executing "output" at <base64decode>: error calling base64decode: base64 decode failed: illegal base64 data at input byte 0']);
    expect(execError('{{range .kind}}x{{end}}')).toEqual(['', 'template: output:1:8: executing "output" at <.kind>: range can\'t iterate over List']);
    expect(execError('{{(index .items 0).status.ip.x}}')).toEqual(['', 'template: output:1:16: executing "output" at <0>: nil pointer evaluating interface {}.x']);
  });
});

describe('kubectl get -o go-template is bounded', () => {
  it('a range nested six deep over every Pod stops at the step budget instead of freezing', () => {
    const sim = createSimulation(null, { seed: 1 });
    const nest = '{{range $.items}}'.repeat(6) + 'x' + '{{end}}'.repeat(6);
    const r = sim.run(`kubectl get pods -A -o go-template='${nest}'`);
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toBe('netlab: stopped after 1,000,000 steps: this command line would not end (press ↑ to edit it)\n');
  });
});

/**
 * kubectl get -o go-template / go-template-file / --template, pinned against upstream
 * k8s.io/cli-runtime v0.34 pkg/genericclioptions/template_flags.go (ToPrinter: "template
 * format specified but no template given", "error reading --template %s, %v", "error parsing
 * template %s, %v") and pkg/printers/template.go (PrintObj: the object through JSON into
 * map[string]interface{}; on an execution error the partial output, then "Error executing
 * template: %v. Printing more information for debugging the template:" with the template, the
 * raw JSON and the %+v of the map, on stdout; the returned "error executing template %q: %v"),
 * and k8s.io/kubectl v0.34 pkg/cmd/get/get_flags.go (--template alone means go-template).
 * Template text and errors follow Go's text/template (tests/unit/kubectl/gotemplate.test.ts).
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

describe('kubectl -o go-template', () => {
  it('prints through Go templates, reads template files, and reports parse and execution errors as kubectl does', () => {
    const sim = createSimulation(null, { seed: 11 });
    const out = transcriptOf(sim, [
      'kubectl create deployment web --image=nginx:1.27 --replicas=2',
      'kubectl expose deployment web --port=80 --target-port=80',
      'kubectl create secret generic db --from-literal=password=hunter2 --from-literal=user=admin',
      `kubectl get pods -l app=web -o go-template='{{range .items}}{{.metadata.name}}{{"\\t"}}{{.status.podIP}}{{"\\n"}}{{end}}'`,
      `kubectl get svc web -o go-template='{{.spec.clusterIP}}{{range .spec.ports}} {{.port}}/{{.protocol}}{{end}}{{"\\n"}}'`,
      `kubectl get svc web --template='{{.metadata.name}} {{len .spec.ports}} {{index .spec.selector "app"}}{{"\\n"}}'`,
      `kubectl get secret db -o go-template='{{range $k, $v := .data}}{{$k}}={{$v | base64decode}}{{"\\n"}}{{end}}'`,
      `kubectl get deploy web -o go-template='{{printf "%d" .spec.replicas}} {{printf "%v" .spec.replicas}} {{if gt (len .spec.template.spec.containers) 0}}has containers{{end}}{{"\\n"}}'`,
      `kubectl get deploy web -o go-template='{{.metadata.nope}} {{.status.nope.deeper}}{{"\\n"}}'`,
      `printf '{{range .items}}{{.metadata.name}}: {{.spec.type}}\\n{{end}}' > svc.tmpl`,
      'kubectl get svc -o go-template-file=svc.tmpl',
      'kubectl get svc -o go-template-file=missing.tmpl',
      `kubectl get svc web -o go-template='{{.metadata.name}'`,
      `kubectl get svc web -o go-template='{{range .spec.ports}}'`,
      `kubectl get svc web -o go-template='{{lookup .spec}}'`,
      'kubectl get svc web -o go-template',
      `kubectl get svc web -o go-template='name={{.metadata.name}} {{if eq .spec.ports 80}}x{{end}}'`,
    ]);
    golden('go-template', '# upstream: cli-runtime pkg/printers/template.go, pkg/genericclioptions/template_flags.go; Go text/template\n' + out);
  });
});

/**
 * Whole transcripts of kubectl verbs and their errors, run through the simulation.
 * Error texts follow k8s.io/kubectl/pkg/cmd/util/helpers.go (checkErr,
 * StandardErrorMessage, MultilineError), spf13/pflag (flag errors) and cobra (unknown
 * command suggestions).
 */
import { beforeAll, describe, it, expect } from 'vitest';
import { createSimulation, loadOpenApi } from '../../../engine';

// kubectl explain's schemas load on first use; load them before the transcripts run
beforeAll(async () => {
  await loadOpenApi();
});
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  systemLayer: false
  nodes:
    - { name: control-plane, ip: 192.168.49.2, role: control-plane }
    - { name: node-1, ip: 192.168.49.3 }
objects:
  - apiVersion: v1
    kind: Service
    metadata: { name: web, labels: { app: web } }
    spec:
      selector: { app: web }
      clusterIP: 10.96.0.50
      ports: [{ name: http, port: 80, targetPort: 8080, protocol: TCP }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, labels: { app: web, tier: front } }
    spec: { nodeName: node-1, containers: [{ name: web, image: nginx, ports: [{ containerPort: 8080 }] }, { name: log, image: busybox }] }
    status: { phase: Running, podIP: 10.244.1.5 }
  - apiVersion: v1
    kind: Pod
    metadata: { name: done-1, labels: { app: job } }
    spec: { nodeName: node-1, restartPolicy: Never, containers: [{ name: c, image: busybox }] }
    status: { phase: Succeeded, podIP: 10.244.1.6 }
files:
  web.yaml: |
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      replicas: 2
      selector:
        matchLabels: { app: api }
      template:
        metadata:
          labels: { app: api }
        spec:
          containers:
          - name: api
            image: hashicorp/http-echo
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
    data:
      mode: dev
  broken.yaml: |
    apiVersion: v1
    kind: Pod
    metadata:
      name: web: x
  nokind.yaml: |
    apiVersion: v1
    metadata:
      name: x
  typo.yaml: |
    apiVersion: apps/v1
    kind: Deploymnt
    metadata:
      name: x
`;

function transcript(lines: string[]): string {
  return transcriptOf(createSimulation(SCENARIO, { seed: 7 }), lines);
}

describe('kubectl errors', () => {
  it('flag, type, name and command errors', () => {
    golden(
      'errors',
      '# upstream: kubectl cmdutil.CheckErr / StandardErrorMessage; spf13/pflag errors; cobra findSuggestions\n' +
        transcript([
          'kubectl get podz',
          'kubectl get pods --foo',
          'kubectl get pods -z',
          'kubectl get pods -n',
          'kubectl get svc nope',
          'kubectl get svc web nope',
          'kubectl gte pods',
          'kubectl get',
          'kubectl get deploy',
          'kubectl get deploy -A',
          'kubectl get pods -o yamll',
          'kubectl get pods -A web-1',
          'kubectl get svc web -l app=web',
          'kubectl get pods -l "app in (web"',
          'kubectl get pods --field-selector spec.foo=bar',
          'kubectl get pods -o jsonpath={.items[',
          'kubectl get pods -o custom-columns=NAME',
          'kubectl config use-context other',
          'kubectl delete svc nope',
          'kubectl delete pods',
          'kubectl apply',
          'kubectl apply -f missing.yaml',
          'kubectl apply -f broken.yaml',
          'kubectl apply -f nokind.yaml',
          'kubectl apply -f typo.yaml',
          'kubectl create namespace dev',
          'kubectl create namespace dev',
          'kubectl label pod web-1 app=other',
          'kubectl exec done-1 -- ls',
          'kubectl exec web-1 -c nope -- ls',
          'kubectl exec nope -- ls',
          'kubectl exec web-1 ls',
          'kubectl scale deploy nope --replicas=2',
          'kubectl scale deploy/nope',
          'kubectl rollout status deploy/nope',
        ]),
    );
  });
});

describe('kubectl verbs', () => {
  it('apply, label, annotate, scale, expose, delete', () => {
    golden(
      'verbs-write',
      '# upstream: k8s.io/kubectl/pkg/cmd/{apply,label,annotate,scale,expose,delete,create}\n' +
        transcript([
          'kubectl apply -f web.yaml',
          'kubectl apply -f web.yaml',
          'kubectl get deploy api -o jsonpath={.metadata.annotations}',
          'kubectl label pod web-1 app=other --overwrite',
          'kubectl label pod web-1 tier-',
          'kubectl label pod/web-1 app=other --overwrite',
          'kubectl annotate svc web note=hello',
          'kubectl scale deployment api --replicas=3',
          'kubectl get deploy api -o jsonpath={.spec.replicas}',
          'kubectl create deployment shop --image=nginx:1.27 --port=80 --replicas=2',
          'kubectl create service nodeport shop --tcp=80:8080 --node-port=30080',
          'kubectl create configmap app --from-literal=a=1 --from-literal=b=2',
          'kubectl create secret generic pw --from-literal=password=s3cr3t',
          'kubectl get secret pw -o jsonpath={.data.password}',
          'kubectl expose pod web-1 --port=8080 --name=web-direct',
          'kubectl get svc web-direct -o jsonpath={.spec.selector}',
          'kubectl delete svc web-direct shop',
          'kubectl delete cm -l nothing=here',
          'kubectl delete configmap settings app',
        ]),
    );
  });

  it('get formats, selectors and groups', () => {
    golden(
      'verbs-get',
      '# upstream: k8s.io/kubectl/pkg/cmd/get/get.go (groups, kind/name, No resources found)\n' +
        transcript([
          'kubectl get pods -o name',
          'kubectl get pods -l app=web -o name',
          'kubectl get pods -l app!=web -o name',
          "kubectl get pods -l 'app in (web,job)' -o name",
          'kubectl get pods -l tier -o name',
          'kubectl get pods --field-selector status.phase=Running -o name',
          'kubectl get pods --field-selector spec.nodeName=node-1 -o name',
          'kubectl get pods --sort-by=.status.podIP -o custom-columns=NAME:.metadata.name,IP:.status.podIP',
          'kubectl get svc,ep -o name',
          'kubectl get svc web -o jsonpath={.spec.ports[0].port}',
          'kubectl get pods web-1 -o jsonpath={.spec.containers[*].name}',
          'kubectl get svc -L app --no-headers -o wide',
          'kubectl api-resources',
          'kubectl version',
          'kubectl config get-contexts',
          'kubectl config current-context',
          'kubectl cluster-info',
        ]),
    );
  });

  it('edit: cancel and save', () => {
    const sim = createSimulation(SCENARIO, { seed: 7 });
    const exec = sim.start('kubectl edit svc web');
    expect(exec.edit).toBeDefined();
    const content = exec.edit!.content;
    expect(content.startsWith("# Please edit the object below. Lines beginning with a '#' will be ignored,\n")).toBe(true);
    const text = (e: typeof exec) => e.takeOutput().map((c) => c.text).join('');
    exec.edit!.finish(content);
    expect(text(exec)).toBe('Edit cancelled, no changes made.\n');
    const exec2 = sim.start('kubectl edit svc web');
    const r2 = exec2.edit!.finish(exec2.edit!.content.replace('port: 80', 'port: 8081'));
    expect(r2.exitCode).toBe(0);
    expect(text(exec2)).toBe('service/web edited\n');
    expect(sim.store.get('Service', 'default', 'web')!.spec.ports[0].port).toBe(8081);
  });

  it('completion: verbs, types, names, flags', () => {
    const sim = createSimulation(SCENARIO, { seed: 7 });
    const c = (line: string) => sim.complete(line).candidates;
    expect(c('kubectl ge')).toContain('get');
    expect(c('kubectl get sv')).toEqual(['svc']);
    expect(c('kubectl get pods we')).toEqual(['web-1']);
    expect(c('kubectl get pods --all-n')).toEqual(['--all-namespaces']);
    expect(c('kubectl get -o ya')).toEqual(['yaml']);
    expect(c('kubectl get svc,e')).toEqual(['svc,endpoints', 'svc,endpointslice', 'svc,endpointslices', 'svc,ep', 'svc,ev', 'svc,event', 'svc,events']);
    expect(c('kubectl exec web-1 -c ')).toEqual(['log', 'web']);
    expect(c('kubectl -n default describe svc/we')).toEqual(['svc/web']);
  });
});

/**
 * Pod-name suffixes come from the seeded RNG, whose draws other rooms' controllers also
 * consume; the live transcripts pin everything else and mask only those five characters.
 */
function maskPodSuffixes(text: string): string {
  return text.replace(/\b([a-z0-9-]+-[0-9a-f]{8,10}-)[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, '$1*****').replace(/\b((?:calico-node|kube-proxy)-)[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, '$1*****');
}

describe('kubectl on the default cluster (system layer, controllers)', () => {
  it('generators, dry runs, apply configured, watch, rollout, logs, exec, run', () => {
    const sim = createSimulation(null, { seed: 11 });
    sim.fs.write({ kind: 'workstation' }, '/home/learner/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\n');
    sim.fs.write(
      { kind: 'workstation' },
      '/home/learner/bad.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  type: NodePort\n  selector: {app: x}\n  ports:\n  - name: a\n    port: 80\n    nodePort: 80\n  - name: b\n    port: 0\n',
    );
    let out = '# upstream: k8s.io/kubectl/pkg/cmd/{create,run,expose,apply,get (watch),rollout,logs,exec}; generators print Go zero values on --dry-run=client\n';
    const lines = [
      'kubectl create deployment web --image=nginx --replicas=2 --dry-run=client -o yaml',
      'kubectl run tmp --image=busybox --dry-run=client -o yaml -- sleep 3600',
      'kubectl create deployment sleeper --image=busybox:1.36 --dry-run=client -o yaml -- sleep 3600',
      'kubectl create deployment two --image=busybox --image=nginx -- date',
      'kubectl create service nodeport web --tcp=80:80 --dry-run=client -o yaml',
      'kubectl create deployment web --image=nginx --replicas=2',
      'kubectl get pods -w',
      'kubectl rollout status deployment/web',
      'kubectl get deploy,rs',
      'kubectl apply -f svc.yaml',
      "sed -i 's/targetPort: 80/targetPort: 8080/' svc.yaml",
      'kubectl apply -f svc.yaml',
      'kubectl apply -f bad.yaml',
      'kubectl get svc web -o jsonpath={.spec.ports[0].targetPort}',
      'kubectl expose deployment web --port=8080 --target-port=80 --name=web2 --type=NodePort --dry-run=client -o yaml',
      'kubectl scale deploy web --replicas=1',
      'kubectl rollout restart deploy/web',
      'kubectl exec deploy/web -- hostname',
      'kubectl exec deploy/web -- nslookup kubernetes',
      'kubectl logs deploy/web --tail=2',
      'kubectl get ns',
      'kubectl get svc -A -o custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,TYPE:.spec.type,PORTS:.spec.ports[*].port',
      'kubectl get ep -n kube-system',
      'kubectl describe ds -n kube-system kube-proxy',
      'kubectl config view',
      'kubectl explain svc.spec.ports',
      'kubectl explain pods',
    ];
    for (const l of lines) {
      const r = sim.run(l);
      out += `$ ${l}\n${r.stdout}`;
      if (r.stderr) out += `--- stderr\n${r.stderr}`;
      out += `--- exit ${r.exitCode}\n`;
    }
    golden('verbs-live', maskPodSuffixes(out));
  });

  it('patch, set image, wait, rollout history/undo, label --list', () => {
    const sim = createSimulation(null, { seed: 12 });
    let out = '# upstream: k8s.io/kubectl/pkg/cmd/{patch,set/set_image.go,wait,rollout/rollout_history.go,rollout/rollout_undo.go,label}\n';
    for (const l of [
      'kubectl create deployment web --image=nginx:1.26 --replicas=2',
      'kubectl expose deploy web --port=80',
      'kubectl patch svc web -p \'{"spec":{"type":"NodePort"}}\'',
      'kubectl patch svc web -p \'{"spec":{"type":"NodePort"}}\'',
      'kubectl patch svc web --type=json -p \'[{"op":"replace","path":"/spec/ports/0/port","value":8080}]\'',
      'kubectl patch svc web --type=json -p \'[{"op":"remove","path":"/spec/nope"}]\'',
      'kubectl patch svc web --type=xml -p x',
      'kubectl patch svc web',
      'kubectl get svc web -o jsonpath={.spec.type}/{.spec.ports[0].port}',
      'kubectl set image deploy/web nginx=nginx:1.27',
      'kubectl set image deploy/web nope=nginx:1.27',
      'kubectl wait --for=condition=Available deploy/web --timeout=60s',
      'kubectl wait --for=jsonpath={.status.readyReplicas}=2 deploy/web',
      'kubectl rollout history deploy/web',
      'kubectl rollout undo deploy/web',
      'kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].image}',
      'kubectl label pods -l app=web --list',
      "kubectl create ingress shop --class=nginx --rule='shop.example.com/=web:80' --rule='shop.example.com/api*=api:http,tls=shop-tls' --dry-run=client -o yaml",
      "kubectl create ingress shop --class=nginx --rule='shop.example.com/*=web:80'",
      'kubectl get ing',
      'kubectl describe ing shop',
    ]) {
      const r = sim.run(l);
      out += `$ ${l}\n${r.stdout}`;
      if (r.stderr) out += `--- stderr\n${r.stderr}`;
      out += `--- exit ${r.exitCode}\n`;
    }
    golden('verbs-live-2', maskPodSuffixes(out));
  });

  it('events, node maintenance (cordon, drain, taint), api-versions, top', () => {
    const sim = createSimulation(null, { seed: 13 });
    let out = '# upstream: k8s.io/kubectl/pkg/cmd/{events,drain,taint,apiresources/apiversions.go,top}\n';
    for (const l of [
      'kubectl create deployment web --image=nginx --replicas=2',
      'kubectl events --for deployment/web',
      'kubectl get events --field-selector involvedObject.kind=Deployment',
      'kubectl cordon node-1',
      'kubectl cordon node-1',
      'kubectl get nodes',
      'kubectl drain node-2',
      'kubectl drain node-2 --ignore-daemonsets',
      'kubectl uncordon node-1 node-2',
      'kubectl taint nodes node-1 dedicated=net:NoSchedule',
      'kubectl taint nodes node-1 dedicated=net:NoSchedule',
      'kubectl describe node node-1 | grep -A1 Taints',
      'kubectl taint nodes node-1 dedicated:NoSchedule-',
      'kubectl api-versions',
      'kubectl top pods',
    ]) {
      const r = sim.run(l);
      out += `$ ${l}\n${r.stdout}`;
      if (r.stderr) out += `--- stderr\n${r.stderr}`;
      out += `--- exit ${r.exitCode}\n`;
    }
    golden('verbs-nodes-events', maskPodSuffixes(out));
  });

  it('cluster-info is plain text on a terminal too (kubectl v1.32 dropped go-colortext)', () => {
    const sim = createSimulation(null, { seed: 11, interactive: true });
    const r = sim.run('kubectl cluster-info');
    expect(r.stdout).toBe(
      'Kubernetes control plane is running at https://192.168.49.2:6443\n' +
        'CoreDNS is running at https://192.168.49.2:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n' +
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    );
  });
});

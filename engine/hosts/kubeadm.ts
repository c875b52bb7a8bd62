/**
 * What `kubeadm init` (v1.34) leaves on the control-plane node: the static Pod manifests in
 * /etc/kubernetes/manifests, from the scenario's ranges and the node's address.
 *
 * Flags: cmd/kubeadm/app/phases/controlplane/manifests.go (getAPIServerCommand,
 * getControllerManagerCommand, getSchedulerCommand: defaults sorted by name, as
 * kubeadmutil.ArgumentsToCommand writes them; --allocate-node-cidrs and --cluster-cidr
 * only with a podSubnet; no --service-node-port-range, the API server's own default) and
 * phases/etcd/local.go getEtcdCommand (etcd 3.6: --feature-gates=InitialCorruptCheck=true,
 * --watch-progress-notify-interval=5s). Layout: the Pod kubeadm marshals — probes on the
 * named `probe-port` (staticpod/utils.go LivenessProbe/ReadinessProbe/StartupProbe), the
 * hostPath volumes sorted by name (ca-certs, etc-ca-certificates, … on Ubuntu), priority
 * 2000001000 of system-node-critical, `creationTimestamp: null` and `status: {}`.
 */
import type { ClusterSettings, NodeSettings } from '../cluster/types';
import { ETCD_IMAGE } from '../cluster/release';

export const STATIC_POD_COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
export type StaticPodComponent = (typeof STATIC_POD_COMPONENTS)[number];

function pair(v4: string, v6: string | undefined): string {
  return v6 ? `${v4},${v6}` : v4;
}

/** kubeadm's ClusterConfiguration.clusterName (the kubeadm-config ConfigMap says `kubernetes`). */
export const KUBEADM_CLUSTER_NAME = 'kubernetes';

/** The command line kubeadm writes for a control-plane component on node `n`. */
export function staticPodCommand(s: ClusterSettings, n: NodeSettings, component: StaticPodComponent): string[] {
  const ip = n.ip;
  const pki = '/etc/kubernetes/pki';
  switch (component) {
    case 'etcd':
      return ['etcd', `--advertise-client-urls=https://${ip}:2379`, `--cert-file=${pki}/etcd/server.crt`, '--client-cert-auth=true', '--data-dir=/var/lib/etcd', '--feature-gates=InitialCorruptCheck=true', `--initial-advertise-peer-urls=https://${ip}:2380`, `--initial-cluster=${n.name}=https://${ip}:2380`, `--key-file=${pki}/etcd/server.key`, `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`, '--listen-metrics-urls=http://127.0.0.1:2381', `--listen-peer-urls=https://${ip}:2380`, `--name=${n.name}`, `--peer-cert-file=${pki}/etcd/peer.crt`, '--peer-client-cert-auth=true', `--peer-key-file=${pki}/etcd/peer.key`, `--peer-trusted-ca-file=${pki}/etcd/ca.crt`, '--snapshot-count=10000', `--trusted-ca-file=${pki}/etcd/ca.crt`, '--watch-progress-notify-interval=5s'];
    case 'kube-apiserver':
      return ['kube-apiserver', `--advertise-address=${ip}`, '--allow-privileged=true', '--authorization-mode=Node,RBAC', `--client-ca-file=${pki}/ca.crt`, '--enable-admission-plugins=NodeRestriction', '--enable-bootstrap-token-auth=true', `--etcd-cafile=${pki}/etcd/ca.crt`, `--etcd-certfile=${pki}/apiserver-etcd-client.crt`, `--etcd-keyfile=${pki}/apiserver-etcd-client.key`, '--etcd-servers=https://127.0.0.1:2379', `--kubelet-client-certificate=${pki}/apiserver-kubelet-client.crt`, `--kubelet-client-key=${pki}/apiserver-kubelet-client.key`, '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', `--proxy-client-cert-file=${pki}/front-proxy-client.crt`, `--proxy-client-key-file=${pki}/front-proxy-client.key`, '--requestheader-allowed-names=front-proxy-client', `--requestheader-client-ca-file=${pki}/front-proxy-ca.crt`, '--requestheader-extra-headers-prefix=X-Remote-Extra-', '--requestheader-group-headers=X-Remote-Group', '--requestheader-username-headers=X-Remote-User', '--secure-port=6443', `--service-account-issuer=https://kubernetes.default.svc.${s.clusterDomain}`, `--service-account-key-file=${pki}/sa.pub`, `--service-account-signing-key-file=${pki}/sa.key`, `--service-cluster-ip-range=${pair(s.serviceCIDR, s.serviceCIDRv6)}`, `--tls-cert-file=${pki}/apiserver.crt`, `--tls-private-key-file=${pki}/apiserver.key`];
    case 'kube-controller-manager':
      return ['kube-controller-manager', '--allocate-node-cidrs=true', '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf', '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf', '--bind-address=127.0.0.1', `--client-ca-file=${pki}/ca.crt`, `--cluster-cidr=${pair(s.podCIDR, s.podCIDRv6)}`, `--cluster-name=${KUBEADM_CLUSTER_NAME}`, `--cluster-signing-cert-file=${pki}/ca.crt`, `--cluster-signing-key-file=${pki}/ca.key`, '--controllers=*,bootstrapsigner,tokencleaner', '--kubeconfig=/etc/kubernetes/controller-manager.conf', '--leader-elect=true', `--requestheader-client-ca-file=${pki}/front-proxy-ca.crt`, `--root-ca-file=${pki}/ca.crt`, `--service-account-private-key-file=${pki}/sa.key`, `--service-cluster-ip-range=${pair(s.serviceCIDR, s.serviceCIDRv6)}`, '--use-service-account-credentials=true'];
    case 'kube-scheduler':
      return ['kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'];
  }
}

/** The component's image: etcd at kubeadm's pinned version, the rest at the cluster's. */
export function staticPodImage(s: ClusterSettings, component: StaticPodComponent): string {
  return component === 'etcd' ? ETCD_IMAGE : `registry.k8s.io/${component}:${s.kubernetesVersion}`;
}

/** kubeadm's resource requests (staticpod: ComponentResources). */
export function staticPodRequests(component: StaticPodComponent): Record<string, string> {
  return component === 'kube-apiserver' ? { cpu: '250m' } : component === 'etcd' ? { cpu: '100m', memory: '100Mi' } : component === 'kube-scheduler' ? { cpu: '100m' } : { cpu: '200m' };
}

/** The annotations kubeadm puts on the manifest (the advertise endpoint of the API server and etcd). */
export function staticPodAnnotations(n: NodeSettings, component: StaticPodComponent): Record<string, string> {
  if (component === 'kube-apiserver') return { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${n.ip}:6443` };
  if (component === 'etcd') return { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${n.ip}:2379` };
  return {};
}

interface Vol {
  name: string;
  path: string;
  type: 'DirectoryOrCreate' | 'FileOrCreate';
  readOnly: boolean;
}

const CA_VOLUMES: Vol[] = [
  { name: 'ca-certs', path: '/etc/ssl/certs', type: 'DirectoryOrCreate', readOnly: true },
  { name: 'etc-ca-certificates', path: '/etc/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
];
const SHARE_VOLUMES: Vol[] = [
  { name: 'usr-local-share-ca-certificates', path: '/usr/local/share/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
  { name: 'usr-share-ca-certificates', path: '/usr/share/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
];
const K8S_CERTS: Vol = { name: 'k8s-certs', path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate', readOnly: true };

function volumes(component: StaticPodComponent): { mounts: Vol[]; volumes: Vol[] } {
  switch (component) {
    case 'etcd': {
      const data: Vol = { name: 'etcd-data', path: '/var/lib/etcd', type: 'DirectoryOrCreate', readOnly: false };
      const certs: Vol = { name: 'etcd-certs', path: '/etc/kubernetes/pki/etcd', type: 'DirectoryOrCreate', readOnly: false };
      return { mounts: [data, certs], volumes: [certs, data] };
    }
    case 'kube-apiserver': {
      const v = [...CA_VOLUMES, K8S_CERTS, ...SHARE_VOLUMES];
      return { mounts: v, volumes: v };
    }
    case 'kube-controller-manager': {
      const v = [
        ...CA_VOLUMES,
        { name: 'flexvolume-dir', path: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', type: 'DirectoryOrCreate', readOnly: false } as Vol,
        K8S_CERTS,
        { name: 'kubeconfig', path: '/etc/kubernetes/controller-manager.conf', type: 'FileOrCreate', readOnly: true } as Vol,
        ...SHARE_VOLUMES,
      ];
      return { mounts: v, volumes: v };
    }
    case 'kube-scheduler': {
      const v: Vol[] = [{ name: 'kubeconfig', path: '/etc/kubernetes/scheduler.conf', type: 'FileOrCreate', readOnly: true }];
      return { mounts: v, volumes: v };
    }
  }
}

/** Probe port, host, scheme and paths (liveness, readiness or none, startup). */
function probes(n: NodeSettings, component: StaticPodComponent): { port: number; host: string; scheme: string; live: string; ready?: string; startup: string } {
  switch (component) {
    case 'etcd':
      return { port: 2381, host: '127.0.0.1', scheme: 'HTTP', live: '/livez', ready: '/readyz', startup: '/readyz' };
    case 'kube-apiserver':
      return { port: 6443, host: n.ip, scheme: 'HTTPS', live: '/livez', ready: '/readyz', startup: '/livez' };
    case 'kube-controller-manager':
      return { port: 10257, host: '127.0.0.1', scheme: 'HTTPS', live: '/healthz', startup: '/healthz' };
    case 'kube-scheduler':
      return { port: 10259, host: '127.0.0.1', scheme: 'HTTPS', live: '/livez', ready: '/readyz', startup: '/livez' };
  }
}

/** /etc/kubernetes/manifests/<component>.yaml as kubeadm v1.34 writes it. */
export function staticPodManifest(s: ClusterSettings, n: NodeSettings, component: StaticPodComponent): string {
  const p = probes(n, component);
  const probe = (path: string, failure: number, period: number, delay: boolean) =>
    `      failureThreshold: ${failure}\n      httpGet:\n        host: ${p.host}\n        path: ${path}\n        port: probe-port\n        scheme: ${p.scheme}\n${delay ? '      initialDelaySeconds: 10\n' : ''}      periodSeconds: ${period}\n      timeoutSeconds: 15\n`;
  const ann = Object.entries(staticPodAnnotations(n, component));
  const v = volumes(component);
  let y = 'apiVersion: v1\nkind: Pod\nmetadata:\n';
  if (ann.length) y += '  annotations:\n' + ann.map(([k, val]) => `    ${k}: ${val}\n`).join('');
  y += `  creationTimestamp: null\n  labels:\n    component: ${component}\n    tier: control-plane\n  name: ${component}\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n`;
  y += staticPodCommand(s, n, component).map((a) => `    - ${a}\n`).join('');
  y += `    image: ${staticPodImage(s, component)}\n    imagePullPolicy: IfNotPresent\n    livenessProbe:\n${probe(p.live, 8, 10, true)}    name: ${component}\n`;
  y += `    ports:\n    - containerPort: ${p.port}\n      name: probe-port\n      protocol: TCP\n`;
  if (p.ready) y += `    readinessProbe:\n${probe(p.ready, 3, 1, false)}`;
  y += '    resources:\n      requests:\n' + Object.entries(staticPodRequests(component)).map(([k, val]) => `        ${k}: ${val}\n`).join('');
  y += `    startupProbe:\n${probe(p.startup, 24, 10, true)}`;
  y += '    volumeMounts:\n' + v.mounts.map((m) => `    - mountPath: ${m.path}\n      name: ${m.name}\n${m.readOnly ? '      readOnly: true\n' : ''}`).join('');
  y += '  hostNetwork: true\n  priority: 2000001000\n  priorityClassName: system-node-critical\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  volumes:\n';
  y += v.volumes.map((m) => `  - hostPath:\n      path: ${m.path}\n      type: ${m.type}\n    name: ${m.name}\n`).join('');
  return y + 'status: {}\n';
}

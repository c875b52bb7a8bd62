/**
 * Two kube-controller-manager loops that run for every namespace:
 *
 * - the service account controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
 *   every active namespace has a ServiceAccount `default`, made again if deleted — the one
 *   Pods get as `serviceAccountName: default`;
 * - the root CA certificate publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go):
 *   every active namespace has the ConfigMap `kube-root-ca.crt` whose `ca.crt` is the
 *   cluster's CA bundle, with its kubernetes.io/description annotation; made again if
 *   deleted and put back if edited.
 *
 * The CA is kubeadm's (cmd/kubeadm/app/util/pkiutil NewSelfSignedCACert): CN=kubernetes,
 * DNS:kubernetes, backdated 5 minutes (CertificateBackdate), ten years, keyEncipherment +
 * digitalSignature + certSign, CA:TRUE and the subject key id Go adds to a CA — made from a
 * seed by engine/tls, so it is the same for the same cluster.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import type { KindStore } from '../cluster/store';
import type { ConfigMap, Manifest } from '../cluster/types';
import { utf8 } from '../cluster/hash';
import { expand, generateRsaKey, type RsaKey } from '../tls/keys';
import { EKU_SERVER, akiExtension, basicConstraints, extKeyUsageExtension, issueCertificate, keyUsageExtension, parseCertificate, sanExtension, skiExtension, type Certificate, type GeneralName } from '../tls/x509';
import { pemBlocks, pemEncode } from '../tls/pem';
import { equalBytes } from '../tls/der';
import { formatIPv4, parseCidr } from '../cluster/ipv4';
import { derivedUid } from './util';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** kubeadm's constants.CertificateBackdate and the CA's validity (CertificateValidityPeriod for CAs: ten years). */
const BACKDATE_MS = 5 * 60_000;
const CA_DAYS = 3650;

/** The cluster CA certificate as PEM, issued at `createdAt` for the cluster whose API server is at `apiServerIP`. */
export function kubeadmCACertificate(apiServerIP: string, createdAt: number): string {
  const seed = utf8(`kubernetes-ca|${apiServerIP}|${createdAt}`);
  const key = kubeadmCAKey(apiServerIP, createdAt);
  const serial = expand(seed, 'serial', 8);
  serial[0] &= 0x7f;
  const subject: [string, string][] = [['CN', 'kubernetes']];
  const notBefore = Math.floor((createdAt - BACKDATE_MS) / 1000) * 1000;
  const cert = issueCertificate(
    {
      serial,
      issuer: subject,
      subject,
      notBefore,
      notAfter: notBefore + CA_DAYS * 86_400_000,
      publicKey: key,
      // crypto/x509's extension order: keyUsage, basicConstraints, subjectKeyId, subjectAltName
      extensions: [keyUsageExtension([0, 2, 5]), basicConstraints(true), skiExtension(key), sanExtension([{ type: 'DNS', value: 'kubernetes' }])],
    },
    key,
  );
  return pemEncode('CERTIFICATE', cert.der);
}

/** The cluster CA's key (/etc/kubernetes/pki/ca.key), drawn from the API server's address and the moment kubeadm made the CA. */
const caKeys = new Map<string, RsaKey>();
function kubeadmCAKey(apiServerIP: string, createdAt: number): RsaKey {
  const id = `kubernetes-ca|${apiServerIP}|${createdAt}`;
  let k = caKeys.get(id);
  if (!k) {
    k = generateRsaKey(utf8(id), 2048);
    if (caKeys.size > 16) caKeys.clear();
    caKeys.set(id, k);
  }
  return k;
}

const servingCache = new Map<string, Certificate[]>();

/**
 * kube-apiserver's serving certificate (kubeadm certs phase "apiserver", pkiutil
 * NewCertAndKeyFromCA): CN=kube-apiserver signed by the cluster CA, serverAuth, one year
 * (CertificateValidityPeriod) from the CA's own start, SANs the control-plane node's name,
 * kubernetes, kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.<domain>,
 * the Service range's first address and the advertise address (certs/altnames.go
 * GetAPIServerAltNames). The chain it serves: the leaf alone (the CA is kube-root-ca.crt).
 */
function readPemCertificates(text: string): Certificate[] {
  return pemBlocks(text).filter((b) => b.label === 'CERTIFICATE').map((b) => parseCertificate(b.der));
}

export function apiServerServingChain(cluster: Cluster): Certificate[] {
  const caPem = cluster.store.get('ConfigMap', 'kube-system', ROOT_CA_CONFIGMAP)?.data?.['ca.crt'] as string | undefined;
  const s = cluster.settings;
  const cp = s.nodes.find((n) => n.role === 'control-plane') ?? s.nodes[0];
  const ip = s.nodes[0]?.ip ?? '127.0.0.1';
  const id = `${caPem ?? ''}|${cp?.name}|${s.clusterDomain}|${s.serviceCIDR}`;
  const hit = servingCache.get(id);
  if (hit) return hit;
  const ca = caPem ? readPemCertificates(caPem)[0] : undefined;
  if (!ca) return [];
  // the CA was made at its notBefore plus the backdate; its key is the one whose public half the CA carries
  const caKey = kubeadmCAKey(ip, ca.notBefore + BACKDATE_MS);
  if (!equalBytes(caKey.n, ca.publicKey.n)) return [];
  const key = generateRsaKey(utf8(`kube-apiserver|${id}`), 2048);
  const serial = expand(utf8(`kube-apiserver|${id}`), 'serial', 8);
  serial[0] &= 0x7f;
  const firstServiceIP = formatIPv4((parseCidr(s.serviceCIDR)?.network ?? 0) + 1);
  const names: GeneralName[] = [
    ...[cp?.name ?? 'control-plane', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${s.clusterDomain}`].map((value): GeneralName => ({ type: 'DNS', value })),
    { type: 'IP', value: firstServiceIP },
    { type: 'IP', value: cp?.ip ?? ip },
  ];
  const leaf = issueCertificate(
    {
      serial,
      issuer: ca.subject,
      subject: [['CN', 'kube-apiserver']],
      notBefore: ca.notBefore,
      notAfter: ca.notBefore + 365 * 86_400_000,
      publicKey: key,
      // crypto/x509's extension order: keyUsage, extKeyUsage, basicConstraints, authorityKeyId, subjectAltName
      extensions: [keyUsageExtension([0, 2]), extKeyUsageExtension([EKU_SERVER]), basicConstraints(false), akiExtension(caKey), sanExtension(names)],
    },
    caKey,
  );
  const chain = [leaf];
  if (servingCache.size > 16) servingCache.clear();
  servingCache.set(id, chain);
  return chain;
}

export class NamespaceDefaultsController implements SimModule {
  readonly name = 'serviceaccount-and-root-ca-controllers';
  private dirty = new Set<string>();
  private unsubscribe?: () => void;
  /** The CA bundle, fixed when the first namespace is published (kept through snapshots). */
  private caPem?: string;

  constructor(private cluster: Cluster) {}

  private get store(): KindStore {
    return this.cluster.store;
  }

  init(): void {
    this.unsubscribe?.();
    for (const ns of this.store.iterate('Namespace')) this.dirty.add(ns.metadata.name);
    this.unsubscribe = this.cluster.store.subscribe((c) => {
      const o = c.object;
      if (o.kind === 'Namespace' && c.type !== 'DELETED') this.dirty.add(o.metadata.name);
      else if (o.kind === 'ServiceAccount' && o.metadata.name === 'default' && c.type === 'DELETED') this.dirty.add(o.metadata.namespace ?? '');
      else if (o.kind === 'ConfigMap' && o.metadata.name === ROOT_CA_CONFIGMAP) this.dirty.add(o.metadata.namespace ?? '');
    });
  }

  snapshot(): unknown {
    return { caPem: this.caPem };
  }

  restore(data: unknown): void {
    const pem = (data as { caPem?: unknown } | undefined)?.caPem;
    this.caPem = typeof pem === 'string' ? pem : undefined;
  }

  sizes(): Record<string, number> {
    return { dirty: this.dirty.size };
  }

  private ca(): string {
    if (!this.caPem) {
      const s = this.cluster.settings;
      const ip = s.nodes[0]?.ip ?? '127.0.0.1';
      this.caPem = kubeadmCACertificate(ip, this.cluster.clock.now());
    }
    return this.caPem;
  }

  reconcile(): boolean {
    if (this.dirty.size === 0) return false;
    let wrote = false;
    for (const name of [...this.dirty].sort()) {
      this.dirty.delete(name);
      const ns = this.store.get('Namespace', undefined, name);
      // both controllers skip a namespace that is going away
      if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') continue;
      if (!this.store.get('ServiceAccount', name, 'default')) {
        const uid = derivedUid(`ServiceAccount/${name}/default/${ns.metadata.uid}/${this.cluster.clock.now()}`);
        this.cluster.api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name, uid } }, { reconcile: false, keepStatus: true });
        wrote = true;
      }
      const want = { 'ca.crt': this.ca() };
      const cm = this.store.get('ConfigMap', name, ROOT_CA_CONFIGMAP);
      if (!cm) {
        const uid = derivedUid(`ConfigMap/${name}/${ROOT_CA_CONFIGMAP}/${ns.metadata.uid}/${this.cluster.clock.now()}`);
        const m: Manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: { 'kubernetes.io/description': DESCRIPTION }, name: ROOT_CA_CONFIGMAP, namespace: name, uid }, data: want };
        this.cluster.api.create(m, { reconcile: false, keepStatus: true });
        wrote = true;
      } else if (cm.data?.['ca.crt'] !== want['ca.crt'] || Object.keys(cm.data ?? {}).length !== 1 || cm.metadata.annotations?.['kubernetes.io/description'] !== DESCRIPTION) {
        // publisher.go syncNamespace: data and the description annotation are put back
        const next: ConfigMap = { ...cm, metadata: { ...cm.metadata, annotations: { ...(cm.metadata.annotations ?? {}), 'kubernetes.io/description': DESCRIPTION } }, data: want };
        this.cluster.api.update(next, { reconcile: false });
        wrote = true;
      }
    }
    return wrote;
  }
}

/**
 * Generates engine/cluster/openapi/crd-schemas.json: the OpenAPI v3 schemas (with the
 * subresources and printer columns) of the CustomResourceDefinitions the simulated cluster installs, copied from
 * the upstream CRD manifests at the versions the simulation models. The cluster installs
 * those CRDs without the bulky schema text (controllers/istio/install.ts,
 * controllers/cni/plugins/calico/index.ts, commands/net/traffic/gateway-helm.ts); the API
 * server reads each version's `schema.openAPIV3Schema`, `subresources` and `additionalPrinterColumns` in
 * from this file (cluster/openapi/crds.ts).
 *
 * Sources (each CRD's `spec.versions[]` verbatim, nothing written by hand):
 *  - Gateway API v1.6.1, experimental channel, the bundle Envoy Gateway v1.9.0's chart
 *    installs: github.com/kubernetes-sigs/gateway-api config/crd/experimental/
 *    gateway.networking.k8s.io_{gatewayclasses,gateways,grpcroutes,httproutes,referencegrants}.yaml
 *    (the kinds the simulation serves).
 *  - Istio 1.24.2: github.com/istio/istio manifests/charts/base/files/crd-all.gen.yaml
 *    (all fourteen CRDs of the base chart).
 *  - Calico v3.28.2: github.com/projectcalico/calico libcalico-go/config/crd/
 *    crd.projectcalico.org_*.yaml: the eighteen CRDs manifests/calico.yaml installs.
 *  - Cilium v1.18: github.com/cilium/cilium pkg/k8s/apis/cilium.io/client/crds/{v2,v2alpha1}/
 *    (the ten CRDs cilium-operator registers with the chart's defaults) at 228a2936,
 *    main where v1.18 branched: the parent of "Prepare for v1.19 development cycle", which
 *    moved the CRD schema version from 1.31.10 to 1.32.0. The v1.18 release tags are not in
 *    the copy this was read from (a fork of cilium/cilium small enough to fetch); a
 *    backported schema fix in a v1.18 patch release would be missing here.
 *
 * A CRD's versions usually carry the same schema; each distinct one is stored once.
 *
 * Usage: bring the four repositories' git directories onto the machine (any clone with
 * the tags, and Cilium's commit), then
 *   npx tsx scripts/gen-crd-schemas.ts GATEWAY_API_GIT_DIR ISTIO_GIT_DIR CALICO_GIT_DIR CILIUM_GIT_DIR
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const [gatewayGit, istioGit, calicoGit, ciliumGit] = process.argv.slice(2);
if (!gatewayGit || !istioGit || !calicoGit || !ciliumGit) {
  console.error('usage: tsx scripts/gen-crd-schemas.ts GATEWAY_API_GIT_DIR ISTIO_GIT_DIR CALICO_GIT_DIR CILIUM_GIT_DIR');
  process.exit(2);
}

interface Source {
  git: string;
  tag: string;
  paths: string[];
  /** The upstream repository to cite when the git directory is a fork's copy of it. */
  upstream?: string;
  /** CRD names to keep from the files (all of them when undefined). */
  names?: string[];
}

const GATEWAY_KINDS = ['gatewayclasses', 'gateways', 'grpcroutes', 'httproutes', 'referencegrants'];
// every crd.projectcalico.org CRD manifests/calico.yaml v3.28.2 installs (its kdd-crds.yaml part)
const CALICO_KINDS = [
  'bgpconfigurations', 'bgpfilters', 'bgppeers', 'blockaffinities', 'caliconodestatuses', 'clusterinformations',
  'felixconfigurations', 'globalnetworkpolicies', 'globalnetworksets', 'hostendpoints', 'ipamblocks', 'ipamconfigs',
  'ipamhandles', 'ippools', 'ipreservations', 'kubecontrollersconfigurations', 'networkpolicies', 'networksets',
];
// what cilium-operator registers with the Helm chart's defaults: pkg/k8s/synced/crd.go
// AllCiliumCRDResourceNames (agentCRDResourceNames with CNP and CCNP on, no CiliumEndpointSlice,
// egress gateway, local redirect, Envoy config or BGP; no Gateway API) plus CiliumNodeConfig
const CILIUM_KINDS = [
  'v2/ciliumnodes', 'v2/ciliumidentities', 'v2alpha1/ciliumpodippools', 'v2/ciliumendpoints', 'v2/ciliumnetworkpolicies',
  'v2/ciliumclusterwidenetworkpolicies', 'v2/ciliumcidrgroups', 'v2/ciliumloadbalancerippools', 'v2alpha1/ciliuml2announcementpolicies',
  'v2/ciliumnodeconfigs',
];

const SOURCES: Source[] = [
  { git: gatewayGit, tag: 'v1.6.1', paths: GATEWAY_KINDS.map((k) => `config/crd/experimental/gateway.networking.k8s.io_${k}.yaml`) },
  { git: istioGit, tag: '1.24.2', paths: ['manifests/charts/base/files/crd-all.gen.yaml'] },
  { git: calicoGit, tag: 'v3.28.2', paths: CALICO_KINDS.map((k) => `libcalico-go/config/crd/crd.projectcalico.org_${k}.yaml`) },
  { git: ciliumGit, tag: '228a293646c4872216c598a0196a2b40ddf91516', paths: CILIUM_KINDS.map((k) => `pkg/k8s/apis/cilium.io/client/crds/${k}.yaml`), upstream: 'github.com/cilium/cilium' },
];

/** One CRD: each served version's schema (an index into `schemas`), subresources and printer columns. */
interface CrdEntry {
  source: string;
  schemas: unknown[];
  versions: Record<string, { schema: number; subresources?: unknown; additionalPrinterColumns?: unknown[] }>;
}

const out: Record<string, CrdEntry> = {};
for (const src of SOURCES) {
  const repo = resolve(src.git);
  for (const path of src.paths) {
    const text = execFileSync('git', ['--git-dir', repo, 'show', `${src.tag}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS() as { kind?: string; metadata?: { name?: string }; spec?: { versions?: Record<string, unknown>[] } } | null;
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.metadata?.name) continue;
      const entry: CrdEntry = { source: `${src.upstream ?? repoName(repo)}@${src.tag}:${path}`, schemas: [], versions: {} };
      const seen: string[] = [];
      for (const v of crd.spec?.versions ?? []) {
        const schema = (v.schema as { openAPIV3Schema?: unknown } | undefined)?.openAPIV3Schema;
        if (!schema) continue;
        const key = JSON.stringify(schema);
        let i = seen.indexOf(key);
        if (i < 0) {
          i = seen.push(key) - 1;
          entry.schemas.push(schema);
        }
        entry.versions[String(v.name)] = {
          schema: i,
          ...(v.subresources ? { subresources: v.subresources } : {}),
          ...(v.additionalPrinterColumns ? { additionalPrinterColumns: v.additionalPrinterColumns as unknown[] } : {}),
        };
      }
      out[crd.metadata.name] = entry;
    }
  }
}

function repoName(gitDir: string): string {
  // /work/.mirror/owner+name/repo → owner/name; a plain clone's …/name/.git → name
  const m = /([^/]+)\+([^/]+)\/repo\/?$/.exec(gitDir);
  return m ? `github.com/${m[1]}/${m[2]}` : gitDir.replace(/\/\.git\/?$/, '').split('/').pop()!;
}

const file = resolve(import.meta.dirname, '../engine/cluster/openapi/crd-schemas.json');
writeFileSync(file, JSON.stringify(out) + '\n');
console.log(`${Object.keys(out).length} CRDs → ${file}`);

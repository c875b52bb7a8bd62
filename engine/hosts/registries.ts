/**
 * What the simulated registries hold: which repositories exist and which of their tags.
 * The kubelet asks this before it lets a container start (controllers/images.ts turns the
 * answer into containerd's pull error), so a typo such as `ngnix` or `nginx:1.99` ends in
 * ErrImagePull as on a real cluster instead of running.
 *
 * Three kinds of repository, one rule each (engine/README.md "Images"):
 *  1. the image families the simulation models (a row below): their real tags, from each
 *     project's release history (the source is named on the row);
 *  2. Docker Official Images it does not model (OFFICIAL_UNMODELLED: names from
 *     docker-library/official-images library/): they exist; a tag exists when it has the
 *     official images' shape — `latest`, a version (`3.12`, `16.4-alpine`), or a distribution
 *     or variant word (`alpine`, `bookworm`, `slim`…) — since we cannot list their tags;
 *  3. anything else does not exist, and the pull fails the way its registry answers for
 *     a repository it does not have (a learner's own `myapp:1` has never been pushed).
 */

/** `docker.io`, `registry.k8s.io`, … and the path inside it (`library/nginx`). */
export interface RepositoryName {
  registry: string;
  repository: string;
}

export type Lookup = 'found' | 'no-repository' | 'no-tag';

type TagRule = (tag: string) => boolean;

interface Row {
  registry: string;
  repository: string;
  tags: TagRule;
  /** Where the tag list comes from. */
  source: string;
}

/** `1.27`, `1.27.3` for every minor line `major.minor` with its last patch release; `major` alone too. */
function releases(major: number, lines: Record<number, number>): Set<string> {
  const out = new Set<string>([String(major)]);
  for (const [minor, last] of Object.entries(lines)) {
    out.add(`${major}.${minor}`);
    for (let p = 0; p <= last; p++) out.add(`${major}.${minor}.${p}`);
  }
  return out;
}

/** A tag is a version from `versions`, optionally followed by `-variant` from `variants`; plus the bare words. */
function versioned(versions: Set<string>, variants: string[], words: string[] = []): TagRule {
  const v = new Set(variants);
  const w = new Set([...words, ...variants]);
  return (tag) => {
    if (w.has(tag) || versions.has(tag)) return true;
    const i = tag.indexOf('-');
    return i > 0 && versions.has(tag.slice(0, i)) && v.has(tag.slice(i + 1));
  };
}

const oneOf =
  (...tags: string[]): TagRule =>
  (tag) =>
    tags.includes(tag);

/** A release-shaped tag (`v1.18.4`, `3.6.4-0`, `distroless-v1.39.0`, `17b1956c`): for components the simulation installs at one version. */
const releaseShaped: TagRule = (tag) => /^(latest|[a-z]+-)?v?\d+(\.\d+){0,3}([-+][\w.-]+)?$|^[0-9a-f]{7,40}$/.test(tag);

/**
 * nginx's release lines and their last patch (nginx.org/en/CHANGES and CHANGES-1.x: 1.7.12 …
 * 1.29.3, the mainline at Kubernetes v1.34.2's release); the docker-library tags and
 * variants (docker-library/official-images library/nginx: `-alpine`, `-alpine-slim`, `-perl`,
 * `-alpine-perl`, `-bookworm`, `-bookworm-perl`, `-otel`, `-alpine-otel`, `-trixie`).
 */
export const NGINX_LINES: Readonly<Record<number, number>> = { 7: 12, 8: 1, 9: 15, 10: 3, 11: 13, 12: 2, 13: 12, 14: 2, 15: 12, 16: 1, 17: 10, 18: 0, 19: 10, 20: 2, 21: 6, 22: 1, 23: 4, 24: 0, 25: 5, 26: 3, 27: 5, 28: 0, 29: 3 };
const NGINX_TAGS = versioned(
  releases(1, NGINX_LINES),
  ['alpine', 'alpine-slim', 'perl', 'alpine-perl', 'bookworm', 'bookworm-perl', 'bookworm-otel', 'otel', 'alpine-otel', 'trixie', 'trixie-perl', 'trixie-otel', 'bullseye', 'bullseye-perl'],
  ['latest', 'stable', 'mainline', 'stable-alpine', 'mainline-alpine', 'stable-perl', 'mainline-perl', 'stable-alpine-slim', 'mainline-alpine-slim', 'stable-otel', 'mainline-otel'],
);

/** busybox's releases from 1.24 (busybox.net "news"; the docker-library image's tags from then on) with the `-glibc`, `-musl`, `-uclibc` builds. */
const BUSYBOX_TAGS = versioned(
  releases(1, { 24: 2, 25: 1, 26: 2, 27: 2, 28: 4, 29: 3, 30: 1, 31: 1, 32: 1, 33: 1, 34: 1, 35: 0, 36: 1, 37: 0 }),
  ['glibc', 'musl', 'uclibc'],
  ['latest', 'stable', 'unstable', 'stable-glibc', 'stable-musl', 'stable-uclibc', 'unstable-glibc', 'unstable-musl', 'unstable-uclibc'],
);

/** Alpine's releases 3.1–3.22 (alpinelinux.org/releases; point releases up to the branch's last) and `edge`. */
export const ALPINE_LINES: Readonly<Record<number, number>> = { 1: 4, 2: 3, 3: 3, 4: 6, 5: 3, 6: 5, 7: 3, 8: 5, 9: 6, 10: 9, 11: 13, 12: 12, 13: 12, 14: 10, 15: 11, 16: 9, 17: 10, 18: 12, 19: 8, 20: 8, 21: 5, 22: 2 };
const ALPINE_TAGS = versioned(releases(3, ALPINE_LINES), [], ['latest', 'edge']);

/**
 * curl's releases (curl.se/docs/releases.html) that curlimages/curl publishes
 * (curl/curl-container: from 7.72.0), each as `X.Y.Z`, and `latest`.
 */
const CURL_VERSIONS = new Set<string>([
  ...'7.72.0 7.73.0 7.74.0 7.75.0 7.76.0 7.76.1 7.77.0 7.78.0 7.79.0 7.79.1 7.80.0 7.81.0 7.82.0 7.83.0 7.83.1 7.84.0 7.85.0 7.86.0 7.87.0 7.88.0 7.88.1'.split(' '),
  ...'8.0.0 8.0.1 8.1.0 8.1.1 8.1.2 8.2.0 8.2.1 8.3.0 8.4.0 8.5.0 8.6.0 8.7.1 8.8.0 8.9.0 8.9.1 8.10.0 8.10.1 8.11.0 8.11.1 8.12.0 8.12.1 8.13.0 8.14.0 8.14.1 8.15.0 8.16.0 8.17.0'.split(' '),
]);

/** What curlimages/curl:latest is: the newest release above. */
export const CURL_LATEST = [...CURL_VERSIONS].pop()!;

/** `2.1` … `2.N`: the e2e test images' `major.minor` tags (kubernetes test/images/<name>/VERSION). */
const minorLine =
  (major: number, from: number, to: number, prefix = ''): TagRule =>
  (tag) => {
    const m = new RegExp(`^${prefix}${major}\\.(\\d+)$`).exec(tag);
    return !!m && Number(m[1]) >= from && Number(m[1]) <= to;
  };

const ROWS: Row[] = [
  { registry: 'docker.io', repository: 'library/nginx', tags: NGINX_TAGS, source: 'nginx.org CHANGES; docker-library/official-images library/nginx' },
  { registry: 'docker.io', repository: 'nginxinc/nginx-unprivileged', tags: NGINX_TAGS, source: 'nginxinc/docker-nginx-unprivileged (the same versions and variants as nginx)' },
  { registry: 'docker.io', repository: 'library/busybox', tags: BUSYBOX_TAGS, source: 'busybox.net news; docker-library/official-images library/busybox' },
  { registry: 'docker.io', repository: 'library/alpine', tags: ALPINE_TAGS, source: 'alpinelinux.org releases; docker-library/official-images library/alpine' },
  {
    registry: 'docker.io',
    repository: 'library/httpd',
    tags: versioned(releases(2, { 2: 34, 4: 65 }), ['alpine', 'bookworm', 'trixie', 'alpine3.22'], ['latest', 'alpine', 'bookworm', 'trixie']),
    source: 'httpd.apache.org CHANGES_2.4 (2.4.65); docker-library/official-images library/httpd',
  },
  { registry: 'docker.io', repository: 'curlimages/curl', tags: (t) => t === 'latest' || CURL_VERSIONS.has(t), source: 'curl.se/docs/releases.html; curl/curl-container' },
  { registry: 'docker.io', repository: 'nicolaka/netshoot', tags: (t) => t === 'latest' || /^v0\.(\d|1[0-4])$/.test(t), source: 'nicolaka/netshoot releases v0.1–v0.14' },
  { registry: 'docker.io', repository: 'hashicorp/http-echo', tags: oneOf('latest', '0.2.1', '0.2.3', '1.0', '1.0.0'), source: 'hashicorp/http-echo releases (0.2.3, then 1.0.0)' },
  { registry: 'docker.io', repository: 'ealen/echo-server', tags: (t) => t === 'latest' || /^0\.\d+\.\d+$/.test(t), source: 'Ealenn/Echo-Server releases 0.x' },
  { registry: 'docker.io', repository: 'jmalloc/echo-server', tags: (t) => t === 'latest' || /^v?0\.\d+\.\d+$/.test(t), source: 'jmalloc/echo-server releases' },
  { registry: 'docker.io', repository: 'kicbase/echo-server', tags: oneOf('latest', '1.0'), source: 'kubernetes/minikube deploy/addons (kicbase/echo-server:1.0)' },
  // busybox with curl, git and friends from buildroot (radial/busyboxplus: tags base, curl, git, latest); the Connect Applications page runs :curl
  { registry: 'docker.io', repository: 'radial/busyboxplus', tags: oneOf('latest', 'base', 'curl', 'git'), source: 'radial/docker-busyboxplus' },
  // the registry.k8s.io images learners meet on kubernetes.io pages
  { registry: 'registry.k8s.io', repository: 'e2e-test-images/agnhost', tags: minorLine(2, 1, 56), source: 'kubernetes test/images/agnhost/VERSION (2.56 at v1.34)' },
  { registry: 'registry.k8s.io', repository: 'e2e-test-images/jessie-dnsutils', tags: oneOf('1.3', '1.4', '1.5', '1.7'), source: 'kubernetes test/images/jessie-dnsutils/VERSION; website content/en/examples/admin/dns/dnsutils.yaml (1.3)' },
  { registry: 'registry.k8s.io', repository: 'serve_hostname', tags: oneOf('latest', '1.1', '1.3', '1.4', 'v1.4'), source: 'kubernetes/contrib serve_hostname (the Debug Services page runs it untagged)' },
  { registry: 'registry.k8s.io', repository: 'echoserver', tags: (t) => /^1\.([3-9]|10)$/.test(t), source: 'kubernetes/ingress-nginx images/echoserver (1.10 on the Source IP page)' },
  { registry: 'gcr.io', repository: 'google-samples/hello-app', tags: oneOf('1.0', '2.0'), source: 'GoogleCloudPlatform/kubernetes-engine-samples hello-app (the minikube Ingress page)' },
  // the same hello-app where Google now publishes it (Artifact Registry): kubernetes/website
  // content/en/examples/service/access/hello-application.yaml runs :2.0, the GKE quickstarts :1.0
  { registry: 'us-docker.pkg.dev', repository: 'google-samples/containers/gke/hello-app', tags: oneOf('1.0', '2.0'), source: 'kubernetes/website service/access/hello-application.yaml; kubernetes-engine-samples quickstarts/hello-app' },
  // kubernetes/website content/en/examples/service/load-balancer-example.yaml (Exposing an External IP Address…, Use a Service to Access an Application)
  { registry: 'gcr.io', repository: 'google-samples/node-hello', tags: oneOf('1.0'), source: 'kubernetes/website service/load-balancer-example.yaml (node-hello:1.0)' },
  // the old images kubernetes.io task pages still run (registry.k8s.io serves what gcr.io/google_containers held)
  {
    registry: 'registry.k8s.io',
    repository: 'busybox',
    tags: oneOf('latest', '1.24', '1.27.2'),
    source: 'kubernetes/website examples pods/probe/exec-liveness.yaml (1.27.2), pods/inject/dapi-envars-pod.yaml (untagged); kubernetes e2e gcr.io/google_containers/busybox:1.24',
  },
  { registry: 'registry.k8s.io', repository: 'goproxy', tags: oneOf('0.1'), source: 'kubernetes test/images/goproxy/Makefile (TAG = 0.1); website pods/probe/tcp-liveness-readiness.yaml' },
  {
    registry: 'registry.k8s.io',
    repository: 'nginx-slim',
    tags: (t) => /^0\.([1-9]|1\d|2[0-7])$/.test(t),
    source: 'kubernetes/contrib and kubernetes/ingress-nginx images/nginx-slim Makefile (TAG 0.1 … 0.27 on gcr.io/google_containers; 0.24 at 87b1d137d); website StatefulSet basics',
  },
  { registry: 'gcr.io', repository: 'google-samples/hello-go-gke', tags: oneOf('1.0'), source: 'kubernetes/website service/access/backend-deployment.yaml (hello-go-gke:1.0)' },
  { registry: 'gcr.io', repository: 'google-samples/hello-frontend', tags: oneOf('1.0'), source: 'kubernetes/website service/access/frontend-deployment.yaml (hello-frontend:1.0)' },
  { registry: 'registry.k8s.io', repository: 'gateway-api/echo-basic', tags: (t) => /^v1\.\d+\.\d+$/.test(t), source: 'kubernetes-sigs/gateway-api conformance/echo-basic' },
  // what the control plane, kubeadm and the add-ons the simulation installs run (their released versions)
  ...['pause', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'etcd', 'coredns/coredns', 'ingress-nginx/controller', 'ingress-nginx/kube-webhook-certgen', 'metrics-server/metrics-server'].map(
    (repository): Row => ({ registry: 'registry.k8s.io', repository, tags: releaseShaped, source: 'registry.k8s.io (kubernetes/k8s.io registry.k8s.io/images)' }),
  ),
  ...['calico/node', 'calico/cni', 'calico/kube-controllers', 'calico/typha', 'flannel/flannel', 'flannel/flannel-cni-plugin', 'envoyproxy/envoy', 'envoyproxy/gateway', 'envoyproxy/ratelimit', 'istio/proxyv2', 'istio/pilot', 'weaveworks/weave-kube', 'weaveworks/weave-npc'].map(
    (repository): Row => ({ registry: 'docker.io', repository, tags: releaseShaped, source: 'the add-on installs (engine/controllers)' }),
  ),
  ...['cilium/cilium', 'cilium/operator-generic', 'cilium/hubble-relay', 'cilium/hubble-ui', 'cilium/hubble-ui-backend'].map((repository): Row => ({ registry: 'quay.io', repository, tags: releaseShaped, source: 'cilium install' })),
  ...['weaveworks/launcher/weave-kube', 'weaveworks/launcher/weave-npc'].map((repository): Row => ({ registry: 'ghcr.io', repository, tags: releaseShaped, source: 'weave-net install' })),
  ...['amazon-k8s-cni', 'amazon-k8s-cni-init', 'amazon/aws-network-policy-agent'].map((repository): Row => ({ registry: '602401143452.dkr.ecr.us-west-2.amazonaws.com', repository, tags: releaseShaped, source: 'aws-vpc-cni install' })),
];

/**
 * Docker Official Images the simulation does not model, by name (docker-library/official-images
 * library/: the databases, languages, distributions and servers learners reach for).
 */
const OFFICIAL_UNMODELLED = new Set(
  `postgres mysql mariadb mongo redis memcached rabbitmq cassandra elasticsearch influxdb couchdb neo4j zookeeper solr
  debian ubuntu fedora centos rockylinux almalinux amazonlinux archlinux opensuse oraclelinux photon clearlinux
  python node golang ruby php perl openjdk eclipse-temurin amazoncorretto gradle maven rust erlang elixir dart swift julia r-base
  bash traefik caddy haproxy tomcat jetty wordpress ghost drupal joomla nextcloud registry vault consul nats telegraf
  kong hello-world`
    .split(/\s+/)
    .filter(Boolean),
);

/** The official images' tag shape: `latest`, or a version and/or distribution and variant words joined by `-` (`16`, `3.12-slim-bookworm`, `alpine`). */
const OFFICIAL_WORDS = new Set('alpine slim bookworm bullseye buster trixie jammy noble focal bionic windowsservercore nanoserver jdk jre management fpm apache cli perl otel rc beta'.split(' '));
function officialTag(tag: string): boolean {
  if (tag === 'latest') return true;
  const parts = tag.split('-');
  return parts.every((p, i) => OFFICIAL_WORDS.has(p) || /^alpine3\.\d+$/.test(p) || (i === 0 && /^\d+(\.\d+){0,3}$/.test(p)));
}

const INDEX = new Map<string, Row>(ROWS.map((r) => [`${r.registry}/${r.repository}`, r]));

/** k8s.gcr.io has redirected to registry.k8s.io since 2023 (kubernetes.io blog "k8s.gcr.io Redirect to registry.k8s.io"). */
function canonical(registry: string): string {
  return registry === 'k8s.gcr.io' ? 'registry.k8s.io' : registry;
}

/** Whether `registry/repository[:tag]` exists; a digest-only reference is taken as one of the repository's images. */
export function lookupImage(name: RepositoryName, tag: string): Lookup {
  const registry = canonical(name.registry);
  const row = INDEX.get(`${registry}/${name.repository}`);
  if (row) return tag === '' || row.tags(tag) ? 'found' : 'no-tag';
  if (registry === 'docker.io' && name.repository.startsWith('library/') && OFFICIAL_UNMODELLED.has(name.repository.slice('library/'.length))) {
    return tag === '' || officialTag(tag) ? 'found' : 'no-tag';
  }
  return 'no-repository';
}

/** Every repository the catalog models, as `registry/repository` (for tests and the README). */
export function modelledRepositories(): string[] {
  return ROWS.map((r) => `${r.registry}/${r.repository}`);
}

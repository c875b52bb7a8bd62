/**
 * What the container runtime knows about images: how a reference normalises
 * (containerd's docker.io/library/ rules), whether a pull can succeed, the digest it
 * resolves to, and whether the image's process keeps running or exits.
 */
import { sha256 } from '../cluster/hash';
import type { Container } from '../cluster/types';
import { lookupImage } from '../hosts/registries';

export interface ImageRef {
  /** docker.io, registry.k8s.io, … */
  registry: string;
  /** library/nginx, coredns/coredns */
  repository: string;
  tag: string;
  digest?: string;
  /** docker.io/library/nginx:1.27 — what containerd reports as status.image */
  full: string;
}

export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) registry = parts.shift()!;
  let repoPath = parts.join('/');
  let tag = 'latest';
  const colon = repoPath.lastIndexOf(':');
  if (colon >= 0) {
    tag = repoPath.slice(colon + 1);
    repoPath = repoPath.slice(0, colon);
  } else if (digest) tag = '';
  if (registry === 'docker.io' && !repoPath.includes('/')) repoPath = `library/${repoPath}`;
  const full = `${registry}/${repoPath}${tag ? ':' + tag : ''}${digest ? '@' + digest : ''}`;
  return { registry, repository: repoPath, tag, digest, full };
}

/** Registries the simulated nodes can reach (anything else fails DNS like a typo'd host). */
const REACHABLE_REGISTRIES = ['docker.io', 'registry.k8s.io', 'k8s.gcr.io', 'gcr.io', 'quay.io', 'ghcr.io', 'public.ecr.aws', 'mcr.microsoft.com', 'registry.gitlab.com', 'nvcr.io'];

/**
 * A pull's outcome. `error` is the error the kubelet's image manager holds, as its event
 * `Failed to pull image "<image>": <error>` and the waiting message print it: containerd's
 * CRI error as the CRI client returns it — since Kubernetes v1.30 the client strips the gRPC
 * status of an `Unknown` error down to its message (k8s.io/cri-client pkg/remote_image.go
 * PullImage: "We can strip the code from unknown status errors since they add no value"),
 * while one containerd maps to a code (errdefs.ErrNotFound → NotFound, errgrpc.ToGRPC) keeps
 * `rpc error: code = NotFound desc = `.
 */
export type PullResult = { ok: true; digest: string; imageID: string } | { ok: false; error: string };

const pullCache = new Map<string, PullResult>();

/** What pulling `image` gives (memoised: the answer depends on the reference alone). */
export function pullImage(image: string): PullResult {
  let r = pullCache.get(image);
  if (!r) {
    r = resolvePull(image);
    if (pullCache.size > 10_000) pullCache.clear();
    pullCache.set(image, r);
  }
  return r;
}

/**
 * containerd's answer (core/remotes/docker/resolver.go Resolve, wrapped by the CRI plugin's
 * PullImage as `failed to pull and unpack image %q: failed to resolve reference %q: …`):
 *  - a registry host that does not resolve: the HEAD request's dial error;
 *  - a tag the repository does not have: the registry's 404 → `<ref>: not found` (ErrNotFound);
 *  - a repository the registry does not have: Docker Hub's token service refuses the
 *    anonymous pull scope (`pull access denied, repository does not exist or may require
 *    authorization: server message: insufficient_scope: authorization failed`, the docker
 *    authorizer's message); ghcr.io refuses the anonymous token with 403; the other registries
 *    (registry.k8s.io and the OCI registries behind it) answer the manifest HEAD with 404.
 */
function resolvePull(image: string): PullResult {
  const ref = parseImage(image);
  const head = `failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": `;
  // Amazon ECR's per-account hosts and Google Artifact Registry's per-location ones (us-docker.pkg.dev) resolve too
  if (!REACHABLE_REGISTRIES.includes(ref.registry) && !/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(ref.registry) && !/^[a-z0-9-]+-docker\.pkg\.dev$/.test(ref.registry)) {
    const host = ref.registry.split(':')[0];
    return { ok: false, error: `${head}failed to do request: Head "https://${ref.registry}/v2/${ref.repository}/manifests/${ref.tag || ref.digest}": dial tcp: lookup ${host} on 127.0.0.53:53: no such host` };
  }
  const found = /^[\w][\w.-]{0,127}$|^$/.test(ref.tag) ? lookupImage({ registry: ref.registry, repository: ref.repository }, ref.tag) : 'no-tag';
  if (found === 'no-tag' || (found === 'no-repository' && ref.registry !== 'docker.io' && ref.registry !== 'ghcr.io')) {
    return { ok: false, error: `rpc error: code = NotFound desc = ${head}${ref.full}: not found` };
  }
  if (found === 'no-repository' && ref.registry === 'ghcr.io') {
    const scope = encodeURIComponent(`repository:${ref.repository}:pull`);
    return { ok: false, error: `${head}failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=${scope}&service=ghcr.io: 403 Forbidden` };
  }
  if (found === 'no-repository') {
    return { ok: false, error: `${head}pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed` };
  }
  const digest = ref.digest ?? `sha256:${sha256(`${ref.registry}/${ref.repository}:${ref.tag}`)}`;
  return { ok: true, digest, imageID: `${ref.registry}/${ref.repository}@${digest}` };
}

/** Images whose entrypoint is a shell: with no command and no stdin they exit at once. */
const SHELL_IMAGES = ['library/busybox', 'busybox', 'library/alpine', 'library/ubuntu', 'library/debian', 'library/centos', 'library/fedora', 'curlimages/curl', 'nicolaka/netshoot', 'library/bash'];

/**
 * Whether the container's main process keeps running. Servers (nginx, CoreDNS, …) and
 * `sleep`/`while true` loops do; a shell with nothing to read and one-shot commands
 * (`echo`, `nslookup`, `wget -qO-`) exit.
 */
export function runsForever(container: Container): boolean {
  if (container.stdin || container.tty) return true;
  const argv: string[] = [...(container.command ?? []), ...(container.args ?? [])].map(String);
  const repo = parseImage(String(container.image ?? '')).repository;
  if (argv.length === 0) return !SHELL_IMAGES.includes(repo);
  const exe = argv[0].split('/').pop() ?? '';
  if (['sh', 'bash', 'ash', 'dash', 'zsh'].includes(exe)) {
    const i = argv.indexOf('-c');
    if (i < 0) return false; // a shell with no script and no stdin exits
    return scriptRunsForever(argv.slice(i + 1).join(' '));
  }
  if (ONE_SHOT.includes(exe)) return exe === 'ping' ? !argv.includes('-c') : false;
  // iperf3 -s serves until stopped; a client (-c) ends with its test
  if (exe === 'iperf3') return argv.slice(1).some((a) => a === '--server' || /^-[1DVJd]*s[1DVJd]*$/.test(a));
  return true;
}

/** Programs that do one thing and exit. */
const ONE_SHOT = ['echo', 'true', 'false', 'nslookup', 'dig', 'wget', 'curl', 'cat', 'ls', 'env', 'date', 'hostname', 'printenv', 'host', 'exit', 'ping', 'id', 'whoami', 'uname', 'ip', 'ifconfig', 'getent'];

function scriptRunsForever(script: string): boolean {
  if (/\b(sleep|while|until|tail\s+-f|httpd|nginx|nc\s+-l\w*|socat|serve|exec\s+\S*server)\b/.test(script)) return true;
  // an iperf3 server (-s, --server; a client's -c ends after its test)
  if (/\biperf3\b[^;&|]*\s(-[1DVJd]*s[1DVJd]*|--server)(\s|$)/.test(script)) return true;
  return false;
}

/** Exit code of a one-shot command (`false` and `exit N` fail; the rest succeed). */
export function exitCodeOf(container: Container): number {
  const text = [...(container.command ?? []), ...(container.args ?? [])].map(String).join(' ');
  const m = /\bexit\s+(\d+)/.exec(text);
  if (m) return Number(m[1]);
  if (/(^|\s|;|&&)(\/bin\/)?false(\s|$|;)/.test(text)) return 1;
  return 0;
}

/**
 * What containerd reports as an image's size once pulled (the kubelet's "Successfully pulled
 * image … Image size: N bytes" and `crictl images`' SIZE): images.Size over the pulled
 * platform's content — the index, the linux/amd64 manifest, its config and compressed layers.
 * Measured sizes, each as a kubelet reported it for that reference:
 *  - busybox:1.36 2217006 (docker-library/busybox latest-1/glibc/amd64 at 9106ef5, 1.36.1-glibc:
 *    layer 2206402, config 459, manifest 610, plus the multi-arch index);
 *  - nginx:1.27 72406859, nginx:1.27-alpine 20984244; hashicorp/http-echo:1.0 4631705;
 *    curlimages/curl:8.11.1 9560620; registry.k8s.io/e2e-test-images/agnhost:2.53 139374622;
 *    nicolaka/netshoot 203934215 (v0.14's, the nearest tag measured).
 * Another tag of the same repository weighs as its row; an image not listed, a size drawn
 * from its reference (20–80 MB).
 */
const IMAGE_SIZES: { repository: string; tag?: RegExp; bytes: number }[] = [
  { repository: 'library/busybox', bytes: 2217006 },
  { repository: 'library/nginx', tag: /alpine/, bytes: 20984244 },
  { repository: 'library/nginx', bytes: 72406859 },
  { repository: 'hashicorp/http-echo', bytes: 4631705 },
  { repository: 'curlimages/curl', bytes: 9560620 },
  { repository: 'e2e-test-images/agnhost', bytes: 139374622 },
  { repository: 'nicolaka/netshoot', bytes: 203934215 },
  // the sandbox image: one static binary (registry.k8s.io/pause:3.10 as the kubelet reports it)
  { repository: 'pause', bytes: 320368 },
];

export function imageSize(image: string): number {
  const ref = parseImage(image);
  const row = IMAGE_SIZES.find((r) => r.repository === ref.repository && (!r.tag || r.tag.test(ref.tag)));
  if (row) return row.bytes;
  return 20_000_000 + (parseInt(sha256(ref.full).slice(0, 8), 16) % 60_000_000);
}

/** Seconds a pull takes on a node that does not have the image yet. */
export function pullSeconds(image: string): number {
  const repo = parseImage(image).repository;
  if (repo === 'library/busybox' || repo === 'library/alpine' || repo === 'pause') return 1;
  return 2;
}

// ---- image references as the kubelet parses them ------------------------------------

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
/** distribution/reference's ReferenceRegexp: name, optional :tag, optional @digest (each part bounded, so linear). */
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/** reference.ReferenceRegexp.MatchString: what `kubectl run` checks --image against (cmd/run/run.go). */
export function matchesReference(image: string): boolean {
  return REFERENCE.test(image);
}

/**
 * Why the kubelet cannot use `image` as a reference, or undefined when it can: the error
 * of github.com/distribution/reference ParseNormalizedNamed (normalize.go, reference.go
 * v0.6), which the kubelet's applyDefaultImageTag reports as
 * `couldn't parse image name "<image>": <error>`.
 */
export function imageReferenceError(image: string): string | undefined {
  if (/^[a-f0-9]{64}$/.test(image)) return `invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`;
  // splitDockerDomain: a first component without '.' or ':' that is not localhost (and is lowercase) is a Docker Hub path
  let domain = 'docker.io';
  let remainder = image;
  const i = image.indexOf('/');
  if (i >= 0 && (/[.:]/.test(image.slice(0, i)) || image.slice(0, i) === 'localhost' || image.slice(0, i).toLowerCase() !== image.slice(0, i))) {
    domain = image.slice(0, i);
    remainder = image.slice(i + 1);
  }
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  const colon = remainder.indexOf(':');
  const remoteName = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remoteName.toLowerCase() !== remoteName) return `invalid reference format: repository name (${remoteName}) must be lowercase`;
  const s = `${domain}/${remainder}`;
  const m = REFERENCE.exec(s);
  if (!m) {
    if (s === '') return 'repository name must have at least one component';
    return 'invalid reference format';
  }
  if (m[1].length > 255) return 'repository name must not be more than 255 characters';
  return undefined;
}

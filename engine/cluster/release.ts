/**
 * The Kubernetes release the simulated cluster runs, and what kubeadm of that release
 * deploys with it. One place for every version string the engine prints, each with where
 * it comes from:
 *
 *  - v1.34.2 (CHANGELOG/CHANGELOG-1.34.md: built with Go 1.24.9). Its `/version`, as a
 *    real v1.34.2 API server answers: gitCommit 8cc511e399b929453cd98ae65b419c3cc227ec79,
 *    buildDate 2025-11-11T19:00:39Z, goVersion go1.24.9. A release build stamps every
 *    binary from one SOURCE_DATE_EPOCH (hack/lib/version.sh), so kubectl carries the same.
 *  - kubeadm v1.34 (cmd/kubeadm/app/constants/constants.go): CoreDNSVersion v1.12.1,
 *    SupportedEtcdVersion[34] 3.6.4-0, PauseVersion 3.10.1 (CHANGELOG-1.34: "Upgraded
 *    CoreDNS to v1.12.1", "Updated pause version to registry.k8s.io/pause:3.10.1"): the
 *    sandbox image containerd is configured with (crictl images, crictl inspectp).
 *  - kubectl v1.34 (k8s.io/kubectl pkg/cmd/version/version.go): kustomizeVersion v5.7.1,
 *    matching go.mod's sigs.k8s.io/kustomize/kustomize/v5 v5.7.1.
 *  - CoreDNS v1.12.1 (coredns/coredns tag v1.12.1 = 707c7c1, .go-version 1.24.1): its
 *    banner `linux/amd64, go1.24.1, 707c7c1` and coredns_build_info.
 *  - The node's runtime (the Node's containerRuntimeVersion containerd://1.7.22): containerd
 *    v1.7.22 (tag commit 7f7fdf5fed64eb6a7caf99b3e12efcf9d60e311c, go1.22.7), the runc it ships
 *    with (v1.1.14, commit v1.1.14-0-g2c9f5602, go1.22.7, libseccomp 2.5.5, runc spec 1.0.2-dev),
 *    cri-tools v1.34.0 (pkgs.k8s.io's cri-tools package for v1.34), the CRI API v1.
 */

/** What `kubectl version` and `/version` carry beyond the version string (component-base/version.Get). */
export interface BuildInfo {
  gitCommit: string;
  buildDate: string;
  goVersion: string;
}

export const KUBERNETES_VERSION = 'v1.34.2';

/** Builds of the Kubernetes releases the engine knows; another scenario version prints empty commit and date. */
const KUBERNETES_BUILDS: Record<string, BuildInfo> = {
  'v1.34.2': { gitCommit: '8cc511e399b929453cd98ae65b419c3cc227ec79', buildDate: '2025-11-11T19:00:39Z', goVersion: 'go1.24.9' },
};

export function kubernetesBuild(version: string): BuildInfo {
  return KUBERNETES_BUILDS[version] ?? { gitCommit: '', buildDate: '', goVersion: 'go1.24.9' };
}

/** kubectl's embedded kustomize (pkg/cmd/version/version.go kustomizeVersion). */
export const KUSTOMIZE_VERSION = 'v5.7.1';

/** kubeadm v1.34's pinned add-on and control-plane images (constants.go). */
export const COREDNS_VERSION = 'v1.12.1';
export const ETCD_VERSION = '3.6.4-0';

export const PAUSE_VERSION = '3.10.1';
export const PAUSE_IMAGE = `registry.k8s.io/pause:${PAUSE_VERSION}`;

/** The container runtime on every node (containerd's `--version`, crictl version, ctr version). */
export const CONTAINERD_VERSION = 'v1.7.22';
export const CONTAINERD_COMMIT = '7f7fdf5fed64eb6a7caf99b3e12efcf9d60e311c';
export const CONTAINERD_GO = 'go1.22.7';
export const RUNC_VERSION = '1.1.14';
export const RUNC_COMMIT = 'v1.1.14-0-g2c9f5602';
export const RUNC_SPEC = '1.0.2-dev';
export const LIBSECCOMP_VERSION = '2.5.5';
export const CRICTL_VERSION = 'v1.34.0';

export const COREDNS_IMAGE = `registry.k8s.io/coredns/coredns:${COREDNS_VERSION}`;
export const ETCD_IMAGE = `registry.k8s.io/etcd:${ETCD_VERSION}`;

/** CoreDNS builds by version (without the v): the Go toolchain and the commit its banner names. */
const COREDNS_BUILDS: Record<string, { goVersion: string; revision: string }> = {
  '1.11.3': { goVersion: 'go1.21.11', revision: 'a6338e9' },
  '1.12.1': { goVersion: 'go1.24.1', revision: '707c7c1' },
};

/** The build of a CoreDNS image tag (`v1.12.1`, `1.12.1`); an unknown tag prints as the kubeadm default's build. */
export function corednsBuild(tag: string): { version: string; goVersion: string; revision: string } {
  const version = tag.replace(/^v/, '') || COREDNS_VERSION.slice(1);
  const build = COREDNS_BUILDS[version] ?? COREDNS_BUILDS[COREDNS_VERSION.slice(1)];
  return { version, ...build };
}

/**
 * apimachinery version.Info as kubectl fills it for itself (component-base version.Get) and
 * as the API server's /version answers (component-base/compatibility effectiveVersion.Info:
 * the emulation version, and the minimum compatibility version one minor below).
 */
export function versionInfo(gitVersion: string, server: boolean): Record<string, string> {
  const [major = '', minor = ''] = gitVersion.replace(/^v/, '').split('.');
  const build = kubernetesBuild(gitVersion);
  const compat: Record<string, string> = server && /^\d+$/.test(minor) ? { emulationMajor: major, emulationMinor: minor, minCompatibilityMajor: major, minCompatibilityMinor: String(Math.max(0, Number(minor) - 1)) } : {};
  return { major, minor, ...compat, gitVersion, gitCommit: build.gitCommit, gitTreeState: 'clean', buildDate: build.buildDate, goVersion: build.goVersion, compiler: 'gc', platform: 'linux/amd64' };
}

/**
 * The nodes' operating system and kernel — one place for every output that names them: the
 * Node's status.nodeInfo (kubectl get nodes -o wide, describe node), `uname` on a node and in
 * every container (containers share the node's kernel), /proc/version, and nginx's
 * `OS: Linux …` start-up line. Ubuntu 22.04.4 LTS with jammy's GA kernel, package
 * linux-image-5.15.0-119-generic 5.15.0-119.129 (built Fri Aug 2 2024): its utsname
 * version `#129-Ubuntu SMP Fri Aug 2 19:25:20 UTC 2024`, and /proc/version's banner
 * (init/version.c linux_proc_banner: "%s version %s (%s@%s) (%s) %s") with the Launchpad
 * builder and jammy's toolchain, gcc 11.4.0-1ubuntu1~22.04 and binutils 2.38.
 */
export const NODE_OS_IMAGE = 'Ubuntu 22.04.4 LTS';
export const NODE_KERNEL_RELEASE = '5.15.0-119-generic';
export const NODE_KERNEL_VERSION = '#129-Ubuntu SMP Fri Aug 2 19:25:20 UTC 2024';
export const NODE_PROC_VERSION = `Linux version ${NODE_KERNEL_RELEASE} (buildd@lcy02-amd64-075) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) ${NODE_KERNEL_VERSION}`;

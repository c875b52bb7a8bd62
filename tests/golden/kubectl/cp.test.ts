/**
 * kubectl cp in both directions, tar over exec, against the container's files.
 *
 * Upstream: k8s.io/kubectl v0.34 pkg/cmd/cp/cp.go — extractFileSpec ("filespec must match
 * the canonical format: [[namespace/]pod:]file/path"), Validate ("source and destination
 * are required"), Run ("one of src or dest must be a local/remote file specification"),
 * copyToPod ("%s doesn't exist in local filesystem", checkDestinationIsDir's `test -d`,
 * `tar -xmf - -C DIR`), TarPipe (`tar cf - PATH`, its stderr on kubectl's stdout), untarAll
 * (prefix stripped, os.Create on a directory fails "open .: is a directory"), CheckErr's
 * "command terminated with exit code N". tar's own words: busybox archival/tar.c ("error
 * exit delayed from previous errors", "can't change directory to '%s'"),
 * libarchive/unsafe_prefix.c ("removing leading '%.*s' from member names"),
 * libbb/recursive_action.c (perror on lstat); GNU tar 1.34 (debian's, in nginx:1.27):
 * "Removing leading `/' from member names", "Cannot stat", "Exiting with failure status due
 * to previous errors", "Cannot open", "Error is not recoverable: exiting now".
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  cni: calico
objects:
  - apiVersion: v1
    kind: Namespace
    metadata: {name: tools}
  - apiVersion: v1
    kind: Pod
    metadata: {name: bb, namespace: tools}
    spec:
      nodeName: node-1
      containers: [{name: bb, image: "busybox:1.36", command: ["sleep","3600"]}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: web}
    spec:
      nodeName: node-2
      containers:
        - {name: nginx, image: "nginx:1.27"}
        - {name: sidecar, image: "busybox:1.36", command: ["sleep","3600"]}
`;

describe('kubectl cp', () => {
  it('copies files and directories out of and into containers; tar and kubectl errors', () => {
    const sim = createSimulation(SCENARIO, { seed: 5 });
    golden(
      'cp',
      '# upstream: k8s.io/kubectl/pkg/cmd/cp/cp.go; busybox archival/tar.c; GNU tar 1.34\n' +
        transcriptOf(sim, [
          'kubectl cp tools/bb:/etc/hosts /tmp/hosts',
          'cat /tmp/hosts',
          'kubectl cp -n tools bb:etc/resolv.conf resolv.conf',
          'cat resolv.conf',
          'kubectl cp tools/bb:/etc ./etc-copy',
          'ls etc-copy',
          'kubectl cp tools/bb:/etc/hosts .',
          'kubectl cp tools/bb:/etc/nope /tmp/x',
          'kubectl cp web:/etc/hosts web-hosts',
          'kubectl cp web:/etc/nope /tmp/x -c nginx',
          'echo hello > greet.txt',
          'kubectl cp greet.txt tools/bb:/tmp/',
          'kubectl cp greet.txt tools/bb:/tmp/renamed.txt',
          'kubectl exec -n tools bb -- ls /tmp',
          'kubectl exec -n tools bb -- cat /tmp/renamed.txt',
          'kubectl cp greet.txt web:/tmp/greet.txt -c sidecar',
          'kubectl exec web -c sidecar -- cat /tmp/greet.txt',
          'kubectl cp greet.txt tools/bb:/nodir/x.txt',
          'kubectl cp greet.txt web:/nodir/x.txt -c nginx',
          'kubectl cp missing.txt tools/bb:/tmp/',
          'kubectl cp tools/bb:/etc/hosts web:/tmp',
          'kubectl cp a b',
          'kubectl cp a',
          'kubectl cp nope:/etc/hosts x',
          'kubectl cp :x y',
          'kubectl cp a/b/c:/x y',
          'kubectl cp web:/etc/hosts x -c nope',
        ]),
    );
  });
});

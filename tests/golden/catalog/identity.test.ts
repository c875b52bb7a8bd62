/**
 * Who a container runs as, where it starts and what its shell prompts, from the image's own
 * USER, WORKDIR and CMD (engine/hosts/images.ts; hosts.ts hostIdentity, hostWorkdir, hostPrompt).
 *
 * curlimages/curl: curl/curl-container create_base_image.sh (`addgroup -S curl_group`,
 * `adduser -S curl_user -G curl_group`, `buildah config --workingdir /home/curl_user`) and
 * create_appliance_image.sh (`buildah config --user curl_user`): busybox adduser -S takes the
 * first free system id from 100 (uid 100), Alpine's /etc/group holds 100(users) so curl_group
 * is 101; busybox id (coreutils/id.c) prints `uid=100(curl_user) gid=101(curl_group)
 * groups=101(curl_group)`. A non-login ash reads no /etc/profile: busybox's built-in PS1
 * `\w \$ ` (shell/ash.c, FEATURE_EDITING_FANCY_PROMPT) gives `~ $ ` in the home directory.
 *
 * nicolaka/netshoot v0.13 Dockerfile: `USER root`, `WORKDIR /root`, `CMD ["zsh"]`. bash there
 * reads Alpine's /etc/bash/bashrc (aports main/bash: `PS1='\h:\w\$ '`) → `shoot:~# `; zsh gets
 * zsh's built-in `%m%# ` — the image's ~/.zshrc loads oh-my-zsh + powerlevel10k, which is not
 * modelled; sh is busybox ash (`~ # `). Only bash echoes `exit` as it leaves (zsh, ash, dash do not). nginx (Debian bookworm-slim): no WORKDIR, root's bash
 * without a bashrc PS1 of its own — `root@web:/# ` as Debian's /etc/bash.bashrc sets it.
 */
import { it, expect } from 'vitest';
import { createSimulation } from '../../../engine';

const SCENARIO = `
cluster:
  cni: calico
  proxyMode: iptables
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: curl }
    spec:
      nodeName: node-1
      containers: [{ name: curl, image: "curlimages/curl:8.11.1", command: [sleep, "3600"] }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: shoot }
    spec:
      nodeName: node-1
      containers: [{ name: shoot, image: "nicolaka/netshoot:v0.13", command: [sleep, "3600"] }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: web }
    spec:
      nodeName: node-1
      containers: [{ name: web, image: "nginx:1.27" }]
`;

/** Each line with the prompt it was typed at, then what it printed. */
function transcript(lines: string[]): string {
  const sim = createSimulation(SCENARIO, { seed: 11, interactive: true });
  let out = '';
  for (const line of lines) {
    const prompt = sim.prompt();
    const ex = sim.start(line);
    let n = 0;
    while (ex.running && n++ < 2) ex.step();
    if (ex.running) ex.interrupt();
    out += `${prompt}${line}\n` + ex.takeOutput().map((c) => c.text).join('');
  }
  return out + sim.prompt() + '\n';
}

it('curlimages/curl runs as curl_user in /home/curl_user; its ash prompts `~ $ `', () => {
  expect(transcript(['kubectl exec -it curl -- sh', 'id', 'whoami', 'pwd', 'echo $HOME', 'id -g -n', 'cd /', 'exit'])).toBe(
    [
      'learner@workstation:~$ kubectl exec -it curl -- sh',
      '~ $ id',
      'uid=100(curl_user) gid=101(curl_group) groups=101(curl_group)',
      '~ $ whoami',
      'curl_user',
      '~ $ pwd',
      '/home/curl_user',
      '~ $ echo $HOME',
      '/home/curl_user',
      '~ $ id -g -n',
      'curl_group',
      '~ $ cd /',
      '/ $ exit',
      'learner@workstation:~$ ',
    ].join('\n') + '\n',
  );
});

it('netshoot starts in /root; bash prompts from Alpine\'s bashrc, zsh with its default, sh as busybox ash', () => {
  expect(transcript(['kubectl exec -it shoot -- bash', 'pwd', 'id', 'exit', 'kubectl exec -it shoot -- zsh', 'exit', 'kubectl exec -it shoot -- sh', 'exit'])).toBe(
    [
      'learner@workstation:~$ kubectl exec -it shoot -- bash',
      'shoot:~# pwd',
      '/root',
      'shoot:~# id',
      'uid=0(root) gid=0(root) groups=0(root)',
      'shoot:~# exit',
      'exit',
      'learner@workstation:~$ kubectl exec -it shoot -- zsh',
      'shoot# exit',
      'learner@workstation:~$ kubectl exec -it shoot -- sh',
      '~ # exit',
      'learner@workstation:~$ ',
    ].join('\n') + '\n',
  );
});

it('nginx (no USER, no WORKDIR): root in /, Debian\'s bash prompt', () => {
  expect(transcript(['kubectl exec -it web -- bash', 'pwd', 'whoami', 'exit'])).toBe(
    ['learner@workstation:~$ kubectl exec -it web -- bash', 'root@web:/# pwd', '/', 'root@web:/# whoami', 'root', 'root@web:/# exit', 'exit', 'learner@workstation:~$ '].join('\n') + '\n',
  );
});

it('/etc/os-release: netshoot v0.13 is Alpine 3.19.1, nginx Debian 12', () => {
  // netshoot Dockerfile v0.13 FROM alpine:3.19.1 (alpine-baselayout's os-release); nginx:1.27 FROM debian:bookworm-slim (base-files 12)
  expect(transcript(['kubectl exec shoot -- cat /etc/os-release', 'kubectl exec web -- cat /etc/os-release'])).toBe(
    [
      'learner@workstation:~$ kubectl exec shoot -- cat /etc/os-release',
      'NAME="Alpine Linux"',
      'ID=alpine',
      'VERSION_ID=3.19.1',
      'PRETTY_NAME="Alpine Linux v3.19"',
      'HOME_URL="https://alpinelinux.org/"',
      'BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"',
      'learner@workstation:~$ kubectl exec web -- cat /etc/os-release',
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
      'NAME="Debian GNU/Linux"',
      'VERSION_ID="12"',
      'VERSION="12 (bookworm)"',
      'VERSION_CODENAME=bookworm',
      'ID=debian',
      'HOME_URL="https://www.debian.org/"',
      'SUPPORT_URL="https://www.debian.org/support"',
      'BUG_REPORT_URL="https://bugs.debian.org/"',
      'learner@workstation:~$ ',
    ].join('\n') + '\n',
  );
});

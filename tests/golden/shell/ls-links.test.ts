/**
 * `ls -l` of the programs each image installs, links as lstat sees them: docker-library's
 * busybox Dockerfile.builder (`busybox --install /bin`: hard links of one inode, Debian's
 * getconf its own file, `ln -s ../../bin/env usr/bin/`), Alpine's `busybox --install -s`
 * (absolute symlinks to /bin/busybox; busybox-binsh's /bin/sh), Debian's dash postinst
 * (`sh -> dash`). A symlink is lrwxrwxrwx with its target's length (coreutils ls.c
 * print_long_format, busybox coreutils/ls.c display_single's " -> ").
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import { out } from './helpers';

function inside(image: string): Simulation {
  const s = createSimulation(null, { seed: 1 });
  s.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image, command: image.startsWith('nginx') ? undefined : ['sleep', '3600'] }] } });
  s.run('sleep 20');
  s.shell.enter({ kind: 'pod', namespace: 'default', pod: 'p', container: 'c' }, { via: 'kubectl' });
  return s;
}

describe('ls -l of links', () => {
  it('busybox:1.36: one inode for every applet, getconf apart, /usr/bin/env a symlink', () => {
    const s = inside('busybox:1.36');
    const n = s.run('ls /bin | wc -l').stdout.trim();
    expect(s.run('ls -l /bin/sh /bin/getconf /usr/bin/env')).toEqual(
      out(
        `-rwxr-xr-x    1 root     root       1153464 Jan 15 09:00 /bin/getconf\n-rwxr-xr-x  ${String(Number(n) - 1).padStart(3)} root     root       1153464 Jan 15 09:00 /bin/sh\nlrwxrwxrwx    1 root     root            13 Jan 15 09:00 /usr/bin/env -> ../../bin/env\n`,
      ),
    );
  });

  it('Alpine: applets link to /bin/busybox, a package binary is a file', () => {
    const s = inside('alpine:3.19');
    expect(s.run('ls -l /bin/sh /bin/busybox /sbin/ip')).toEqual(
      out('-rwxr-xr-x    1 root     root       1153464 Jan 15 09:00 /bin/busybox\nlrwxrwxrwx    1 root     root            12 Jan 15 09:00 /bin/sh -> /bin/busybox\nlrwxrwxrwx    1 root     root            12 Jan 15 09:00 /sbin/ip -> /bin/busybox\n'),
    );
    const shoot = inside('nicolaka/netshoot');
    expect(shoot.run('ls -l /sbin/ip /bin/ping').stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['-rwxr-xr-x', '-rwxr-xr-x', '']);
  });

  it('Debian and the nodes: sh -> dash', () => {
    const s = inside('nginx:1.27');
    expect(s.run('ls -l /bin/sh /usr/bin/dash')).toEqual(out('lrwxrwxrwx 1 root root       4 Jan 15 09:00 /bin/sh -> dash\n-rwxr-xr-x 1 root root 1153464 Jan 15 09:00 /usr/bin/dash\n'));
    const node = createSimulation(null, { seed: 1 });
    expect(node.run('ssh node-1 ls -l /usr/bin/sh')).toEqual(out('lrwxrwxrwx 1 root root 4 Jan 15 09:00 /usr/bin/sh -> dash\n'));
  });
});

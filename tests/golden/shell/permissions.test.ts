/**
 * A non-root container user (runAsUser: 1000) meets EACCES where it may not write: ash's
 * "can't create %s: Permission denied" (shell/ash.c openredirect's sh_error), bash's
 * "%s: Permission denied" (redir.c), busybox touch's bb_simple_perror_msg, busybox mkdir's
 * make_directory "can't create directory '%s'", coreutils touch "cannot touch %s" and mkdir
 * "cannot create directory %s" (the first directory -p must make). Writable: the 1777
 * directories (/tmp, /var/tmp, /dev/shm), an emptyDir (pkg/volume/emptydir: 0777; its
 * directory is not in the simulated filesystem yet), /dev/termination-log (0666). Root is
 * never refused.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import { err, out } from './helpers';

function asUser(image: string, uid?: number): Simulation {
  const s = createSimulation(null, { seed: 1 });
  s.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      ...(uid === undefined ? {} : { securityContext: { runAsUser: uid } }),
      volumes: [{ name: 'scratch', emptyDir: {} }],
      containers: [{ name: 'c', image, command: image.startsWith('nginx') ? undefined : ['sleep', '3600'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
    },
  });
  s.run('sleep 20');
  s.shell.enter({ kind: 'pod', namespace: 'default', pod: 'p', container: 'c' }, { via: 'kubectl' });
  return s;
}

describe('writing as a non-root user', () => {
  it('busybox ash and applets', () => {
    const s = asUser('busybox:1.36', 1000);
    expect(s.run('echo x > /etc/x')).toEqual(err("sh: can't create /etc/x: Permission denied\n", 1));
    expect(s.run('echo x >> /etc/hosts')).toEqual(err("sh: can't create /etc/hosts: Permission denied\n", 1));
    expect(s.run('touch /etc/y')).toEqual(err('touch: /etc/y: Permission denied\n', 1));
    expect(s.run('mkdir /etc/z')).toEqual(err("mkdir: can't create directory '/etc/z': Permission denied\n", 1));
    expect(s.run('echo ok > /tmp/a; cat /tmp/a; echo done > /dev/termination-log')).toEqual(out('ok\n'));
  });

  it('bash and coreutils (nginx:1.27, Debian)', () => {
    const s = asUser('nginx:1.27', 1000);
    expect(s.run('echo x > /etc/x')).toEqual(err('bash: /etc/x: Permission denied\n', 1));
    expect(s.run('touch /etc/y')).toEqual(err("touch: cannot touch '/etc/y': Permission denied\n", 1));
    expect(s.run('mkdir -p /etc/z/q')).toEqual(err("mkdir: cannot create directory '/etc/z': Permission denied\n", 1));
    expect(s.run('mkdir -p /tmp/a/b && ls /tmp/a')).toEqual(out('b\n'));
  });

  it('root writes anywhere', () => {
    const s = asUser('busybox:1.36');
    expect(s.run('echo x > /etc/x; cat /etc/x; mkdir /etc/z && touch /etc/z/y && ls /etc/z')).toEqual(out('x\ny\n'));
  });
});

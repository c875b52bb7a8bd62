/**
 * curl's `* connect to … failed: %s` line is Curl_strerror (lib/strerror.c: strerror_r), so
 * the C library's words: musl's src/errno/__strerror.h in Alpine images ("Operation timed
 * out", "Host is unreachable"), glibc's elsewhere ("Connection timed out", "No route to
 * host"). curl's own texts ("Could not connect to server" in netshoot's curl 8.7,
 * "Couldn't connect to server" in bookworm's 7.88) are not the libc's.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

function connectLines(image: string): string {
  const s = createSimulation(null, { seed: 1 });
  s.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image, command: image.startsWith('nginx') ? undefined : ['sleep', '3600'] }] } });
  s.run('sleep 20');
  return s.run('kubectl exec p -- curl -sv http://10.244.9.9/').stderr.split('\n').filter((l) => /connect to/.test(l)).join('\n');
}

describe('curl -v connect errors by C library', () => {
  it('musl (netshoot) and glibc (nginx:1.27, Debian) word ETIMEDOUT differently', () => {
    expect(connectLines('nicolaka/netshoot')).toBe('* connect to 10.244.9.9 port 80 from 10.244.0.130 port 49469 failed: Operation timed out\n* Failed to connect to 10.244.9.9 port 80 after 128653 ms: Could not connect to server');
    expect(connectLines('nginx:1.27')).toBe('* connect to 10.244.9.9 port 80 failed: Connection timed out\n* Failed to connect to 10.244.9.9 port 80 after 128653 ms: Couldn\'t connect to server');
  });
});

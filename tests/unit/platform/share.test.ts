/**
 * The share link: the exported scenario in the URL fragment, deflate-raw + base64url, and
 * opening one as untrusted input (caps, damage, not UTF-8), never a throw.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { checkScenario, exportScenario } from '../../../engine/grading';
import { MAX_SCENARIO_BYTES, MAX_SHARE_CHARS, decodeShare, encodeShare, shareValue } from '../../../lib/share';

async function deflate(bytes: Uint8Array): Promise<string> {
  const out = new Uint8Array(await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
  return Buffer.from(out).toString('base64url');
}

describe('share links', () => {
  it('carry an exported cluster and give back the same text, which builds the same cluster', async () => {
    const sim = createSimulation('cluster: { cni: flannel, proxyMode: nftables }\n', { seed: 1 });
    sim.run('kubectl create deployment web --image=nginx:1.27 --replicas=3');
    sim.run('kubectl expose deployment web --port=80 --type=NodePort');
    const text = exportScenario(sim, { 'notes.txt': 'ünïcode ✓\n' });
    const fragment = await encodeShare(text);
    expect(fragment).toMatch(/^s=[A-Za-z0-9_-]+$/);
    expect(fragment.length).toBeLessThan(text.length);
    expect(shareValue(`#${fragment}`)).toBe(fragment.slice(2));
    const back = await decodeShare(`#${fragment}`);
    expect(back).toEqual({ ok: true, text });
    const check = checkScenario(text);
    expect(check.ok).toBe(true);
    const again = createSimulation(text, { seed: 1 });
    expect(again.get('Service', 'default', 'web')!.spec).toMatchObject({ clusterIP: sim.get('Service', 'default', 'web')!.spec.clusterIP, ports: [{ nodePort: sim.get('Service', 'default', 'web')!.spec.ports[0].nodePort }] });
  });

  it('refuses what is not one, damaged, too long, a bomb or not UTF-8, with a sentence', async () => {
    expect(await decodeShare('#x=abc')).toEqual({ ok: false, message: 'this is not a share link (it should start with #s=)' });
    expect(await decodeShare('#s=')).toEqual({ ok: false, message: 'the link is damaged: it is not base64url text (was it cut short when it was copied?)' });
    expect(await decodeShare('#s=a+b/')).toEqual({ ok: false, message: 'the link is damaged: it is not base64url text (was it cut short when it was copied?)' });
    const good = (await encodeShare('objects: []\n' + '#'.repeat(5000))).slice(2);
    expect(await decodeShare(`#s=${good.slice(0, good.length >> 1)}`)).toEqual({ ok: false, message: 'the link is damaged: its data does not decompress (was it cut short when it was copied?)' });
    expect(await decodeShare(`#s=${'A'.repeat(MAX_SHARE_CHARS + 4)}`)).toEqual({ ok: false, message: 'the link is 256 kB long, more than the 256 kB a share link may be' });
    // 64 MB of zeros deflate to ~64 kB: the link stops inflating at the cap
    const bomb = await deflate(new Uint8Array(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(MAX_SHARE_CHARS);
    expect(await decodeShare(`#s=${bomb}`)).toEqual({ ok: false, message: `the scenario in the link is larger than the ${MAX_SCENARIO_BYTES / 1024} kB a shared scenario may be` });
    expect(await decodeShare(`#s=${await deflate(new Uint8Array([0xff, 0xfe, 0x41]))}`)).toEqual({ ok: false, message: 'the link is damaged: its scenario is not UTF-8 text' });
  });

  it('is only ever read as a scenario: a link whose text is code is refused by the loader', async () => {
    const fragment = await encodeShare('<script>alert(1)</script>\n');
    const back = await decodeShare(fragment);
    if (!back.ok) throw new Error(back.message);
    expect(checkScenario(back.text)).toEqual({ ok: false, message: 'a scenario must be a mapping with cluster: and objects:', line: 1 });
  });
});

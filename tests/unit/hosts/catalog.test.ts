/**
 * The image catalogs (engine/hosts/userland.ts) against their sources:
 *  - busybox:1.36: docker-library/busybox latest/glibc/Dockerfile.builder at b9ffb18 over busybox
 *    1_36_1's defconfig — `make busybox.links` lists 403 applets (`busybox --list`), installed in
 *    /bin beside /bin/busybox and Debian's getconf;
 *  - Alpine's busybox: aports main/busybox/busyboxconfig on 1_36_1 — 318 applets, no telnet or
 *    httpd (busybox-extras), no ar/dpkg/rpm, no runit, no hush;
 *  - nicolaka/netshoot v0.13 (Dockerfile at tag v0.13): its packages' binaries replace the
 *    applets of the same name (iputils' ping and arping, netcat-openbsd's nc, iproute2's ip and
 *    ss, bind-tools' nslookup, util-linux's more and hexdump); ps, ifconfig, route, arp, netstat
 *    and traceroute stay busybox applets (no procps, net-tools or traceroute package);
 *  - nginx: debian:bookworm-slim's coreutils (df, stat…) and no procps (ps, top, watch).
 * Every tool any image lists is answered by the command table, modelled or not.
 */
import { describe, expect, it } from 'vitest';
import { BUSYBOX_ALPINE_APPLETS, BUSYBOX_GLIBC_APPLETS, NETSHOOT_PACKAGES } from '../../../engine/hosts/userland';
import { catalogToolNames, imageProfile } from '../../../engine/hosts/images';
import { createCommandTable } from '../../../engine/commands/registry';

describe('image catalogs', () => {
  it('busybox:1.36 is the glibc defconfig build: 403 applets, df and arping and ipcalc among them', () => {
    expect(BUSYBOX_GLIBC_APPLETS.length).toBe(403);
    expect(new Set(BUSYBOX_GLIBC_APPLETS).size).toBe(403);
    const bb = imageProfile('busybox:1.36');
    for (const t of ['df', 'arping', 'ipcalc', 'nslookup', 'wget', 'httpd', 'telnet', 'ar', 'busybox', 'getconf']) expect(bb.tools).toContain(t);
    for (const t of ['bash', 'curl', 'ss', 'dig', 'getent']) expect(bb.tools).not.toContain(t);
    expect([...bb.applets].sort()).toEqual([...BUSYBOX_GLIBC_APPLETS].sort());
  });

  it("Alpine's busybox leaves telnet, httpd and the runit tools to busybox-extras or nothing", () => {
    expect(BUSYBOX_ALPINE_APPLETS.length).toBe(318);
    for (const t of ['telnet', 'httpd', 'ftpd', 'ar', 'dpkg', 'runsv', 'hush', 'chattr']) expect(BUSYBOX_ALPINE_APPLETS).not.toContain(t);
    for (const t of ['arping', 'ipcalc', 'nc', 'ping', 'ps', 'ssl_client', 'bbconfig']) expect(BUSYBOX_ALPINE_APPLETS).toContain(t);
    const alpine = imageProfile('alpine:3.19');
    for (const t of ['apk', 'getent', 'ldd', 'scanelf']) expect(alpine.tools).toContain(t);
    expect(imageProfile('curlimages/curl:8.11.1').tools).toContain('curl');
  });

  it("netshoot v0.13: its packages' binaries, busybox for what no package replaces", () => {
    const ns = imageProfile('nicolaka/netshoot:v0.13');
    for (const t of ['fping', 'http', 'tshark', 'termshark', 'calicoctl', 'ctop', 'fortio', 'grpcurl', 'websocat', 'swaks', 'iperf', 'iperf3', 'speedtest-cli', 'strace', 'ltrace', 'scapy', 'nping', 'tcptraceroute', 'ngrep', 'iftop', 'jq', 'zsh', 'tracepath', 'birdc', 'snmpwalk']) expect(ns.tools).toContain(t);
    for (const t of Object.values(NETSHOOT_PACKAGES).flat()) expect(ns.tools).toContain(t);
    expect(ns.tools).not.toContain('nano');
    for (const t of ['ps', 'ifconfig', 'route', 'arp', 'netstat', 'traceroute', 'ipcalc', 'telnet', 'less', 'vi']) expect(ns.applets.has(t)).toBe(true);
    for (const t of ['ping', 'arping', 'nc', 'ip', 'ss', 'nslookup', 'more', 'hexdump', 'brctl', 'getent']) expect(ns.applets.has(t)).toBe(false);
  });

  it('nginx (bookworm-slim): coreutils, nginx and curl; no procps, no iproute2', () => {
    const ng = imageProfile('nginx:1.27');
    for (const t of ['df', 'stat', 'nginx', 'curl', 'envsubst', 'getent', 'apt-get', 'perl']) expect(ng.tools).toContain(t);
    for (const t of ['ps', 'top', 'watch', 'ip', 'ping', 'nslookup', 'less']) expect(ng.tools).not.toContain(t);
    expect(ng.applets.size).toBe(0);
  });

  it('the command table answers every tool an image lists', () => {
    const table = createCommandTable();
    for (const t of catalogToolNames()) expect(table.find(t), t).toBeDefined();
  });
});

/**
 * Which distribution release an image is built on, and the files that name it:
 * /etc/os-release (a link to /usr/lib/os-release on Debian and recent Alpine) and Alpine's
 * /etc/alpine-release. Derived from the image reference, per tag, from each image's build
 * source:
 *
 * - alpine:X.Y.Z — aports main/alpine-base APKBUILD's release(): `echo $pkgver >
 *   /etc/alpine-release` and the os-release heredoc (VERSION_ID=$pkgver, PRETTY_NAME "Alpine
 *   Linux v$major.minor"). Its URLs changed twice: http://alpinelinux.org and
 *   http://bugs.alpinelinux.org without a slash up to 3.8 (the 3.8.0 APKBUILD), https with a
 *   slash from 3.9, the aports GitLab issues from 3.16. A branch tag (`3.19`) or `latest` is
 *   the branch's last point release the registry holds (registries.ts ALPINE_LINES).
 * - curlimages/curl:V — the alpine release its build pinned: curl/curl-docker
 *   alpine/latest/Dockerfile (`FROM …/alpine:3.x.y`, to 8.1.1) and curl/curl-container's
 *   Makefile (`base=docker.io/alpine:3.x.y`, from 8.1.2), each release with the pin of its
 *   bump commit.
 * - nicolaka/netshoot: FROM alpine:3.19.1 (v0.13, the release the catalog models).
 * - nginx:V (Debian) — nginx/docker-nginx's Dockerfile for that version (`FROM debian:…`):
 *   wheezy to 1.7, jessie to 1.11.12, stretch-slim to 1.15, buster-slim from 1.16.0
 *   (1.17.0 still stretch), bullseye-slim from 1.20.1/1.21.3, bookworm-slim from 1.25.1;
 *   1.29.2 moved mainline to trixie (docker-library/official-images#20037). os-release is
 *   Debian's base-files one, the same for every point release of 8–12.
 *
 * Not derived, so absent: busybox (the docker-library image has no os-release: `cat: can't
 * open '/etc/os-release'`, true of the real image); nginx's alpine variants and agnhost,
 * built `FROM alpine:3.N` without a point release, and Debian 13 (its os-release carries
 * DEBIAN_VERSION_FULL, the point release at the image's last rebuild) — which release of the
 * branch the published image carries is not in their sources. /etc/debian_version (the
 * point release, 12.x) is left out for the same reason.
 */
import { imageName, imageTag } from './images';
import { ALPINE_LINES, CURL_LATEST, NGINX_LINES } from './registries';

/** aports alpine-base's os-release for one Alpine version. */
function alpineOsRelease(version: string): string {
  const [major, minor] = version.split('.').map(Number);
  const old = major === 3 && minor <= 8;
  const home = old ? 'http://alpinelinux.org' : 'https://alpinelinux.org/';
  const bugs = old ? 'http://bugs.alpinelinux.org' : major === 3 && minor <= 15 ? 'https://bugs.alpinelinux.org/' : 'https://gitlab.alpinelinux.org/alpine/aports/-/issues';
  return `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=${version}\nPRETTY_NAME="Alpine Linux v${major}.${minor}"\nHOME_URL="${home}"\nBUG_REPORT_URL="${bugs}"\n`;
}

/** Debian base-files' os-release per release (8 jessie: http URLs, no VERSION_CODENAME; 9–12 the same shape). */
const DEBIAN: Record<string, { id: number; text: string }> = {
  wheezy: {
    id: 7,
    text: `PRETTY_NAME="Debian GNU/Linux 7 (wheezy)"\nNAME="Debian GNU/Linux"\nVERSION_ID="7"\nVERSION="7 (wheezy)"\nID=debian\nANSI_COLOR="1;31"\nHOME_URL="http://www.debian.org/"\nSUPPORT_URL="http://www.debian.org/support/"\nBUG_REPORT_URL="http://bugs.debian.org/"\n`,
  },
  jessie: {
    id: 8,
    text: `PRETTY_NAME="Debian GNU/Linux 8 (jessie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="8"\nVERSION="8 (jessie)"\nID=debian\nHOME_URL="http://www.debian.org/"\nSUPPORT_URL="http://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n`,
  },
};
for (const [name, id] of [
  ['stretch', 9],
  ['buster', 10],
  ['bullseye', 11],
  ['bookworm', 12],
] as const) {
  DEBIAN[name] = {
    id,
    text: `PRETTY_NAME="Debian GNU/Linux ${id} (${name})"\nNAME="Debian GNU/Linux"\nVERSION_ID="${id}"\nVERSION="${id} (${name})"\nVERSION_CODENAME=${name}\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n`,
  };
}

/** curlimages/curl: the first curl release built on each alpine pin (later releases keep it until the next bump). */
const CURL_BASES: [string, string][] = [
  ['7.72.0', '3.11.5'],
  ['7.75.0', '3.12.3'],
  ['7.76.0', '3.12.5'],
  ['7.76.1', '3.12.6'],
  ['7.77.0', '3.12.7'],
  ['7.78.0', '3.14.0'],
  ['7.79.1', '3.14.2'],
  ['7.81.0', '3.15.0'],
  ['7.82.0', '3.15.2'],
  ['7.83.0', '3.15.4'],
  ['7.86.0', '3.16.2'],
  ['8.1.0', '3.17.3'],
  ['8.1.2', '3.18.0'],
  ['8.2.0', '3.18.2'],
  ['8.3.0', '3.18.3'],
  ['8.4.0', '3.18.4'],
  ['8.5.0', '3.18.5'],
  ['8.6.0', '3.19.1'],
  ['8.9.0', '3.20.2'],
  ['8.10.0', '3.20.3'],
  ['8.11.1', '3.21.0'],
  ['8.12.0', '3.21.2'],
  ['8.13.0', '3.21.3'],
  ['8.14.1', '3.22.0'],
  ['8.15.0', '3.22.1'],
  ['8.17.0', '3.22.2'],
];

/** nginx (Debian variants): the first nginx version on each Debian release, in version order (docker-nginx history). */
const NGINX_BASES: [string, string | undefined][] = [
  ['1.7.0', 'wheezy'],
  ['1.8.0', 'jessie'],
  ['1.11.13', 'stretch'],
  ['1.16.0', 'buster'],
  ['1.17.0', 'stretch'],
  ['1.17.1', 'buster'],
  ['1.20.1', 'bullseye'],
  ['1.21.0', 'buster'],
  ['1.21.3', 'bullseye'],
  ['1.25.1', 'bookworm'],
  ['1.29.2', undefined],
];

const vnum = (v: string): number[] => v.split('.').map(Number);
function cmpVersion(a: string, b: string): number {
  const x = vnum(a);
  const y = vnum(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** The last entry of a version-ordered table at or below `v`. */
function floor<T>(table: [string, T][], v: string): T | undefined {
  let out: T | undefined;
  for (const [from, val] of table) if (cmpVersion(from, v) <= 0) out = val;
  return out;
}

/** An Alpine tag's full version: `3.19.1` as is, `3.19` its last point release, `latest` the newest. */
function alpineVersion(tag: string): string | undefined {
  if (/^\d+\.\d+\.\d+$/.test(tag)) return tag;
  const lines = Object.entries(ALPINE_LINES).sort((a, b) => Number(a[0]) - Number(b[0]));
  if (tag === 'latest' || tag === '3') {
    const [minor, last] = lines[lines.length - 1];
    return `3.${minor}.${last}`;
  }
  const m = /^3\.(\d+)$/.exec(tag);
  const last = m ? ALPINE_LINES[Number(m[1])] : undefined;
  return m && last !== undefined ? `3.${m[1]}.${last}` : undefined;
}

/** nginx's version for a tag of the Debian variants (`1.27`, `1.27.3-perl`, `stable`, `1.27-bookworm`), and its Debian release. */
function nginxDebian(tag: string): string | undefined {
  const words = tag.split('-');
  if (words.includes('alpine') || words.includes('alpine3.22')) return undefined;
  const named = words.find((w) => w in DEBIAN);
  if (named) return named;
  let v = words[0];
  const lines = Object.entries(NGINX_LINES).sort((a, b) => Number(a[0]) - Number(b[0]));
  const newest = lines[lines.length - 1];
  if (v === 'latest' || v === 'mainline') v = `1.${newest[0]}.${newest[1]}`;
  else if (v === 'stable') {
    // the stable line is the newest even minor
    const even = lines.filter(([m]) => Number(m) % 2 === 0).pop()!;
    v = `1.${even[0]}.${even[1]}`;
  } else if (/^1\.\d+$/.test(v)) v = `${v}.${NGINX_LINES[Number(v.split('.')[1])] ?? 0}`;
  else if (v === '1') v = `1.${newest[0]}.${newest[1]}`;
  if (!/^1\.\d+\.\d+$/.test(v)) return undefined;
  return floor(NGINX_BASES, v);
}

/** The release files an image carries: path → content. */
export function releaseFiles(image: string | undefined): Record<string, string> {
  if (!image) return {};
  const name = imageName(image);
  const tag = imageTag(image);
  const last = name.split('/').pop() ?? '';
  let alpine: string | undefined;
  if (name === 'alpine' || name === 'library/alpine') alpine = alpineVersion(tag);
  else if (name === 'curlimages/curl') alpine = floor(CURL_BASES, tag === 'latest' ? CURL_LATEST : tag);
  else if (last === 'netshoot') alpine = '3.19.1';
  if (alpine) return { '/etc/os-release': alpineOsRelease(alpine), '/etc/alpine-release': alpine + '\n' };
  if (last === 'nginx' || last === 'nginx-unprivileged') {
    const debian = nginxDebian(tag);
    if (debian) return { '/etc/os-release': DEBIAN[debian].text };
  }
  return {};
}

/**
 * Where each program lives on a host: the absolute paths that run it (`/bin/sh`,
 * `/usr/bin/curl`, `/usr/sbin/iptables`), what `ls /bin` lists, and which path `which`
 * and `command -v` answer (the first on PATH). Derived from the same userlands as the
 * tool sets (images.ts, userland.ts), so a program is at a path exactly when the host has it.
 *
 *  - busybox:1.36: `busybox --install /bin` (docker-library/busybox Dockerfile.builder): every
 *    applet is a link in /bin, beside /bin/busybox and /bin/getconf; rootfs/usr/bin/env links to it.
 *  - Alpine (alpine, curlimages/curl, netshoot, agnhost, nginx:alpine): busybox-binsh and
 *    busybox's post-install `busybox --install -s` put each applet at the directory its
 *    source declares (the `//applet:` lines' BB_DIR_* at busybox 1_36_1, below); a package's
 *    binary goes where its APKBUILD installs it, over an applet at the same path.
 *  - Debian bookworm (nginx, httpd, debian), Ubuntu 22.04 nodes and the workstation: usrmerged,
 *    /bin → usr/bin and /sbin → usr/sbin, so every program is at both.
 *
 * Links are kept as `ls -l` shows them: busybox's hard links (one inode, its link count),
 * Alpine's applet symlinks to /bin/busybox, /usr/bin/env → ../../bin/env in the busybox image,
 * Debian's sh → dash. Binary sizes are one stand-in (below); /bin → usr/bin as a directory link,
 * /etc/alternatives and /etc/mtab are not modelled as links.
 */
import type { Cluster } from '../cluster/cluster';
import type { HostRef } from '../types';
import type { BinaryFile, ProgramFiles } from './vfs';
import { hostProfile, hostTools } from './hosts';
import type { ImageProfile } from './images';
import { BUSYBOX_ALPINE_APPLETS } from './userland';

const ALPINE_APPLETS = new Set(BUSYBOX_ALPINE_APPLETS);

function words(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

/** The PATH every host's shell starts with (shell.ts): /usr/local/sbin first, /bin last. */
export const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * busybox 1_36_1: each applet's install directory, from its `//applet:IF_X(APPLET…(name, …, BB_DIR_…))`
 * line (include/applets.h.sh turns them into applet_install_loc, which `busybox --install` reads).
 * Only the applets busybox:1.36 or Alpine's busybox builds (userland.ts).
 */
const BUSYBOX_DIRS: Record<'BIN' | 'SBIN' | 'USR_BIN' | 'USR_SBIN', readonly string[]> = {
  BIN: words(`
  arch ash base32 base64 bbconfig cat chattr chgrp chmod chown conspy cp cpio cttyhack date dd df dmesg dnsdomainname dumpkmap echo ed egrep false
  fatattr fdflush fgrep fsync getopt grep gunzip gzip hostname hush ionice iostat ipcalc kbd_mode kill link linux32 linux64 ln login ls lsattr lzop
  makemime mkdir mknod mktemp more mount mountpoint mpstat mt mv netstat nice pidof ping ping6 pipe_progress printenv ps pwd reformime resume rev rm
  rmdir rpm run-parts scriptreplay sed setarch setpriv setserial sh sleep stat stty su sync tar touch true umount uname usleep vi watch zcat
  `),
  SBIN: words(`
  acpid adjtimex arp blkid blockdev bootchartd depmod devmem fbsplash fdisk findfs freeramdisk fsck fsck.minix fstrim getty halt hdparm hwclock ifconfig
  ifdown ifenslave ifup init insmod ip ipaddr iplink ipneigh iproute iprule iptunnel klogd loadkmap logread losetup lsmod makedevs mdev mkdosfs mke2fs
  mkfs.ext2 mkfs.minix mkfs.vfat mkswap modinfo modprobe nameif pivot_root poweroff raidautorun reboot rmmod route run-init runlevel setconsole slattach
  start-stop-daemon sulogin swapoff swapon switch_root sysctl syslogd tc tunctl udhcpc uevent vconfig watchdog zcip
  `),
  USR_BIN: words(`
  [ [[ ar ascii awk basename bc beep blkdiscard bunzip2 bzcat bzip2 cal chpst chrt chvt cksum clear cmp comm crc32 crontab cryptpw cut dc deallocvt diff
  dirname dos2unix dpkg dpkg-deb du dumpleases eject env envdir envuidgid expand expr factor fallocate fgconsole find flock fold free ftpget ftpput
  fuser groups hd head hexdump hexedit hostid id install ipcrm ipcs killall last less logger logname lpq lpr lsof lspci lsscsi lsusb lzcat lzma man
  md5sum mesg microcom mkfifo mkpasswd nc nl nmeter nohup nproc nsenter nslookup od openvt passwd paste patch pgrep pkill pmap printf pscan pstree pwdx
  readlink realpath renice reset resize rpm2cpio runsv runsvdir rx script seq setfattr setkeycodes setsid setuidgid sha1sum sha256sum sha3sum sha512sum
  showkey shred shuf smemcap softlimit sort split ssl_client strings sum sv svc svok tac tail taskset tcpsvd tee telnet test tftp time timeout top tr
  traceroute traceroute6 tree truncate ts tsort tty ttysize udhcpc6 udpsvd unexpand uniq unix2dos unlink unlzma unshare unxz unzip uptime users uudecode
  uuencode vlock volname w wall wc wget which who whoami whois xargs xxd xz xzcat yes
  `),
  USR_SBIN: words(`
  add-shell addgroup adduser arping brctl chat chpasswd chroot crond delgroup deluser dhcprelay dnsd ether-wake fakeidentd fbset fdformat fsfreeze ftpd
  httpd i2cdetect i2cdump i2cget i2cset i2ctransfer ifplugd inetd killall5 loadfont lpd mim nanddump nandwrite nbd-client nologin ntpd partprobe
  popmaildir powertop rdate rdev readahead readprofile remove-shell rtcwake seedrng sendmail setfont setlogcons svlogd telnetd tftpd ubiattach ubidetach
  ubimkvol ubirename ubirmvol ubirsvol ubiupdatevol udhcpd
  `),
};
const BUSYBOX_DIR_PATH = { BIN: '/bin', SBIN: '/sbin', USR_BIN: '/usr/bin', USR_SBIN: '/usr/sbin' } as const;
const APPLET_DIR = new Map<string, string>();
for (const [k, names] of Object.entries(BUSYBOX_DIRS)) for (const n of names) APPLET_DIR.set(n, BUSYBOX_DIR_PATH[k as keyof typeof BUSYBOX_DIRS]);

/** Where an applet of busybox 1.36 installs (/usr/bin for one the table does not hold). */
export function appletDir(name: string): string {
  return APPLET_DIR.get(name) ?? '/usr/bin';
}

/**
 * Alpine packages' binaries that are not in /usr/bin (aports APKBUILDs): bash and zsh
 * `--bindir=/bin`; iputils' ping in /bin and arping, clockdiff, tracepath in /usr/sbin;
 * iproute2's Makefile SBINDIR (/sbin); iptables `--sbindir=/sbin`; ipvsadm's SBIN
 * ($(BUILD_ROOT)/sbin); apk-tools /sbin/apk; the daemons and admin tools autotools puts in
 * $(prefix)/sbin (conntrack-tools, ipset, nftables, ethtool, bird, iftop, mtr, openssh's sshd,
 * iptraf-ng, fping); netshoot's build/fetch_binaries.sh downloads into /usr/local/bin;
 * nginx.org's packages /usr/sbin/nginx.
 */
const ALPINE_PATHS: Record<string, string> = {
  busybox: '/bin/busybox',
  apk: '/sbin/apk',
  bash: '/bin/bash',
  zsh: '/bin/zsh',
  ping: '/bin/ping',
  ...Object.fromEntries(words('arping clockdiff tracepath').map((n) => [n, `/usr/sbin/${n}`])),
  ...Object.fromEntries(words('bridge ctstat dcb devlink genl ifstat ip lnstat nstat rdma routel rtacct rtmon rtstat ss tc tipc vdpa').map((n) => [n, `/sbin/${n}`])),
  ...Object.fromEntries(
    words(
      'ip6tables ip6tables-legacy ip6tables-legacy-restore ip6tables-legacy-save ip6tables-restore ip6tables-save iptables iptables-legacy iptables-legacy-restore iptables-legacy-save iptables-restore iptables-save xtables-legacy-multi ipvsadm ipvsadm-restore ipvsadm-save',
    ).map((n) => [n, `/sbin/${n}`]),
  ),
  ...Object.fromEntries(words('conntrack conntrackd nfct ipset nft ethtool bird birdc birdcl iftop mtr mtr-packet sshd iptraf-ng fping nginx nginx-debug').map((n) => [n, `/usr/sbin/${n}`])),
  ...Object.fromEntries(words('calicoctl ctop fortio grpcurl termshark').map((n) => [n, `/usr/local/bin/${n}`])),
};

/**
 * Debian's and Ubuntu's programs in /usr/sbin (and so /sbin): the admin tools of the
 * essential packages (coreutils' chroot, util-linux's, passwd's, sysvinit-utils', libc-bin's
 * ldconfig, dpkg's start-stop-daemon), iproute2's ip (its /sbin/ip link) and bridge, iptables,
 * ipvsadm, ipset, conntrack, nft, ethtool, sysctl (procps), nginx. Ubuntu's tcpdump 4.99 and
 * iproute2's ss are in /usr/bin.
 */
const DEBIAN_SBIN = new Set(
  words(`
  chroot agetty blkid blockdev chcpu ctrlaltdel fdisk findfs fsck fsfreeze fstrim hwclock losetup mkfs mkswap pivot_root sfdisk swapoff swapon
  switch_root wipefs zramctl nologin sulogin killall5 start-stop-daemon ldconfig chpasswd chgpasswd groupadd groupdel groupmod grpck newusers
  pwck useradd userdel usermod vipw vigr update-ca-certificates nginx nginx-debug
  ip bridge iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore ipvsadm ipset conntrack nft ethtool sysctl
  ifconfig route arp
`),
);

/** Shell builtins with no program behind them (bash's cd, export…): no path anywhere. */
const BUILTIN_ONLY = new Set([':', 'alias', 'unalias', 'jobs', 'fg', 'wait', 'cd', 'exit', 'export', 'history', 'help', 'read', 'type', 'unset']);

/** The workstation's own installs: the course's CLIs in /usr/local/bin. */
const WORKSTATION_LOCAL = new Set(['kubectl', 'helm', 'answer', 'hubble', 'istioctl']);

/** A host's programs: every path → the command it runs, and where `which` finds each. */
export interface ProgramTable extends ProgramFiles {
  /** command name → every path it is at, PATH order first */
  byName: ReadonlyMap<string, readonly string[]>;
}

/** A program at a path: [path, command] or [path, command, symlink target] (`link` `''`: a hard link of `nlink`). */
type Entry = [string, string] | [string, string, string];

function table(entries: Entry[], nlink?: number): ProgramTable {
  const files = new Map<string, { size: number; program: string; link?: string; nlink?: number }>();
  const dirs = new Set<string>();
  for (const [path, name, link] of entries) {
    // a symlink's size is its target's length (lstat)
    files.set(path, link ? { size: link.length, program: name, link } : { size: SIZE, program: name, ...(nlink ? { nlink } : {}) });
    for (let d = path.slice(0, path.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);
  }
  const byName = new Map<string, string[]>();
  const rank = (p: string) => {
    const i = PATH_DIRS.indexOf(p.slice(0, p.lastIndexOf('/')));
    return i < 0 ? PATH_DIRS.length : i;
  };
  for (const [path, f] of files) {
    const list = byName.get(f.program) ?? [];
    list.push(path);
    byName.set(f.program, list);
  }
  for (const list of byName.values()) list.sort((a, b) => rank(a) - rank(b));
  return { files, dirs, byName };
}

/**
 * The size `ls -l` shows for a program. The simulation holds no program's bytes and the
 * images' exact binary sizes are not in our sources: one stand-in size for all.
 */
const SIZE = 1_153_464;

/**
 * Debian's and Ubuntu's links among the programs: dash's postinst points /usr/bin/sh at dash
 * (`sh -> dash`, relative); through the usrmerged /bin → usr/bin, /bin/sh is the same link.
 */
const DEBIAN_LINKS: Record<string, string> = { sh: 'dash' };

function usrmerged(names: Iterable<string>, local: (n: string) => boolean = () => false): Entry[] {
  const out: Entry[] = [];
  for (const n of names) {
    if (BUILTIN_ONLY.has(n)) continue;
    const link = DEBIAN_LINKS[n];
    if (local(n)) out.push([`/usr/local/bin/${n}`, n]);
    else if (DEBIAN_SBIN.has(n)) out.push([`/usr/sbin/${n}`, n], [`/sbin/${n}`, n]);
    else if (link) out.push([`/usr/bin/${n}`, n, link], [`/bin/${n}`, n, link]);
    else out.push([`/usr/bin/${n}`, n], [`/bin/${n}`, n]);
  }
  return out;
}

function profileTable(p: ImageProfile, tools: ReadonlySet<string>): ProgramTable {
  if (p.family === 'busybox') {
    // docker-library/busybox Dockerfile.builder: `busybox --install /bin` hard-links every applet to
    // /bin/busybox (one inode: ls -l counts them all), Debian's getconf is its own file, and
    // `ln -s ../../bin/env usr/bin/` makes /usr/bin/env a symlink
    const applets = p.tools.filter((n) => n !== 'getconf');
    const t = table([...p.tools.map((n): Entry => [`/bin/${n}`, n]), ['/usr/bin/env', 'env', '../../bin/env']], applets.length);
    const getconf = t.files.get('/bin/getconf');
    if (getconf) (t.files as Map<string, BinaryFile>).set('/bin/getconf', { ...getconf, nlink: 1 });
    return t;
  }
  if (p.flavour === 'busybox' || p.family === 'netshoot' || p.family === 'agnhost' || p.family === 'nginx-alpine' || p.family === 'curl' || p.family === 'alpine') {
    const entries = new Map<string, string>();
    // every applet's link first (busybox-extras' too); a package's binary then takes its path
    // `busybox --install -s` links each applet to /bin/busybox (absolute); /bin/sh is busybox-binsh's link to it
    const links = new Set<string>();
    for (const n of p.tools) {
      if (BUILTIN_ONLY.has(n) || !(p.applets.has(n) || ALPINE_APPLETS.has(n))) continue;
      entries.set(`${appletDir(n)}/${n}`, n);
      links.add(`${appletDir(n)}/${n}`);
    }
    for (const n of p.tools) {
      if (BUILTIN_ONLY.has(n) || p.applets.has(n)) continue;
      const at = ALPINE_PATHS[n] ?? `/usr/bin/${n}`;
      entries.set(at, n);
      links.delete(at);
    }
    // a package binary that replaced an applet at another path leaves the applet's link pointing at busybox, which
    // still runs the applet; the engine runs that tool's command for both
    return table([...entries].map(([path, n]): Entry => (links.has(path) ? [path, n, '/bin/busybox'] : [path, n])));
  }
  if (p.family === 'httpd') {
    const apache = new Set(['ab', 'apachectl', 'apxs', 'checkgid', 'dbmmanage', 'envvars', 'envvars-std', 'fcgistarter', 'htcacheclean', 'htdbm', 'htdigest', 'htpasswd', 'httpd', 'httxt2dbm', 'logresolve', 'rotatelogs', 'httpd-foreground']);
    return table([...usrmerged([...tools].filter((n) => !apache.has(n))), ...[...apache].map((n): [string, string] => [`/usr/local/apache2/bin/${n}`, n])]);
  }
  // the shell's base tools count too (bookworm-slim's awk is mawk's /usr/bin/awk)
  return table(usrmerged(tools));
}

const profileCache = new WeakMap<ImageProfile, ProgramTable>();
let nodeTable: ProgramTable | undefined;
let workstationTable: ProgramTable | undefined;

/** Every program on a host, by path and by name. */
export function programTable(cluster: Cluster, host: HostRef): ProgramTable {
  if (host.kind === 'node') return (nodeTable ??= table(usrmerged(hostTools(cluster, host))));
  if (host.kind === 'workstation') return (workstationTable ??= table(usrmerged(hostTools(cluster, host), (n) => WORKSTATION_LOCAL.has(n))));
  const p = hostProfile(cluster, host)!;
  let t = profileCache.get(p);
  if (!t) profileCache.set(p, (t = profileTable(p, hostTools(cluster, host))));
  return t;
}

/** The command a path runs on this host (`/bin/sh` → sh), if a program is there. */
export function programAt(cluster: Cluster, host: HostRef, path: string): string | undefined {
  return programTable(cluster, host).files.get(path)?.program;
}

/** Where `which NAME` finds a program (the first PATH directory holding it), if anywhere. */
export function programPath(cluster: Cluster, host: HostRef, name: string): string | undefined {
  return programTable(cluster, host).byName.get(name)?.[0];
}

/**
 * What each image family really ships: the binaries on its PATH, by the package that puts
 * them there, read from the images' own build sources. One list per family; images.ts turns
 * them into userlands (which tools a container has, and which of them are busybox applets).
 *
 * A binary a package installs over a busybox applet of the same name replaces it (apk and
 * dpkg overwrite the applet's link): in netshoot `ping` is iputils', `nc` netcat-openbsd's,
 * `ip` iproute2's, while `ps`, `ifconfig`, `route`, `arp`, `netstat` and `traceroute` stay
 * busybox applets (netshoot installs neither procps nor net-tools nor a traceroute package).
 */

function words(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

/**
 * busybox:1.36 (the default tag is the glibc variant, docker-library/busybox 4858368 "Update
 * glibc variants to be the default variants"): latest/glibc/Dockerfile.builder at b9ffb18
 * (BUSYBOX_VERSION 1.36.1) runs `make defconfig`, sets CONFIG_AR, CONFIG_FEATURE_AR_CREATE,
 * CONFIG_FEATURE_AR_LONG_FILENAMES and CONFIG_LAST_SUPPORTED_WCHAR=0, unsets
 * CONFIG_FEATURE_SYNC_FANCY, and `busybox --install /bin`. These are the applets that config
 * builds: busybox 1_36_1's `make busybox.links` over that .config (403 names, as
 * `busybox --list` prints them), all in /bin, beside /bin/busybox and Debian's /bin/getconf.
 */
export const BUSYBOX_GLIBC_APPLETS: readonly string[] = words(`
  [ [[ acpid add-shell addgroup adduser adjtimex ar arch arp arping ascii ash awk base32 base64 basename bc beep blkdiscard blkid blockdev
  bootchartd brctl bunzip2 bzcat bzip2 cal cat chat chattr chgrp chmod chown chpasswd chpst chroot chrt chvt cksum clear cmp comm conspy cp
  cpio crc32 crond crontab cryptpw cttyhack cut date dc dd deallocvt delgroup deluser depmod devmem df dhcprelay diff dirname dmesg dnsd
  dnsdomainname dos2unix dpkg dpkg-deb du dumpkmap dumpleases echo ed egrep eject env envdir envuidgid ether-wake expand expr factor
  fakeidentd fallocate false fatattr fbset fbsplash fdflush fdformat fdisk fgconsole fgrep find findfs flock fold free freeramdisk fsck
  fsck.minix fsfreeze fstrim fsync ftpd ftpget ftpput fuser getopt getty grep groups gunzip gzip halt hd hdparm head hexdump hexedit hostid
  hostname httpd hush hwclock i2cdetect i2cdump i2cget i2cset i2ctransfer id ifconfig ifdown ifenslave ifplugd ifup inetd init insmod
  install ionice iostat ip ipaddr ipcalc ipcrm ipcs iplink ipneigh iproute iprule iptunnel kbd_mode kill killall killall5 klogd last less
  link linux32 linux64 linuxrc ln loadfont loadkmap logger login logname logread losetup lpd lpq lpr ls lsattr lsmod lsof lspci lsscsi lsusb
  lzcat lzma lzop makedevs makemime man md5sum mdev mesg microcom mim mkdir mkdosfs mke2fs mkfifo mkfs.ext2 mkfs.minix mkfs.vfat mknod
  mkpasswd mkswap mktemp modinfo modprobe more mount mountpoint mpstat mt mv nameif nanddump nandwrite nbd-client nc netstat nice nl nmeter
  nohup nologin nproc nsenter nslookup ntpd od openvt partprobe passwd paste patch pgrep pidof ping ping6 pipe_progress pivot_root pkill
  pmap popmaildir poweroff powertop printenv printf ps pscan pstree pwd pwdx raidautorun rdate rdev readahead readlink readprofile realpath
  reboot reformime remove-shell renice reset resize resume rev rm rmdir rmmod route rpm rpm2cpio rtcwake run-init run-parts runlevel runsv
  runsvdir rx script scriptreplay sed seedrng sendmail seq setarch setconsole setfattr setfont setkeycodes setlogcons setpriv setserial
  setsid setuidgid sh sha1sum sha256sum sha3sum sha512sum showkey shred shuf slattach sleep smemcap softlimit sort split ssl_client
  start-stop-daemon stat strings stty su sulogin sum sv svc svlogd svok swapoff swapon switch_root sync sysctl syslogd tac tail tar taskset
  tc tcpsvd tee telnet telnetd test tftp tftpd time timeout top touch tr traceroute traceroute6 tree true truncate ts tsort tty ttysize
  tunctl ubiattach ubidetach ubimkvol ubirename ubirmvol ubirsvol ubiupdatevol udhcpc udhcpc6 udhcpd udpsvd uevent umount uname unexpand
  uniq unix2dos unlink unlzma unshare unxz unzip uptime users usleep uudecode uuencode vconfig vi vlock volname w wall watch watchdog wc
  wget which who whoami whois xargs xxd xz xzcat yes zcat zcip
`);

/** What the busybox image has besides the applets (the same Dockerfile.builder: `ln -vL busybox rootfs/bin/`, Debian's getconf). */
export const BUSYBOX_IMAGE_EXTRA: readonly string[] = ['busybox', 'getconf'];

/**
 * Alpine's busybox package (alpine:3.19, busybox 1.36.1-r15): aports main/busybox/busyboxconfig
 * applied to busybox 1_36_1 (`make oldconfig` with the new options' defaults, then
 * `make busybox.links`): 318 applets. Alpine leaves out the daemons and clients it moves to
 * busybox-extras (telnet, httpd, ftpd, tftp, udhcpd…), the runit tools, hush, the dpkg/rpm
 * applets and what util-linux or e2fsprogs provide better (chattr, mke2fs, script, taskset, who).
 */
export const BUSYBOX_ALPINE_APPLETS: readonly string[] = words(`
  [ [[ acpid add-shell addgroup adduser adjtimex arch arp arping ascii ash awk base32 base64 basename bbconfig bc beep blkdiscard blkid
  blockdev brctl bunzip2 bzcat bzip2 cal cat chgrp chmod chown chpasswd chroot chvt cksum clear cmp comm conspy cp cpio crc32 crond crontab
  cryptpw cut date dc dd deallocvt delgroup deluser depmod df diff dirname dmesg dnsdomainname dos2unix du dumpkmap dumpleases echo ed egrep
  eject env ether-wake expand expr factor fallocate false fatattr fbset fbsplash fdflush fdformat fdisk fgrep find findfs flock fold free
  fsck fstrim fsync fuser getopt getty grep groups gunzip gzip halt hd hdparm head hexdump hexedit hostid hostname hwclock id ifconfig
  ifdown ifenslave ifup init insmod install ionice iostat ip ipaddr ipcalc ipcrm ipcs iplink ipneigh iproute iprule iptunnel kbd_mode kill
  killall killall5 klogd less link linux32 linux64 ln loadfont loadkmap logger login logread losetup ls lsmod lsof lspci lsusb lzcat lzma
  lzop makemime md5sum mdev mesg microcom mim mkdir mkdosfs mkfifo mkfs.vfat mknod mkpasswd mkswap mktemp modinfo modprobe more mount
  mountpoint mpstat mv nameif nanddump nandwrite nbd-client nc netstat nice nl nmeter nohup nologin nproc nsenter nslookup ntpd od openvt
  partprobe passwd paste patch pgrep pidof ping ping6 pipe_progress pkill pmap poweroff powertop printenv printf ps pscan pstree pwd pwdx
  raidautorun rdate rdev readahead readlink readprofile realpath reboot reformime remove-shell renice reset resize resume rev rm rmdir rmmod
  route run-init run-parts sed seedrng sendmail seq setconsole setfattr setfont setkeycodes setlogcons setpriv setserial setsid sh sha1sum
  sha256sum sha3sum sha512sum showkey shred shuf slattach sleep smemcap sort split ssl_client stat strings stty su sum svok swapoff swapon
  switch_root sync sysctl syslogd tac tail tar tc tee test time timeout top touch tr traceroute traceroute6 tree true truncate ts tsort tty
  ttysize tunctl udhcpc udhcpc6 umount uname unexpand uniq unix2dos unlink unlzma unshare unxz unzip uptime usleep uudecode uuencode vconfig
  vi vlock volname watch watchdog wc wget which whoami whois xargs xxd xzcat yes zcat
`);

/** aports main/busybox: busybox-extras (busyboxconfig-extras), the applets the main package leaves out, linked to /bin/busybox-extras. */
export const BUSYBOX_EXTRAS_APPLETS: readonly string[] = words('busybox-extras dnsd fakeidentd ftpd ftpget ftpput httpd inetd telnet telnetd tftp tftpd udhcpd');

/**
 * What an alpine:3.19 image has besides busybox (its world: alpine-baselayout, apk-tools,
 * busybox-binsh, ca-certificates-bundle, libc-utils → musl-utils, scanelf, ssl_client):
 * apk, musl-utils' getconf, getent, iconv and ldd, pax-utils' scanelf; /bin/busybox itself.
 */
export const ALPINE_BASE: readonly string[] = words('busybox apk getconf getent iconv ldd scanelf');

/**
 * nicolaka/netshoot v0.13 (Dockerfile at tag v0.13, 2024-05-15: FROM alpine:3.19.1 with the
 * edge repositories, `apk add` of the packages below; build/fetch_binaries.sh downloads ctop,
 * calicoctl, termshark, grpcurl and fortio to /usr/local/bin). Each package's binaries as its
 * aports APKBUILD installs them (main/ and community/ and testing/ at that time); packages
 * that install no command (libc6-compat, nmap-scripts, oh-my-zsh, py3-setuptools, the perl
 * modules) are listed with none. Dependencies that bring commands with them: py3-pip and
 * scapy pull python3, swaks perl.
 */
export const NETSHOOT_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  'apache2-utils': words('ab checkgid htdbm htdigest htpasswd httxt2dbm logresolve rotatelogs'),
  bash: words('bash'),
  'bind-tools': words('arpaname delv dig host mdig named-rrchecker nslookup nsupdate'),
  bird: words('bird birdc birdcl'),
  'bridge-utils': words('brctl'),
  'busybox-extras': BUSYBOX_EXTRAS_APPLETS,
  'conntrack-tools': words('conntrack conntrackd nfct'),
  curl: words('curl'),
  dhcping: words('dhcping'),
  drill: words('drill'),
  ethtool: words('ethtool'),
  file: words('file'),
  fping: words('fping'),
  iftop: words('iftop'),
  iperf: words('iperf'),
  iperf3: words('iperf3'),
  iproute2: words('bridge ctstat dcb devlink genl ifstat ip lnstat nstat rdma routel rtacct rtmon rtstat ss tc tipc vdpa'),
  ipset: words('ipset'),
  iptables: words('ip6tables ip6tables-legacy ip6tables-legacy-restore ip6tables-legacy-save ip6tables-restore ip6tables-save iptables iptables-legacy iptables-legacy-restore iptables-legacy-save iptables-restore iptables-save xtables-legacy-multi'),
  'iptraf-ng': words('iptraf-ng'),
  iputils: words('arping clockdiff ping tracepath'),
  ipvsadm: words('ipvsadm ipvsadm-restore ipvsadm-save'),
  httpie: words('http httpie https'),
  jq: words('jq'),
  'libc6-compat': [],
  liboping: words('noping oping'),
  ltrace: words('ltrace'),
  mtr: words('mtr mtr-packet'),
  'net-snmp-tools': words('agentxtrap encode_keychange snmpbulkget snmpbulkwalk snmpdelta snmpdf snmpget snmpgetnext snmpinform snmpnetstat snmpset snmpstatus snmptable snmptest snmptranslate snmptrap snmpusm snmpvacm snmpwalk'),
  'netcat-openbsd': words('nc'),
  nftables: words('nft'),
  ngrep: words('ngrep'),
  nmap: words('nmap'),
  'nmap-nping': words('nping'),
  'nmap-scripts': [],
  openssl: words('c_rehash openssl'),
  'py3-pip': words('pip pip3 pip3.11 python3 python3.11 pydoc3 pydoc3.11'),
  'py3-setuptools': [],
  scapy: words('scapy'),
  socat: words('filan procan socat'),
  'speedtest-cli': words('speedtest speedtest-cli'),
  openssh: words('scp sftp ssh ssh-add ssh-agent ssh-copy-id ssh-keygen ssh-keyscan sshd'),
  'oh-my-zsh': [],
  strace: words('strace strace-log-merge'),
  tcpdump: words('tcpdump'),
  tcptraceroute: words('tcptraceroute'),
  tshark: words('capinfos captype dumpcap editcap mergecap randpkt rawshark reordercap sharkd text2pcap tshark'),
  'util-linux': words(
    'agetty blkdiscard blkid blockdev cal cfdisk chcpu chmem choom chrt col colcrt colrm column ctrlaltdel dmesg eject fallocate fdisk fincore findfs findmnt flock fsck fsfreeze fstrim getopt hardlink hexdump hwclock ionice ipcmk ipcrm ipcs irqtop isosize last lastb logger look losetup lsblk lscpu lsfd lsipc lsirq lslocks lslogins lsmem lsns mcookie mesg mkfs mkswap more mount mountpoint namei nsenter partx pivot_root prlimit readprofile rename renice rev rfkill rtcwake script scriptlive scriptreplay setarch setpriv setsid setterm sfdisk swapoff swapon switch_root taskset uclampset ul umount unshare utmpdump uuidd uuidgen uuidparse wall wdctl whereis wipefs write zramctl',
  ),
  vim: words('ex rview rvim view vim vimdiff vimtutor xxd'),
  git: words('git git-receive-pack git-shell git-upload-archive git-upload-pack scalar'),
  zsh: words('zsh'),
  websocat: words('websocat'),
  swaks: words('perl swaks'),
  'perl-crypt-ssleay': [],
  'perl-net-ssleay': [],
  'fetch_binaries.sh': words('calicoctl ctop fortio grpcurl termshark'),
};

/**
 * registry.k8s.io/e2e-test-images/agnhost (kubernetes test/images/agnhost/Dockerfile): alpine
 * with `apk add bind-tools curl netcat-openbsd iproute2 iperf bash`, and /agnhost itself.
 */
export const AGNHOST_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  'bind-tools': NETSHOOT_PACKAGES['bind-tools'],
  curl: words('curl'),
  'netcat-openbsd': words('nc'),
  iproute2: NETSHOOT_PACKAGES.iproute2,
  iperf: words('iperf'),
  bash: words('bash'),
  agnhost: words('agnhost'),
};

/** curlimages/curl (curl/curl-container alpine/latest/Dockerfile): alpine with curl built into /usr/bin/curl. */
export const CURL_PACKAGES: Readonly<Record<string, readonly string[]>> = { curl: words('curl') };

/**
 * debian:bookworm-slim's essential userland (the Priority: required packages debuerreotype
 * installs): coreutils, bash, dash, debianutils, diffutils, findutils, grep, gzip, hostname,
 * login, mount/util-linux, ncurses-bin, perl-base, sed, tar, bsdutils, passwd, sysvinit-utils,
 * libc-bin, dpkg and apt. No procps (ps, top, watch), no iproute2, no ping, no editor, no less.
 */
export const DEBIAN_SLIM: readonly string[] = words(`
  [ arch b2sum base32 base64 basename basenc cat chcon chgrp chmod chown chroot cksum comm cp csplit cut date dd df dir dircolors dirname du echo
  env expand expr factor false fmt fold groups head hostid id install join link ln logname ls md5sum mkdir mkfifo mknod mktemp mv nice nl nohup
  nproc numfmt od paste pathchk pinky pr printenv printf ptx pwd readlink realpath rm rmdir runcon seq sha1sum sha224sum sha256sum sha384sum
  sha512sum shred shuf sleep sort split stat stdbuf stty sum sync tac tail tee test timeout touch tr true truncate tsort tty uname unexpand uniq
  unlink users vdir wc who whoami yes
  bash sh dash rbash
  which run-parts savelog tempfile ischroot
  cmp diff diff3 sdiff find xargs grep egrep fgrep gzip gunzip zcat zcmp zdiff zegrep zfgrep zforce zgrep zless zmore znew uncompress gzexe
  hostname dnsdomainname domainname nisdomainname ypdomainname
  login nologin su lastlog newgrp sg faillog
  mount umount losetup swapon swapoff findmnt
  more mesg kill agetty blkid blockdev chrt dmesg fdisk flock getopt hwclock ionice ipcs lsblk lscpu mkswap nsenter prlimit renice rev script
  setsid setterm taskset unshare whereis wipefs fsck logger
  clear infocmp tabs tic toe tput tset reset captoinfo infotocap
  perl
  sed tar
  chage chfn chsh expiry gpasswd passwd chpasswd groupadd groupdel groupmod grpck newusers pwck useradd userdel usermod vipw vigr
  killall5 pidof start-stop-daemon
  getent getconf iconv ldd locale localedef catchsegv ldconfig zdump
  dpkg dpkg-deb dpkg-divert dpkg-query dpkg-split dpkg-statoverride dpkg-trigger dpkg-maintscript-helper update-alternatives
  apt apt-cache apt-cdrom apt-config apt-get apt-key apt-mark
`);

/**
 * The official nginx image (nginxinc/docker-nginx mainline/debian/Dockerfile): bookworm-slim
 * plus nginx and its dynamic modules, gettext-base's envsubst (20-envsubst-on-templates.sh),
 * curl and ca-certificates, and /docker-entrypoint.sh.
 */
export const NGINX_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  nginx: words('nginx nginx-debug'),
  'gettext-base': words('envsubst gettext gettext.sh ngettext'),
  curl: words('curl'),
  'ca-certificates': words('update-ca-certificates'),
};

/**
 * The directories an image's root holds, plus what the runtime mounts in every container
 * (/dev, /proc, /sys) — what `ls /` lists:
 *  - busybox:1.36: the glibc rootfs.tar.gz docker-library/busybox builds (bin, etc with
 *    buildroot's network/if-*.d, home, lib and the lib64 link, root, tmp, usr/bin for the env
 *    link, usr/sbin, var/spool/mail, var/www) — no /run, no /sbin;
 *  - Alpine 3.19 (alpine-baselayout): bin dev etc home lib media mnt opt proc root run sbin srv
 *    sys tmp usr var;
 *  - Debian bookworm (debian:bookworm-slim, usrmerged: bin, lib, lib64 and sbin link into /usr):
 *    bin boot dev etc home lib lib64 media mnt opt proc root run sbin srv sys tmp usr var; the
 *    nginx image adds /docker-entrypoint.d beside its /docker-entrypoint.sh.
 */
const RUNTIME_DIRS = ['/dev', '/proc', '/sys'];
export const BUSYBOX_ROOT: readonly string[] = [
  '/', '/bin', '/etc', '/etc/network', '/etc/network/if-down.d', '/etc/network/if-post-down.d', '/etc/network/if-pre-up.d', '/etc/network/if-up.d', '/home', '/lib', '/lib64',
  '/root', '/tmp', '/usr', '/usr/bin', '/usr/sbin', '/var', '/var/spool', '/var/spool/mail', '/var/www', ...RUNTIME_DIRS,
];
export const ALPINE_ROOT: readonly string[] = [
  '/', '/bin', '/etc', '/home', '/lib', '/media', '/mnt', '/opt', '/root', '/run', '/sbin', '/srv', '/tmp', '/usr', '/usr/bin', '/usr/lib', '/usr/local', '/usr/local/bin', '/usr/sbin', '/usr/share',
  '/var', '/var/cache', '/var/lib', '/var/log', '/var/spool', '/var/tmp', ...RUNTIME_DIRS,
];
export const DEBIAN_ROOT: readonly string[] = [
  '/', '/bin', '/boot', '/etc', '/home', '/lib', '/lib64', '/media', '/mnt', '/opt', '/root', '/run', '/sbin', '/srv', '/tmp', '/usr', '/usr/bin', '/usr/lib', '/usr/local', '/usr/local/bin', '/usr/sbin',
  '/usr/share', '/var', '/var/cache', '/var/lib', '/var/log', '/var/tmp', ...RUNTIME_DIRS,
];

/**
 * registry.k8s.io/kube-proxy (kubernetes build/common.sh: FROM the distroless-iptables image,
 * kubernetes/release images/build/distroless-iptables/distroless-bookworm/Dockerfile): a
 * distroless base-debian12 with what stage-binaries-from-package.sh copies from the ipset,
 * iptables and kmod packages, nft (built statically), dash as /bin/sh and the few coreutils
 * iptables-wrapper-installer.sh needs (cat chmod grep ln rm sleep wc); the installer makes
 * iptables, ip6tables and their -save/-restore wrappers that pick legacy or nft; /go-runner
 * and /usr/local/bin/kube-proxy. No conntrack, no ipvsadm, no ls, no ps.
 */
export const KUBE_PROXY_IMAGE: readonly string[] = words(`
  sh dash cat chmod grep ln rm sleep wc
  ipset
  iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore iptables-wrapper
  iptables-legacy iptables-legacy-save iptables-legacy-restore ip6tables-legacy ip6tables-legacy-save ip6tables-legacy-restore
  iptables-nft iptables-nft-save iptables-nft-restore ip6tables-nft ip6tables-nft-save ip6tables-nft-restore
  iptables-translate ip6tables-translate iptables-restore-translate ip6tables-restore-translate xtables-legacy-multi xtables-nft-multi xtables-monitor
  kmod lsmod modprobe insmod rmmod modinfo depmod
  nft
  go-runner kube-proxy
`);

/** What dash itself answers (its builtins), for an image whose only shell is dash. */
export const DASH_BUILTINS: readonly string[] = words(': [ alias cd echo eval exec exit export false fg jobs kill printf pwd read set shift test times trap true type ulimit umask unalias unset wait');

/**
 * registry.k8s.io/e2e-test-images/jessie-dnsutils (kubernetes test/images/jessie-dnsutils:
 * FROM debian:jessie, `apt-get install -y dnsutils`): Debian's userland and bind's dig,
 * nslookup and nsupdate, with host from bind9-host (a dependency of dnsutils).
 */
export const DNSUTILS_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  dnsutils: words('dig nslookup nsupdate'),
  'bind9-host': words('host'),
};

/**
 * Images that are one static binary on a distroless or empty base (no shell, no tools):
 * registry.k8s.io/serve_hostname (kubernetes/contrib serve_hostname: FROM scratch, ADD
 * serve_hostname, ENTRYPOINT /serve_hostname), gcr.io/google-samples/hello-app
 * (kubernetes-engine-samples quickstarts/hello-app/Dockerfile: gcr.io/distroless/static-debian12
 * with /hello-app).
 */
export const STATIC_BINARY: Readonly<Record<string, readonly string[]>> = {
  serve_hostname: words('serve_hostname'),
  'hello-app': words('hello-app'),
  // registry.k8s.io/goproxy:0.1 (kubernetes test/images/goproxy/Dockerfile: FROM scratch, ADD goproxy, ENTRYPOINT ["/goproxy"])
  goproxy: words('goproxy'),
};

/**
 * registry.k8s.io/pause (kubernetes build/pause/Dockerfile: `FROM scratch`, `ADD
 * bin/pause-${ARCH} /pause`, `ENTRYPOINT ["/pause"]`): the one static binary and nothing else —
 * no shell, no ls, no ps. From 3.5 it runs as 65535:65535 (build/pause/CHANGELOG.md 3.5:
 * "Run the container image as non root user per default", #97963); 3.1–3.4.1 as root.
 */
export const PAUSE_IMAGE: readonly string[] = words('pause');

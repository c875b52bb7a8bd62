/**
 * The virtual filesystem. Each host (the workstation, each node, each pod) has its own
 * tree. Files a learner writes are stored (and snapshotted); system files
 * (/etc/resolv.conf, /etc/cni/net.d/…) are derived on read from the cluster's state by
 * providers that other rooms register with `provide()`.
 *
 * Paths are absolute and normalised (no `.`/`..`, no trailing slash). `resolvePath`
 * turns what a learner typed (`~/x`, `../y`) into one.
 */
import type { VirtualClock } from '../cluster/clock';
import type { HostRef, RunResult, SimEvent } from '../types';

export const HOME = '/home/learner';

export function hostId(host: HostRef): string {
  switch (host.kind) {
    case 'workstation':
      return 'workstation';
    case 'node':
      return `node/${host.node}`;
    case 'pod':
      return `pod/${host.namespace}/${host.pod}`;
  }
}

/** The home directory on a host: /home/learner on the workstation, /root on nodes, / in pods. */
export function homeOf(host: HostRef): string {
  return host.kind === 'workstation' ? HOME : host.kind === 'node' ? '/root' : '/';
}

/** Directories every host of a kind has, whether or not anything was written into them. */
const BASE_DIRS: Record<HostRef['kind'], string[]> = {
  workstation: ['/', '/bin', '/etc', '/home', HOME, '/tmp', '/usr', '/usr/bin', '/usr/local', '/usr/local/bin', '/var', '/var/tmp'],
  node: ['/', '/bin', '/etc', '/etc/cni', '/etc/cni/net.d', '/etc/kubernetes', '/etc/kubernetes/manifests', '/home', '/opt', '/opt/cni', '/opt/cni/bin', '/proc', '/root', '/run', '/sys', '/tmp', '/usr', '/usr/bin', '/var', '/var/lib', '/var/lib/kubelet', '/var/log'],
  pod: ['/', '/bin', '/dev', '/etc', '/home', '/proc', '/root', '/run', '/sys', '/tmp', '/usr', '/usr/bin', '/var'],
};

/** Normalises an absolute path: collapses `//`, `.`, `..`; no trailing slash (except `/`). */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** Resolves what a learner typed against the working directory (and `~`). */
export function resolvePath(cwd: string, path: string, home: string = HOME): string {
  if (path === '~' || path.startsWith('~/')) path = home + path.slice(1);
  return normalizePath(path.startsWith('/') ? path : `${cwd}/${path}`);
}

export function dirname(path: string): string {
  const p = normalizePath(path);
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function basename(path: string): string {
  const p = normalizePath(path);
  return p === '/' ? '/' : p.slice(p.lastIndexOf('/') + 1);
}

export interface FileProvider {
  match: (host: HostRef) => boolean;
  path: string;
  /** The file's content for this host, or undefined if it does not exist there. */
  render: (host: HostRef) => string | undefined;
  /** A binary whose bytes the simulation does not hold (its `render` is only a stand-in). */
  binary?: BinaryFile;
}

/**
 * A family of derived files under one directory whose names follow the state (sysfs's
 * /sys/class/net/<dev>/…, /run/netns/<name>): `files(host)` renders them all at once, as
 * relative path → content, or undefined where the directory does not exist.
 */
export interface FileFamily {
  match: (host: HostRef) => boolean;
  dir: string;
  files: (host: HostRef) => Record<string, string> | undefined;
}

/**
 * A derived executable (a CNI plugin in /opt/cni/bin): `ls -l` shows its real size and
 * mode, the text tools say it is binary instead of printing a stand-in, and running it
 * prints what `run` derives (what the real binary prints for those arguments).
 */
export interface BinaryFile {
  size: number;
  /** An installed program (hosts/paths.ts): the command it runs. */
  program?: string;
  run?: (args: string[]) => RunResult;
  /** A data file a command wrote (a pcap savefile): mode 0644, not a program. */
  data?: boolean;
  /** A symbolic link to the program (its target as stored: `/bin/busybox`, `dash`): `ls -l` shows `l…` and `-> target`. */
  link?: string;
  /** Hard links to the same inode (busybox's `ln -vL busybox rootfs/bin/`): `ls -l`'s link count. */
  nlink?: number;
}

/**
 * A binary file a command wrote (tcpdump -w): the simulation keeps what it stands for (its
 * `content`, in the writer's own form) and the size its bytes have on disk; the text tools
 * say it is binary, `ls -l` shows that size.
 */
export interface WrittenBinary {
  /** Bytes on disk. */
  size: number;
  /** What the bytes are (`pcap`): the reader checks it, as a real one checks a magic number. */
  format: string;
}

export interface FileInfo {
  path: string;
  name: string;
  type: 'file' | 'dir';
  size: number;
  /** Virtual time of the last write (ms); derived files and base dirs carry the scenario start. */
  mtime: number;
  /** Derived by a provider rather than written. */
  derived: boolean;
  /** A derived binary (its size is `binary.size`). */
  binary?: BinaryFile;
}

interface HostTree {
  files: Record<string, string>;
  mtimes: Record<string, number>;
  /** Directories created with mkdir (base dirs and parents of files are implied). */
  dirs: string[];
  /** Written files that are binary (their content is the writer's record of the bytes). */
  binaries?: Record<string, WrittenBinary>;
}

interface FsSnapshot {
  version: 2;
  hosts: Record<string, HostTree>;
}

/** The programs installed on a host (hosts/paths.ts): each path's binary, and the directories holding them. */
export interface ProgramFiles {
  files: ReadonlyMap<string, BinaryFile>;
  dirs: ReadonlySet<string>;
}

/** A directory of another host seen at `at` (a Pod's hostPath volume: the node's `path`). */
export interface Mount {
  at: string;
  host: HostRef;
  path: string;
}

export class VirtualFS {
  private hosts: Record<string, HostTree> = {};
  private providers: FileProvider[] = [];
  private families: FileFamily[] = [];
  /** The mounts a host sees (set by the composition root: hosts.ts hostPathMounts). */
  mounts: (host: HostRef) => Mount[] = () => [];
  /** A container's root directories from its image (set by the composition root: the image catalog); BASE_DIRS otherwise. */
  imageDirs: (host: HostRef) => readonly string[] | undefined = () => undefined;
  /** The programs a host has installed (set by the composition root: hosts/paths.ts); none otherwise. */
  programs: (host: HostRef) => ProgramFiles | undefined = () => undefined;

  private program(host: HostRef, p: string): BinaryFile | undefined {
    return this.programs(host)?.files.get(p);
  }

  private baseDirs(host: HostRef): readonly string[] {
    return (host.kind === 'pod' ? this.imageDirs(host) : undefined) ?? BASE_DIRS[host.kind];
  }

  /** Where `path` on `host` really is, when it lies under one of the host's mounts. */
  private through(host: HostRef, p: string): { host: HostRef; path: string } | undefined {
    if (host.kind !== 'pod') return undefined;
    for (const m of this.mounts(host)) {
      if (p === m.at || p.startsWith(m.at + '/')) return { host: m.host, path: normalizePath(m.path + '/' + p.slice(m.at.length)) };
    }
    return undefined;
  }

  /** `startTime`: the mtime of files nobody wrote (the scenario's start); `emit` tells the UI of workstation writes. */
  constructor(private deps: { clock: VirtualClock; startTime: number; emit(event: SimEvent): void }) {}

  // ---- providers ----------------------------------------------------------------------

  /**
   * Registers a derived file: on hosts where `match(host)` is true, `path` reads as
   * `render(host)` (undefined: absent). Learner writes to the same path win until removed.
   */
  provide(match: (host: HostRef) => boolean, path: string, render: (host: HostRef) => string | undefined, binary?: BinaryFile): void {
    const p = normalizePath(path);
    this.providers = this.providers.filter((x) => !(x.path === p && x.match === match));
    this.providers.push({ match, path: p, render, ...(binary ? { binary } : {}) });
  }

  /** Registers a family of derived files under `dir` (see FileFamily); learner writes win as for `provide`. */
  provideFamily(match: (host: HostRef) => boolean, dir: string, files: (host: HostRef) => Record<string, string> | undefined): void {
    const d = normalizePath(dir);
    this.families = this.families.filter((x) => !(x.dir === d && x.match === match));
    this.families.push({ match, dir: d, files });
  }

  private familyFiles(host: HostRef, f: FileFamily): Record<string, string> | undefined {
    try {
      return f.match(host) ? f.files(host) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The derived binary at `path` on `host`, unless a learner's write replaced it. */
  binaryAt(host: HostRef, path: string): BinaryFile | undefined {
    const p = normalizePath(path);
    const wb = this.writtenBinary(host, p);
    if (wb) return { size: wb.meta.size, data: true };
    if (this.written(host, p) !== undefined) return undefined;
    const found = this.provider(host, p);
    if (found) return found.p.binary;
    const m = this.through(host, p);
    if (m) return this.binaryAt(m.host, m.path);
    return this.program(host, p);
  }

  /** A binary file a command wrote at `path` (tcpdump -w), with the content it keeps for it. */
  writtenBinary(host: HostRef, path: string): { meta: WrittenBinary; content: string } | undefined {
    const p = normalizePath(path);
    const m = this.through(host, p);
    if (m) return this.writtenBinary(m.host, m.path);
    const t = this.tree(host);
    const meta = t?.binaries?.[p];
    return t && meta && p in t.files ? { meta, content: t.files[p] } : undefined;
  }

  /** Writes a binary file: `content` is what the writer keeps for it, `meta.size` its bytes on disk. */
  writeBinary(host: HostRef, path: string, content: string, meta: WrittenBinary): void {
    const p = normalizePath(path);
    const m = this.through(host, p);
    if (m) return this.writeBinary(m.host, m.path, content, meta);
    this.write(host, p, content);
    const t = this.tree(host, true)!;
    (t.binaries ??= {})[p] = { ...meta };
  }

  private derived(host: HostRef, path: string): string | undefined {
    return this.provider(host, path)?.content;
  }

  /** The last-registered provider for `path` that exists on `host`, and what it renders there. */
  private provider(host: HostRef, path: string): { p: FileProvider; content: string } | undefined {
    for (let i = this.families.length - 1; i >= 0; i--) {
      const f = this.families[i];
      if (!path.startsWith(f.dir + '/')) continue;
      const content = this.familyFiles(host, f)?.[path.slice(f.dir.length + 1)];
      if (content !== undefined) return { p: { match: f.match, path, render: () => content }, content };
    }
    for (let i = this.providers.length - 1; i >= 0; i--) {
      const p = this.providers[i];
      if (p.path !== path) continue;
      let ok = false;
      try {
        ok = p.match(host);
      } catch {
        ok = false;
      }
      if (!ok) continue;
      try {
        const content = p.render(host);
        if (content !== undefined) return { p, content };
      } catch {
        // a provider that throws simply provides nothing
      }
    }
    return undefined;
  }

  private derivedPaths(host: HostRef): string[] {
    const out = new Set<string>();
    for (const p of this.providers) {
      let ok = false;
      try {
        ok = p.match(host);
      } catch {
        ok = false;
      }
      if (ok && this.derived(host, p.path) !== undefined) out.add(p.path);
    }
    for (const f of this.families) {
      const files = this.familyFiles(host, f);
      if (!files) continue;
      for (const rel of Object.keys(files)) out.add(`${f.dir}/${rel}`);
    }
    return [...out];
  }

  // ---- reading ------------------------------------------------------------------------

  private tree(host: HostRef, create = false): HostTree | undefined {
    const id = hostId(host);
    if (!this.hosts[id] && create) this.hosts[id] = { files: {}, mtimes: {}, dirs: [] };
    return this.hosts[id];
  }

  /** Seeds the learner's home directory from a scenario's `files:`. */
  seed(files: Record<string, string>): void {
    for (const [p, c] of Object.entries(files ?? {})) {
      this.write({ kind: 'workstation' }, p.startsWith('/') ? p : `${HOME}/${p}`, String(c));
    }
  }

  /** A regular file's content (written or derived), or undefined. */
  read(host: HostRef, path: string): string | undefined {
    const p = normalizePath(path);
    const m = this.through(host, p);
    if (m) return this.read(m.host, m.path);
    const t = this.tree(host);
    if (t && p in t.files) return t.files[p];
    const d = this.derived(host, p);
    if (d !== undefined) return d;
    // a program's bytes are not held: the ELF magic stands in (the text tools say "binary file")
    return this.program(host, p) ? '\x7fELF' : undefined;
  }

  /** What was written to a path on a host (by a learner or a command), ignoring derived files. */
  written(host: HostRef, path: string): string | undefined {
    const t = this.tree(host);
    const p = normalizePath(path);
    return t && p in t.files ? t.files[p] : undefined;
  }

  isFile(host: HostRef, path: string): boolean {
    return this.read(host, path) !== undefined;
  }

  isDir(host: HostRef, path: string): boolean {
    const p = normalizePath(path);
    const m = this.through(host, p);
    if (m) return this.isDir(m.host, m.path);
    if (this.baseDirs(host).includes(p)) return true;
    if (host.kind === 'workstation' && p === HOME) return true;
    if (this.programs(host)?.dirs.has(p)) return true;
    const t = this.tree(host);
    if (t) {
      if (t.dirs.includes(p)) return true;
      const prefix = p === '/' ? '/' : p + '/';
      for (const f of Object.keys(t.files)) if (f.startsWith(prefix)) return true;
    }
    const prefix = p === '/' ? '/' : p + '/';
    for (const d of this.derivedPaths(host)) if (d.startsWith(prefix)) return true;
    return false;
  }

  exists(host: HostRef, path: string): boolean {
    return this.isFile(host, path) || this.isDir(host, path);
  }

  stat(host: HostRef, path: string): FileInfo | undefined {
    const p = normalizePath(path);
    const m = this.through(host, p);
    if (m) {
      const info = this.stat(m.host, m.path);
      return info ? { ...info, path: p, name: basename(p) } : undefined;
    }
    const t = this.tree(host);
    const start = this.deps.startTime;
    if (t && p in t.files) {
      const wb = t.binaries?.[p];
      if (wb) return { path: p, name: basename(p), type: 'file', size: wb.size, mtime: t.mtimes[p] ?? start, derived: false, binary: { size: wb.size, data: true } };
      return { path: p, name: basename(p), type: 'file', size: byteLength(t.files[p]), mtime: t.mtimes[p] ?? start, derived: false };
    }
    const found = this.provider(host, p);
    if (found) {
      const bin = found.p.binary;
      return { path: p, name: basename(p), type: 'file', size: bin ? bin.size : byteLength(found.content), mtime: start, derived: true, ...(bin ? { binary: bin } : {}) };
    }
    const prog = this.program(host, p);
    if (prog) return { path: p, name: basename(p), type: 'file', size: prog.size, mtime: start, derived: true, binary: prog };
    if (this.isDir(host, p)) return { path: p, name: basename(p), type: 'dir', size: 4096, mtime: t?.mtimes[p] ?? start, derived: false };
    return undefined;
  }

  /** The entries of a directory, sorted by name; undefined if `dir` is not a directory. */
  list(host: HostRef, dir: string): FileInfo[] | undefined {
    const d = normalizePath(dir);
    const m = this.through(host, d);
    if (m) return this.list(m.host, m.path)?.map((info) => ({ ...info, path: normalizePath(d + '/' + info.name) }));
    if (!this.isDir(host, d)) return undefined;
    const prefix = d === '/' ? '/' : d + '/';
    const names = new Set<string>();
    const consider = (p: string) => {
      if (!p.startsWith(prefix) || p === d) return;
      const rest = p.slice(prefix.length);
      const name = rest.split('/')[0];
      if (name) names.add(name);
    };
    for (const b of this.baseDirs(host)) consider(b);
    const t = this.tree(host);
    if (t) {
      for (const f of Object.keys(t.files)) consider(f);
      for (const x of t.dirs) consider(x);
    }
    for (const x of this.derivedPaths(host)) consider(x);
    const progs = this.programs(host);
    if (progs) {
      for (const x of progs.files.keys()) if (x.startsWith(prefix)) consider(x);
      for (const x of progs.dirs) consider(x);
    }
    if (host.kind === 'pod') for (const mt of this.mounts(host)) consider(mt.at);
    const out: FileInfo[] = [];
    for (const n of [...names].sort()) {
      const info = this.stat(host, prefix + n);
      if (info) out.push(info);
    }
    return out;
  }

  // ---- writing ------------------------------------------------------------------------

  write(host: HostRef, path: string, content: string): void {
    const p = normalizePath(path);
    const m = this.through(host, p);
    if (m) return this.write(m.host, m.path, content);
    const t = this.tree(host, true)!;
    // new content makes a binary file a text file (touch rewrites the same content and keeps it binary)
    if (t.binaries?.[p] && t.files[p] !== content) delete t.binaries[p];
    t.files[p] = content;
    t.mtimes[p] = this.deps.clock.now();
    this.changed(host, p);
  }

  append(host: HostRef, path: string, content: string): void {
    const p = normalizePath(path);
    this.write(host, p, (this.read(host, p) ?? '') + content);
  }

  /** Creates a directory (its parent must exist unless `parents`). Returns false if it could not. */
  mkdir(host: HostRef, path: string, parents = false): boolean {
    const p = normalizePath(path);
    const m = this.through(host, p);
    if (m) return this.mkdir(m.host, m.path, parents);
    if (this.isDir(host, p)) return parents;
    if (this.isFile(host, p)) return false;
    const parent = dirname(p);
    if (!this.isDir(host, parent)) {
      if (!parents || !this.mkdir(host, parent, true)) return false;
    }
    const t = this.tree(host, true)!;
    t.dirs.push(p);
    t.mtimes[p] = this.deps.clock.now();
    return true;
  }

  /**
   * Removes a written file, or a directory with everything written under it. Derived
   * files cannot be removed (returns false); neither can base directories.
   */
  remove(host: HostRef, path: string, recursive = false): boolean {
    const p = normalizePath(path);
    const m = this.through(host, p);
    // a mount point itself cannot go; what is under it is the other host's
    if (m) return this.mounts(host).some((x) => x.at === p) ? false : this.remove(m.host, m.path, recursive);
    const t = this.tree(host);
    if (t && p in t.files) {
      delete t.files[p];
      delete t.mtimes[p];
      if (t.binaries) delete t.binaries[p];
      this.changed(host, p);
      return true;
    }
    if (!this.isDir(host, p) || this.baseDirs(host).includes(p)) return false;
    const prefix = p + '/';
    if (!recursive && (this.list(host, p)?.length ?? 0) > 0) return false;
    if (this.derivedPaths(host).some((x) => x.startsWith(prefix))) return false;
    if (t) {
      const gone: string[] = [];
      for (const f of Object.keys(t.files)) if (f.startsWith(prefix)) {
        delete t.files[f];
        delete t.mtimes[f];
        if (t.binaries) delete t.binaries[f];
        gone.push(f);
      }
      t.dirs = t.dirs.filter((x) => x !== p && !x.startsWith(prefix));
      delete t.mtimes[p];
      if (gone.length) this.changed(host, ...gone);
    }
    return true;
  }

  /** Told when a file in a Pod is written or removed (the kubelet probes its exec probes again). */
  onPodChange?: (namespace: string, pod: string) => void;

  private changed(host: HostRef, ...paths: string[]): void {
    // The editor shows the workstation's files; pods and nodes are not its business.
    if (host.kind === 'workstation') this.deps.emit({ type: 'files', paths });
    else if (host.kind === 'pod') this.onPodChange?.(host.namespace, host.pod);
  }

  // ---- persistence --------------------------------------------------------------------

  snapshot(): unknown {
    const s: FsSnapshot = { version: 2, hosts: structuredClone(this.hosts) };
    return s;
  }

  restore(data: unknown): void {
    const d = (data ?? {}) as Partial<FsSnapshot> & Record<string, unknown>;
    this.hosts = {};
    if (d.version === 2 && d.hosts && typeof d.hosts === 'object') {
      this.hosts = structuredClone(d.hosts);
      return;
    }
    // version 1: hostId → path → content
    for (const [id, files] of Object.entries(d)) {
      if (files && typeof files === 'object') {
        this.hosts[id] = { files: { ...(files as Record<string, string>) }, mtimes: {}, dirs: [] };
      }
    }
  }
}

export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * kubectl cp — k8s.io/kubectl/pkg/cmd/cp/cp.go (v0.34): tar over exec.
 *
 * - From a pod: `tar cf - PATH` runs in the container; its stderr reaches kubectl's stdout
 *   (TarPipe's ErrOut is o.Out), so tar's "removing leading '/'" notice prints there;
 *   untarAll strips the member prefix and writes under the local destination (a file
 *   copied onto an existing directory fails as os.Create does). A failing tar ends in
 *   CheckErr's "command terminated with exit code N".
 * - To a pod: the local source must exist; `test -d DEST` decides whether DEST is a
 *   directory to copy into; then `tar -xmf - -C dir(DEST)` unpacks members named after
 *   base(DEST), tar's own errors on stderr.
 *
 * The container's filesystem is the simulation's (what `kubectl exec … cat` reads): the
 * pod's files, derived or written. tar's messages are the image's tar: busybox's
 * (archival/tar.c, libarchive/unsafe_prefix.c, libbb/recursive_action.c) or GNU tar 1.34's
 * on debian-based images. A copy is bounded (MAX_COPY_BYTES, MAX_COPY_ENTRIES).
 */
import type { CommandOutcome, HostRef } from '../../types';
import type { Pod } from '../../cluster/types';
import { resourceFor } from '../../cluster/resources';
import { notFound } from '../../cluster/api';
import { hostFlavour } from '../../hosts/hosts';
import { normalizePath, type VirtualFS } from '../../hosts/vfs';
import { flagBool, flagString, type FlagDef } from './flags';
import { KubectlError, type Kctx } from './common';
import { execTarget } from './exec';

export const CP_FLAGS: FlagDef[] = [
  { long: 'container', short: 'c', type: 'string' },
  { long: 'no-preserve', type: 'bool' },
  { long: 'retries', type: 'int' },
];

/** What one copy may move: the simulation keeps files in memory. */
export const MAX_COPY_BYTES = 8 * 1024 * 1024;
export const MAX_COPY_ENTRIES = 2000;

interface FileSpec {
  namespace?: string;
  pod?: string;
  file: string;
}

/** extractFileSpec: `[[namespace/]pod:]file/path`. */
function extractFileSpec(arg: string): FileSpec {
  const i = arg.indexOf(':');
  if (i === 0) throw new KubectlError('error: filespec must match the canonical format: [[namespace/]pod:]file/path');
  if (i === -1) return { file: arg };
  const pieces = arg.slice(0, i).split('/');
  const file = arg.slice(i + 1);
  if (pieces.length === 1) return { pod: pieces[0], file };
  if (pieces.length === 2) return { namespace: pieces[0], pod: pieces[1], file };
  throw new KubectlError('error: filespec must match the canonical format: [[namespace/]pod:]file/path');
}

/** One entry of the archive: a directory, or a file with its content. */
interface Entry {
  /** Path relative to the copied root ('' for the root itself). */
  rel: string;
  dir: boolean;
  content?: string;
}

/** Walks `path` on `host` as tar's recursion (or makeTar's) does, bounded. */
function collect(fs: VirtualFS, host: HostRef, path: string): Entry[] {
  const out: Entry[] = [];
  let bytes = 0;
  const walk = (p: string, rel: string) => {
    if (out.length >= MAX_COPY_ENTRIES || bytes > MAX_COPY_BYTES) {
      throw new KubectlError(`error: kubectl cp in this simulation copies at most ${MAX_COPY_ENTRIES} files and ${MAX_COPY_BYTES / 1024 / 1024} MiB`);
    }
    const content = fs.read(host, p);
    if (content !== undefined) {
      bytes += content.length;
      out.push({ rel, dir: false, content });
      return;
    }
    out.push({ rel, dir: true });
    for (const e of fs.list(host, p) ?? []) walk(e.path, rel ? `${rel}/${e.name}` : e.name);
  };
  walk(path, '');
  return out;
}

/** The image's tar: busybox's applet or GNU tar. */
function tarFlavour(k: Kctx, host: HostRef): 'busybox' | 'gnu' {
  return hostFlavour(k.cluster, host) === 'busybox' ? 'busybox' : 'gnu';
}

/** A `pod:` or `ns/pod:` spec's Pod, as ExecOptions.Run gets it. */
function podOf(k: Kctx, spec: FileSpec): Pod {
  const ns = spec.namespace || k.namespace;
  const pod = k.store.get('Pod', ns, spec.pod!);
  if (!pod) throw notFound(resourceFor('Pod')!, spec.pod!);
  return pod;
}

export function runCp(k: Kctx): CommandOutcome {
  const args = k.flags.positional;
  if (args.length !== 2) throw new KubectlError('error: source and destination are required');
  const src = extractFileSpec(args[0]);
  const dest = extractFileSpec(args[1]);
  if (src.pod && dest.pod) throw new KubectlError('error: one of src or dest must be a local file specification');
  if (!src.file || !dest.file) throw new KubectlError('error: filepath can not be empty');
  if (src.pod) return copyFromPod(k, src, dest);
  if (dest.pod) return copyToPod(k, src, dest);
  throw new KubectlError('error: one of src or dest must be a remote file specification');
}

function localPath(k: Kctx, p: string): string {
  return normalizePath(p.startsWith('/') ? p : `${k.ctx.cwd}/${p}`);
}

function copyFromPod(k: Kctx, src: FileSpec, dest: FileSpec): CommandOutcome {
  const pod = podOf(k, src);
  const { host, notice } = execTarget(k, pod, flagString(k.flags, 'container'), false);
  const fs = k.cluster.fs;
  const remote = normalizePath(src.file.startsWith('/') ? src.file : `/${src.file}`);
  const flavour = tarFlavour(k, host);
  // `tar cf - PATH` in the container; its stderr (and the default-container notice) is kubectl's stdout
  let tarOut = notice;
  if (!fs.exists(host, remote)) {
    if (flavour === 'busybox') {
      tarOut += `tar: ${src.file}: No such file or directory\ntar: error exit delayed from previous errors\n`;
      return { stdout: tarOut, stderr: 'command terminated with exit code 1\n', exitCode: 1 };
    }
    if (src.file.startsWith('/')) tarOut += "tar: Removing leading `/' from member names\n";
    tarOut += `tar: ${src.file}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n`;
    return { stdout: tarOut, stderr: 'command terminated with exit code 2\n', exitCode: 2 };
  }
  const lead = /^\/+/.exec(src.file)?.[0];
  if (lead) tarOut += flavour === 'busybox' ? `tar: removing leading '${lead}' from member names\n` : `tar: Removing leading \`${lead}' from member names\n`;
  const entries = collect(fs, host, remote);
  // untarAll: each member under the local destination, parents made as needed
  const ws = k.ctx.host;
  const base = localPath(k, dest.file);
  for (const e of entries) {
    const target = normalizePath(e.rel ? `${base}/${e.rel}` : base);
    if (e.dir) {
      if (fs.isFile(ws, target)) throw new KubectlError(`error: mkdir ${displayJoin(dest.file, e.rel)}: not a directory`, 1, tarOut);
      fs.mkdir(ws, target, true);
      continue;
    }
    if (fs.isDir(ws, target)) throw new KubectlError(`error: open ${displayJoin(dest.file, e.rel)}: is a directory`, 1, tarOut);
    const parent = target.slice(0, target.lastIndexOf('/')) || '/';
    if (!fs.isDir(ws, parent) && !fs.mkdir(ws, parent, true)) throw new KubectlError(`error: mkdir ${parent}: not a directory`, 1, tarOut);
    fs.write(ws, target, e.content ?? '');
  }
  return { stdout: tarOut, stderr: '', exitCode: 0 };
}

/** localPath.Join as kubectl prints it in an error (filepath.Join cleans the path). */
function displayJoin(dest: string, rel: string): string {
  const joined = rel ? `${dest}/${rel}` : dest;
  const abs = joined.startsWith('/');
  const clean = normalizePath(joined);
  return abs ? clean : clean.slice(1) || '.';
}

function copyToPod(k: Kctx, src: FileSpec, dest: FileSpec): CommandOutcome {
  const fs = k.cluster.fs;
  const ws = k.ctx.host;
  const local = localPath(k, src.file);
  if (!fs.exists(ws, local)) throw new KubectlError(`error: ${src.file} doesn't exist in local filesystem`);
  const pod = podOf(k, dest);
  const { host, notice } = execTarget(k, pod, flagString(k.flags, 'container'), false);
  void flagBool(k.flags, 'no-preserve');
  // checkDestinationIsDir: `test -d DEST` in the container
  let remote = normalizePath(dest.file.startsWith('/') ? dest.file : `/${dest.file}`);
  if (fs.isDir(host, remote)) remote = normalizePath(`${remote}/${local.slice(local.lastIndexOf('/') + 1)}`);
  const dir = remote.slice(0, remote.lastIndexOf('/')) || '/';
  const destDir = dest.file.startsWith('/') ? dir : dir.slice(1) || '.';
  const flavour = tarFlavour(k, host);
  // `tar -xmf - -C DIR`
  if (!fs.isDir(host, dir)) {
    if (flavour === 'busybox') return { stdout: '', stderr: `${notice}tar: can't change directory to '${destDir}': No such file or directory\ncommand terminated with exit code 1\n`, exitCode: 1 };
    return { stdout: '', stderr: `${notice}tar: ${destDir}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\ncommand terminated with exit code 2\n`, exitCode: 2 };
  }
  const entries = collect(fs, ws, local);
  for (const e of entries) {
    const target = normalizePath(e.rel ? `${remote}/${e.rel}` : remote);
    if (e.dir) fs.mkdir(host, target, true);
    else fs.write(host, target, e.content ?? '');
  }
  return { stdout: '', stderr: notice, exitCode: 0 };
}

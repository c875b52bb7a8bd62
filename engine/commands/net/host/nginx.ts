/**
 * nginx inside the official nginx image (src/core/nginx.c at release-1.27.3, built by
 * nginx.org's packages: --prefix=/etc/nginx, --conf-path=/etc/nginx/nginx.conf,
 * --error-log-path=/var/log/nginx/error.log, pkg-oss debian/Makefile):
 *  - `-v`: ngx_show_version_info's "nginx version: nginx/X" on stderr; `-h`/`-?` its usage;
 *  - `-t`: ngx_init_cycle's "the configuration file %s syntax is ok" and main's "configuration
 *    file %s test is successful" on stderr (ngx_log_stderr's "nginx: " prefix); `-q` hides them;
 *  - `-T`: the same, then each file the configuration read as ngx_conf_dump keeps them — "#
 *    configuration file NAME:", the text, a newline — nginx.conf, mime.types, conf.d/*.conf in
 *    glob order, as this container's filesystem holds them (a learner's edits included);
 *  - `-s stop|quit|reopen|reload`: the signal process's "[notice] N#N: signal process
 *    started", which reaches the exec's stderr because the image links error.log to /dev/stderr;
 *  - ngx_get_options' errors: `invalid option: "%s"`, `option "-s" requires parameter`.
 *  - `-V`: the version, then ngx_show_version_info's build lines (hosts/nginx.ts NGINX_BUILD_INFO).
 * In the ingress-nginx controller image the nginx is ingress-nginx's 1.25.5 build (-v, -h with its
 * /usr/local/nginx/ prefix, -t, and -T dumping nginx.conf and the files it includes); its -V and -s
 * are not simulated.
 * The configuration is not parsed: a broken file still tests as ok. Starting a second master
 * (no option) is not simulated, nor `-V` of a build not in the table.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { HostRef } from '../../../types';
import { hostImage, hostPod } from '../../../hosts/hosts';
import { imageName, imageProfile, imageTag, nginxVersion } from '../../../hosts/images';
import { NGINX_BUILD_INFO, NGINX_CONF, NGINX_IMAGE_FILES, NGINX_MIME_TYPES, isNginxImage, nginxDefaultConf } from '../../../hosts/nginx';
import { nginxIndexHtml } from '../../../dataplane/apps';
import { unmodelledCommand } from '../catalog/unmodelled';

const CONF = '/etc/nginx/nginx.conf';

function usage(version: string, prefix = '/etc/nginx/'): string {
  return `nginx version: nginx/${version}
Usage: nginx [-?hvVtTq] [-s signal] [-p prefix]
             [-e filename] [-c filename] [-g directives]

Options:
  -?,-h         : this help
  -v            : show version and exit
  -V            : show version and configure options then exit
  -t            : test configuration and exit
  -T            : test configuration, dump it and exit
  -q            : suppress non-error messages during configuration testing
  -s signal     : send signal to a master process: stop, quit, reopen, reload
  -p prefix     : set prefix path (default: ${prefix})
  -e filename   : set error log file (default: /var/log/nginx/error.log)
  -c filename   : set configuration file (default: /etc/nginx/nginx.conf)
  -g directives : set global directives out of configuration file

`;
}

/** nginx's error-log time: 2025/01/15 08:55:02 */
function logTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** The nginx container this host is, if its image is the official nginx. */
function nginxContainer(cluster: ClusterRuntime, host: HostRef): { image: string; command?: string[] } | undefined {
  const image = hostImage(cluster, host);
  if (host.kind !== 'pod' || !isNginxImage(image)) return undefined;
  const pod = hostPod(cluster, host);
  const c = ((pod?.spec?.containers ?? []) as { name: string; command?: string[] }[]).find((x) => x.name === host.container) ?? pod?.spec?.containers?.[0];
  return { image: image!, command: c?.command };
}

/**
 * ingress-nginx's controller image: its nginx is ingress-nginx's own build (images/nginx/rootfs/build.sh at
 * controller-v1.12.0: NGINX_VERSION=1.25.5, --prefix=/usr/local/nginx, --conf-path=/etc/nginx/nginx.conf,
 * --error-log-path=/var/log/nginx/error.log), the configuration the controller rendered.
 */
const INGRESS_NGINX_VERSION = '1.25.5';
const isIngressNginxController = (image: string | undefined) => !!image && imageProfile(image).family === 'ingress-nginx';

/** Registers the image's /etc/nginx files on nginx containers (a learner's write replaces them). */
export function registerNginxFiles(cluster: ClusterRuntime): void {
  const isNginx = (h: HostRef) => nginxContainer(cluster, h) !== undefined;
  cluster.fs.provide(isNginx, CONF, () => NGINX_CONF);
  cluster.fs.provide(isNginx, '/etc/nginx/mime.types', () => NGINX_MIME_TYPES);
  // the entrypoint's 10-listen-on-ipv6-by-default.sh runs unless `command:` replaced the entrypoint
  cluster.fs.provide(isNginx, '/etc/nginx/conf.d/default.conf', (h) => nginxDefaultConf(!nginxContainer(cluster, h)?.command?.length));
  // the welcome page of the image's nginx release (dataplane/apps.ts nginxIndexHtml: 612 bytes before 1.21.2)
  cluster.fs.provide(isNginx, '/usr/share/nginx/html/index.html', (h) => nginxIndexHtml(nginxVersion(nginxContainer(cluster, h)?.image ?? '').version));
  for (const [path, text] of Object.entries(NGINX_IMAGE_FILES)) cluster.fs.provide(isNginx, path, () => text);
  // nginxinc/nginx-unprivileged is built FROM nginx: the same docroot (its server answers from it, dataplane/apps.ts);
  // registry.k8s.io/nginx-slim installs nginx's html/ under its --prefix=/usr/share/nginx (ingress-nginx images/nginx-slim build.sh)
  const unprivileged = (h: HostRef) => h.kind === 'pod' && /(^|\/)nginx-(unprivileged|slim)$/.test(imageName(hostImage(cluster, h) ?? ''));
  cluster.fs.provide(unprivileged, '/usr/share/nginx/html/index.html', (h) => nginxIndexHtml(nginxVersion(hostImage(cluster, h) ?? '').version));
  cluster.fs.provide(unprivileged, '/usr/share/nginx/html/50x.html', () => NGINX_IMAGE_FILES['/usr/share/nginx/html/50x.html']);
}

const unmodelled = unmodelledCommand('nginx');

export const nginxCommand: CommandSpec = {
  name: 'nginx',
  summary: 'HTTP and reverse proxy server',
  run(args: string[], ctx: CommandContext): RunResult {
    const controller = ctx.host.kind === 'pod' && isIngressNginxController(hostImage(ctx.cluster, ctx.host));
    const c = controller ? { image: hostImage(ctx.cluster, ctx.host)!, command: undefined } : nginxContainer(ctx.cluster, ctx.host);
    if (!c) return unmodelled.run(args, ctx) as RunResult;
    const version = controller ? INGRESS_NGINX_VERSION : nginxVersion(c.image).version;
    const err = (msg: string): RunResult => ({ stdout: '', stderr: `nginx: ${msg}\n`, exitCode: 1 });
    let help = false, showVersion = false, configure = false, test = false, dump = false, quiet = false;
    let signal: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (!a.startsWith('-')) return err(`invalid option: "${a}"`);
      for (let j = 1; j < a.length; j++) {
        const ch = a[j];
        const value = (name: string, what: string): string | RunResult => {
          const v = a.slice(j + 1) || args[++i];
          j = a.length;
          return v === undefined ? err(`option "-${name}" requires ${what}`) : v;
        };
        if (ch === '?' || ch === 'h') help = showVersion = true;
        else if (ch === 'v') showVersion = true;
        else if (ch === 'V') showVersion = configure = true;
        else if (ch === 't') test = true;
        else if (ch === 'T') test = dump = true;
        else if (ch === 'q') quiet = true;
        else if (ch === 's') {
          const v = value('s', 'parameter');
          if (typeof v !== 'string') return v;
          if (!['stop', 'quit', 'reopen', 'reload'].includes(v)) return err(`invalid option: "-s ${v}"`);
          signal = v;
        } else if ('pecg'.includes(ch)) {
          const v = value(ch, ch === 'p' ? 'directory name' : ch === 'g' ? 'parameter' : 'file name');
          if (typeof v !== 'string') return v;
        } else return err(`invalid option: "${ch}"`);
      }
    }
    // -V: the build of the Debian image this release's row describes; other builds (Alpine's, the controller's) are not simulated
    const build = configure ? (controller || imageTag(c.image).includes('alpine') ? undefined : NGINX_BUILD_INFO[version]) : '';
    if (build === undefined) return unmodelled.run(args, ctx) as RunResult;
    // main(): the version (and usage) first; only -t goes on after it
    const shown = showVersion ? (help ? usage(version, controller ? '/usr/local/nginx/' : '/etc/nginx/') : `nginx version: nginx/${version}\n`) + build : '';
    if (showVersion && !test) return { stdout: '', stderr: shown, exitCode: 0 };
    if (test) {
      const r = controller ? runControllerTest(ctx, quiet, dump) : runTest(ctx, quiet, dump);
      return { ...r, stderr: shown + r.stderr };
    }
    // the controller's master is not ours to signal here (it reloads it itself)
    if (signal && !controller) {
      const pod = hostPod(ctx.cluster, ctx.host);
      const cpus = Number(ctx.cluster.store.get('Node', undefined, pod?.spec?.nodeName ?? '')?.status?.capacity?.cpu ?? 2) || 2;
      // the next PID after the master (1) and its worker processes (29…), as the start-up log numbers them
      const pid = 29 + cpus;
      return { stdout: '', stderr: `${logTime(ctx.cluster.clock.now())} [notice] ${pid}#${pid}: signal process started\n`, exitCode: 0 };
    }
    return unmodelled.run(args, ctx) as RunResult;
  },
};

function runTest(ctx: CommandContext, quiet: boolean, dump: boolean): RunResult {
  const fs = ctx.cluster.fs;
  const stderr = quiet ? '' : `nginx: the configuration file ${CONF} syntax is ok\nnginx: configuration file ${CONF} test is successful\n`;
  if (!dump) return { stdout: '', stderr, exitCode: 0 };
  const files = [CONF, '/etc/nginx/mime.types', ...(fs.list(ctx.host, '/etc/nginx/conf.d') ?? []).map((f) => `/etc/nginx/conf.d/${f.name}`).filter((p) => p.endsWith('.conf')).sort()];
  let stdout = '';
  for (const f of files) {
    const text = fs.read(ctx.host, f);
    if (text === undefined) continue;
    stdout += `# configuration file ${f}:\n${text}\n`;
  }
  return { stdout, stderr, exitCode: 0 };
}

/**
 * `nginx -t`/`-T` in the ingress-nginx controller: the same texts, and -T dumps what
 * ngx_conf_parse read — nginx.conf, then each file an `include` directive names, in the
 * order the parse meets them (ngx_conf_add_dump skips a file already dumped).
 */
function runControllerTest(ctx: CommandContext, quiet: boolean, dump: boolean): RunResult {
  const fs = ctx.cluster.fs;
  const stderr = quiet ? '' : `nginx: the configuration file ${CONF} syntax is ok\nnginx: configuration file ${CONF} test is successful\n`;
  if (!dump) return { stdout: '', stderr, exitCode: 0 };
  const conf = fs.read(ctx.host, CONF) ?? '';
  const files = [CONF];
  for (const m of conf.matchAll(/^[ \t]*include[ \t]+([^;\s]+);/gm)) if (!files.includes(m[1])) files.push(m[1]);
  let stdout = '';
  for (const f of files) {
    const text = fs.read(ctx.host, f);
    if (text === undefined) continue;
    stdout += `# configuration file ${f}:\n${text}\n`;
  }
  return { stdout, stderr, exitCode: 0 };
}

/** kubectl's top-level help (k8s.io/kubectl/pkg/cmd/cmd.go command groups) and its command names. */
export const HELP_TEXT = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  edit            Edit a resource on the server
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller
  autoscale       Auto-scale a deployment, replica set, stateful set, or replication controller

Cluster Management Commands:
  certificate     Modify certificate resources
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage
  cordon          Mark node as unschedulable
  uncordon        Mark node as schedulable
  drain           Drain node in preparation for maintenance
  taint           Update the taints on one or more nodes

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  attach          Attach to a running container
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod
  proxy           Run a proxy to the Kubernetes API server
  cp              Copy files and directories to and from containers
  auth            Inspect authorization
  debug           Create debugging sessions for troubleshooting workloads and nodes
  events          List events

Advanced Commands:
  diff            Diff the live version against a would-be applied version
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  replace         Replace a resource by file name or stdin
  wait            Experimental: Wait for a specific condition on one or many resources
  kustomize       Build a kustomization target from a directory or URL

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource
  completion      Output shell completion code for the specified shell (bash, zsh, fish, or powershell)

Subcommands provided by plugins:

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of "group/version"
  config          Modify kubeconfig files
  plugin          Provides utilities for interacting with plugins
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

/** Every kubectl command, sorted as cobra sorts them (for `Did you mean this?`). */
export const KUBECTL_COMMANDS = [
  'annotate', 'api-resources', 'api-versions', 'apply', 'attach', 'auth', 'autoscale', 'certificate', 'cluster-info',
  'completion', 'config', 'cordon', 'cp', 'create', 'debug', 'delete', 'describe', 'diff', 'drain', 'edit', 'events',
  'exec', 'explain', 'expose', 'get', 'help', 'kustomize', 'label', 'logs', 'options', 'patch', 'plugin',
  'port-forward', 'proxy', 'replace', 'rollout', 'run', 'scale', 'set', 'taint', 'top', 'uncordon', 'version', 'wait',
];

// ---- `kubectl VERB --help` (k8s.io/kubectl/pkg/util/templates) ----------------------------------

export interface HelpFlag {
  name: string;
  short: string;
  /** pflag's type name (bool, string, stringSlice, duration, int…). */
  type: string;
  /** pflag's DefValue. */
  def: string;
  usage: string;
}

export interface VerbHelp {
  use: string;
  short: string;
  long?: string;
  example?: string;
  aliases: string[];
  disableFlagsInUseLine: boolean;
  runnable: boolean;
  subcommands: { name: string; short: string }[];
  flags?: HelpFlag[];
}

/**
 * help_flags_printer.go writeFlag + PrintHelpFlag: `    -s, --name=DEF:` (a string's default in
 * single quotes), then the usage on the next line after a tab. Written to a pipe, GetWordWrapperLimit
 * fails and the limit underflows, so the usage is one line (its own newlines become spaces).
 */
export function helpFlagUsage(f: HelpFlag): string {
  const def = f.type === 'string' ? `'${f.def}'` : f.def;
  const head = f.short ? `    -${f.short}, --${f.name}=${def}:` : `    --${f.name}=${def}:`;
  return `${head}\n\t${f.usage.split('\n').join(' ')}\n\n`;
}

/**
 * cobra's help through kubectl's templates (templates.go MainHelpTemplate, MainUsageTemplate):
 * the Long text (or Short), then Aliases, Examples, Available Commands, Options, Usage and the
 * two hints, each section when the command has it.
 */
export function renderVerbHelp(path: string, h: VerbHelp): string {
  const verb = path.split(' ').pop()!;
  const parent = path.split(' ').slice(0, -1);
  let out = (h.long || h.short).trim() + '\n\n';
  if (h.aliases.length) out += `Aliases:\n${[verb, ...h.aliases].join(', ')}\n\n`;
  if (h.example) out += `Examples:\n${h.example.replace(/\s+$/, '')}\n\n`;
  if (h.subcommands.length) {
    // cobra sorts subcommands by name; NamePadding is the longest name, at least 11
    const subs = [...h.subcommands].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const pad = Math.max(11, ...subs.map((s) => s.name.length));
    out += 'Available Commands:\n' + subs.map((s) => `  ${s.name.padEnd(pad)}   ${s.short}`).join('\n') + '\n\n';
  }
  const flags = h.flags ?? [];
  if (flags.length) out += 'Options:\n' + flags.map(helpFlagUsage).join('').replace(/\s+$/, '') + '\n\n';
  if (h.runnable) {
    // cobra UseLine (+ " [flags]" unless DisableFlagsInUseLine), then templater.usageLine's " [options]"
    let use = ['kubectl', ...parent, h.use].join(' ');
    if (!h.disableFlagsInUseLine && !use.includes('[flags]')) use += ' [flags]';
    if (!use.includes('[options]')) use += ' [options]';
    out += `Usage:\n  ${use}\n\n`;
  }
  if (h.subcommands.length) out += `Use "kubectl ${path} <command> --help" for more information about a given command.\n`;
  if (h.runnable) out += 'Use "kubectl options" for a list of global command-line options (applies to all commands).\n';
  return out;
}

/**
 * kubectl's persistent flags, sorted as pflag lists them: profiling.go (profile,
 * profile-output), cmd.go (warnings-as-errors), kuberc.go (kuberc, on by default in v1.34),
 * cli-runtime config_flags.go (the kubeconfig flags, --password and --username included),
 * match_version.go (match-server-version), component-base's logs flags (log-flush-frequency,
 * -v, --vmodule). `home` fills cache-dir's default ($HOME/.kube/cache).
 */
export function globalHelpFlags(home: string): HelpFlag[] {
  const f = (name: string, short: string, type: string, def: string, usage: string): HelpFlag => ({ name, short, type, def, usage });
  return [
    f('as', '', 'string', '', 'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.'),
    f('as-group', '', 'stringArray', '[]', 'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.'),
    f('as-uid', '', 'string', '', 'UID to impersonate for the operation.'),
    f('cache-dir', '', 'string', `${home}/.kube/cache`, 'Default cache directory'),
    f('certificate-authority', '', 'string', '', 'Path to a cert file for the certificate authority'),
    f('client-certificate', '', 'string', '', 'Path to a client certificate file for TLS'),
    f('client-key', '', 'string', '', 'Path to a client key file for TLS'),
    f('cluster', '', 'string', '', 'The name of the kubeconfig cluster to use'),
    f('context', '', 'string', '', 'The name of the kubeconfig context to use'),
    f('disable-compression', '', 'bool', 'false', 'If true, opt-out of response compression for all requests to the server'),
    f('insecure-skip-tls-verify', '', 'bool', 'false', "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure"),
    f('kubeconfig', '', 'string', '', 'Path to the kubeconfig file to use for CLI requests.'),
    f('kuberc', '', 'string', '', 'Path to the kuberc file to use for preferences. This can be disabled by exporting KUBECTL_KUBERC=false feature gate or turning off the feature KUBERC=off.'),
    f('log-flush-frequency', '', 'duration', '5s', 'Maximum number of seconds between log flushes'),
    f('match-server-version', '', 'bool', 'false', 'Require server version to match client version'),
    f('namespace', 'n', 'string', '', 'If present, the namespace scope for this CLI request'),
    f('password', '', 'string', '', 'Password for basic authentication to the API server'),
    f('profile', '', 'string', 'none', 'Name of profile to capture. One of (none|cpu|heap|goroutine|threadcreate|block|mutex)'),
    f('profile-output', '', 'string', 'profile.pprof', 'Name of the file to write the profile to'),
    f('request-timeout', '', 'string', '0', "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests."),
    f('server', 's', 'string', '', 'The address and port of the Kubernetes API server'),
    f('tls-server-name', '', 'string', '', 'Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used'),
    f('token', '', 'string', '', 'Bearer token for authentication to the API server'),
    f('user', '', 'string', '', 'The name of the kubeconfig user to use'),
    f('username', '', 'string', '', 'Username for basic authentication to the API server'),
    f('v', 'v', 'Level', '0', 'number for the log level verbosity'),
    f('vmodule', '', 'pattern', '', 'comma-separated list of pattern=N settings for file-filtered logging (only works for the default text log format)'),
    f('warnings-as-errors', '', 'bool', 'false', 'Treat warnings received from the server as errors and exit with a non-zero exit code'),
  ];
}

/** `kubectl options` (options.go: cmd.Usage() through templates.go OptionsUsageTemplate). */
export function optionsText(home: string): string {
  return 'The following options can be passed to any command:\n\n' + globalHelpFlags(home).map(helpFlagUsage).join('');
}

// Extracts each kubectl verb's Use, Short, Long, Example and Aliases from the kubectl
// source (k8s.io/kubectl at a tag, read with `git show` from a local clone) and normalizes
// them as pkg/util/templates/normalizers.go does (LongDesc: heredoc + the ASCII markdown
// renderer of markdown.go for the paragraphs, lists and code spans kubectl's texts use;
// Examples: trim, then every line trimmed and indented by two spaces).
// Usage: node scripts/kubectl-help-extract.mjs /path/to/kubectl/clone v0.34.2 --ts > engine/commands/kubectl/help-texts.ts
// (without --ts it prints the same data as JSON, for reading).
import { execFileSync } from 'node:child_process';

const [repo, tag] = process.argv.slice(2);
const show = (p) => execFileSync('git', ['-C', repo, 'show', `${tag}:${p}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
const ls = (dir) => execFileSync('git', ['-C', repo, 'ls-tree', '--name-only', `${tag}:${dir}`], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));

const VERBS = {
  get: ['pkg/cmd/get', 'NewCmdGet'], describe: ['pkg/cmd/describe', 'NewCmdDescribe'], apply: ['pkg/cmd/apply', 'NewCmdApply'],
  create: ['pkg/cmd/create', 'NewCmdCreate'], delete: ['pkg/cmd/delete', 'NewCmdDelete'], label: ['pkg/cmd/label', 'NewCmdLabel'],
  annotate: ['pkg/cmd/annotate', 'NewCmdAnnotate'], scale: ['pkg/cmd/scale', 'NewCmdScale'], expose: ['pkg/cmd/expose', 'NewCmdExposeService'],
  run: ['pkg/cmd/run', 'NewCmdRun'], exec: ['pkg/cmd/exec', 'NewCmdExec'], cp: ['pkg/cmd/cp', 'NewCmdCp'], logs: ['pkg/cmd/logs', 'NewCmdLogs'],
  rollout: ['pkg/cmd/rollout', 'NewCmdRollout'], edit: ['pkg/cmd/edit', 'NewCmdEdit'], 'api-resources': ['pkg/cmd/apiresources', 'NewCmdAPIResources'],
  'api-versions': ['pkg/cmd/apiresources', 'NewCmdAPIVersions'], 'cluster-info': ['pkg/cmd/clusterinfo', 'NewCmdClusterInfo'],
  version: ['pkg/cmd/version', 'NewCmdVersion'], config: ['pkg/cmd/config', 'NewCmdConfig'], explain: ['pkg/cmd/explain', 'NewCmdExplain'],
  patch: ['pkg/cmd/patch', 'NewCmdPatch'], wait: ['pkg/cmd/wait', 'NewCmdWait'], set: ['pkg/cmd/set', 'NewCmdSet'], replace: ['pkg/cmd/replace', 'NewCmdReplace'],
  cordon: ['pkg/cmd/drain', 'NewCmdCordon'], uncordon: ['pkg/cmd/drain', 'NewCmdUncordon'], drain: ['pkg/cmd/drain', 'NewCmdDrain'], taint: ['pkg/cmd/taint', 'NewCmdTaint'],
  events: ['pkg/cmd/events', 'NewCmdEvents'], auth: ['pkg/cmd/auth', 'NewCmdAuth'], 'port-forward': ['pkg/cmd/portforward', 'NewCmdPortForward'],
  debug: ['pkg/cmd/debug', 'NewCmdDebug'], proxy: ['pkg/cmd/proxy', 'NewCmdProxy'], diff: ['pkg/cmd/diff', 'NewCmdDiff'], attach: ['pkg/cmd/attach', 'NewCmdAttach'],
  top: ['pkg/cmd/top', 'NewCmdTop'], options: ['pkg/cmd/options', 'NewCmdOptions'],
};

const pkgCache = new Map();
function pkgSource(dir) {
  if (!pkgCache.has(dir)) pkgCache.set(dir, ls(dir).map((f) => show(`${dir}/${f}`)).join('\n'));
  return pkgCache.get(dir);
}

/** A Go string expression: "…", `…`, i18n.T(x), templates.LongDesc(x), templates.Examples(x), fmt.Sprintf(x, "kubectl"), an identifier, a + b. */
function evalStr(expr, src, depth = 0) {
  expr = expr.trim();
  if (depth > 8) throw new Error(`too deep: ${expr}`);
  let m;
  const terms = splitTop(expr, '+');
  if (terms.length > 1) return { s: terms.map((p) => evalStr(p, src, depth + 1).s).join('') };
  if ((m = /^`([^`]*)`$/s.exec(expr))) return { s: m[1] };
  if ((m = /^"((?:[^"\\]|\\.)*)"$/s.exec(expr))) return { s: JSON.parse(`"${m[1]}"`) };
  if ((m = /^i18n\.T\((.*)\)$/s.exec(expr))) return evalStr(m[1], src, depth + 1);
  if ((m = /^templates\.LongDesc\((.*)\)$/s.exec(expr))) return { s: longDesc(evalStr(m[1], src, depth + 1).s) };
  if ((m = /^templates\.Examples\((.*)\)$/s.exec(expr))) return { s: examples(evalStr(m[1], src, depth + 1).s) };
  if ((m = /^cmdutil\.SuggestAPIResources\((parent|"kubectl")\)$/.exec(expr))) return { s: longDesc('Use "kubectl api-resources" for a complete list of supported resources.') };
  if ((m = /^dedent\.Dedent\((.*)\)$/s.exec(expr))) return { s: dedent(evalStr(m[1], src, depth + 1).s) };
  if ((m = /^fmt\.Sprintf\((.*)\)$/s.exec(expr))) {
    const [f0, ...args] = splitTop(m[1], ',').filter((a) => a.trim() !== '');
    const f = evalStr(f0, src, depth + 1).s;
    const vals = args.map((a) => ARGS[a.trim()] ?? evalStr(a, src, depth + 1).s);
    let k = 0;
    return { s: f.replace(/%\[(\d)\][sdv]/g, (_m, n) => vals[Number(n) - 1]).replace(/%[sdv]/g, () => vals[k++]) };
  }
  if (KNOWN[expr] !== undefined) return { s: KNOWN[expr] };
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(expr)) {
    const re = new RegExp(`(?:^|\\n)\\s*(?:var\\s+|const\\s+)?${expr}\\s*:?=\\s*`, 'g');
    const hit = re.exec(src);
    if (!hit) throw new Error(`unresolved ${expr}`);
    return evalStr(takeExpr(src, hit.index + hit[0].length), src, depth + 1);
  }
  if (expr.includes(' + ')) return { s: splitTop(expr, '+').map((p) => evalStr(p, src, depth + 1).s).join('') };
  throw new Error(`cannot evaluate: ${expr.slice(0, 80)}`);
}

/** Values computed at run time, as kubectl v0.34 computes them. */
// cli-runtime PrintFlags.AllowedFormats: JSONYaml, Name, GoTemplate, JSONPath (get adds custom-columns and the human printer's wide)
const FORMATS_ALL = 'json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file';
const ARGS = {
  parent: 'kubectl',
  '"kubectl"': 'kubectl',
  'strings.Join(o.PrintFlags.AllowedFormats(), "|")': `${FORMATS_ALL}|custom-columns|custom-columns-file|wide`,
  'strings.Join(o.PrintFlags.AllowedFormats(), "|")\n': `${FORMATS_ALL}|custom-columns|custom-columns-file|wide`,
  'validation.DNS1123SubdomainMaxLength': '253',
  'validation.LabelValueMaxLength': '63',
  // patch.go: the keys of patchTypes, sorted
  'sets.List(sets.KeySet(patchTypes))': '[json merge strategic]',
  'strings.Join(flags.PrintFlags.AllowedFormats(), "|")': FORMATS_ALL,
};
const KNOWN = {
  // client-go tools/clientcmd overrides.go flag names
  'clientcmd.FlagClusterName': 'cluster', 'clientcmd.FlagAuthInfoName': 'user', 'clientcmd.FlagContext': 'context', 'clientcmd.FlagNamespace': 'namespace',
  'clientcmd.FlagAPIServer': 'server', 'clientcmd.FlagTLSServerName': 'tls-server-name', 'clientcmd.FlagInsecure': 'insecure-skip-tls-verify',
  'clientcmd.FlagCertFile': 'client-certificate', 'clientcmd.FlagKeyFile': 'client-key', 'clientcmd.FlagCAFile': 'certificate-authority',
  'clientcmd.FlagEmbedCerts': 'embed-certs', 'clientcmd.FlagBearerToken': 'token', 'clientcmd.FlagImpersonate': 'as', 'clientcmd.FlagImpersonateUID': 'as-uid',
  'clientcmd.FlagImpersonateGroup': 'as-group', 'clientcmd.FlagUsername': 'username', 'clientcmd.FlagPassword': 'password', 'clientcmd.FlagProxyURL': 'proxy-url',
  'corev1.DockerConfigJsonKey': '.dockerconfigjson',
  // create_token.go boundObjectKinds' keys, sorted
  'strings.Join(sets.List(sets.KeySet(boundObjectKinds)), ", ")': 'Node, Pod, Secret',
  'apply.FieldManagerClientSideApply': 'kubectl-client-side-apply',
  'FieldManagerClientSideApply': 'kubectl-client-side-apply',
  // config.go: clientcmd's default path options
  'pathOptions.ExplicitFileFlag': 'kubeconfig',
  'pathOptions.EnvVar': 'KUBECONFIG',
  'path.Join("${HOME}", pathOptions.GlobalFileSubpath)': '${HOME}/.kube/config',
};

/** lithammer/dedent.Dedent: the common leading whitespace of the non-blank lines removed. */
function dedent(s) {
  const lines = s.split('\n');
  const ind = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)[0].length));
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(ind))).join('\n');
}

/** The Go expression starting at i, up to the end of its line outside brackets, strings and raw strings. */
function takeExpr(src, i) {
  let depth = 0;
  let j = i;
  for (; j < src.length; j++) {
    const c = src[j];
    if (c === '`') j = src.indexOf('`', j + 1);
    else if (c === '"') {
      for (j++; src[j] !== '"'; j++) if (src[j] === '\\') j++;
    } else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      if (depth === 0) break;
      depth--;
    } else if ((c === '\n' || c === ',') && depth === 0) {
      if (c === '\n' && /[+(]\s*$/.test(src.slice(i, j))) continue;
      break;
    }
  }
  return src.slice(i, j);
}

function splitTop(expr, sep) {
  const out = [];
  let depth = 0, start = 0;
  for (let j = 0; j < expr.length; j++) {
    const c = expr[j];
    if (c === '`') j = expr.indexOf('`', j + 1);
    else if (c === '"') { for (j++; expr[j] !== '"'; j++) if (expr[j] === '\\') j++; }
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === sep && depth === 0) { out.push(expr.slice(start, j)); start = j + 1; }
  }
  out.push(expr.slice(start));
  return out;
}

/** MakeNowJust/heredoc.Doc: drop the first line if blank, remove the smallest indentation of the non-blank lines. */
function heredoc(s) {
  let lines = s.split('\n');
  if (lines[0].trim() === '') lines = lines.slice(1);
  const ind = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)[0].length));
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(ind))).join('\n');
}

/** markdown.go's ASCIIRenderer over blackfriday's blocks, for the markdown kubectl's Long texts use. */
function markdown(s) {
  const blocks = s.split(/\n[ \t]*\n/);
  let out = '';
  for (const b of blocks) {
    let lines = b.split('\n').filter((l) => l.trim() !== '');
    if (!lines.length) continue;
    // an indented code block (a tab or four spaces) runs until the first line that is not indented
    const code = [];
    while (lines.length && /^(    |\t)/.test(lines[0])) code.push(lines.shift());
    if (code.length) {
      // CodeBlock: a line break, then each line of its literal (ending in a newline) trimmed and indented by 8
      out += '\n' + [...code, ''].map((l) => '        ' + l.replace(/^(    |\t)/, '').trim()).join('\n');
      if (!lines.length) continue;
    }
    if (/^\s*([*+-]|\d+\.)\s/.test(lines[0])) {
      // a list: "\n" then each item indented by the level, "* " or "N. ", its text, "\n"
      out += '\n';
      let n = 0;
      const items = [];
      for (const l of lines) {
        if (/^\s*([*+-]|\d+\.)\s/.test(l)) items.push([l.replace(/^\s*([*+-]|\d+\.)\s+/, ''), /^\s*\d+\./.test(l)]);
        else items[items.length - 1][0] += '\n' + l;
      }
      for (const [text, ordered] of items) {
        n++;
        out += '  ' + (ordered ? `${n}. ` : '* ') + inline(text) + '\n';
      }
      continue;
    }
    out += '\n' + inline(lines.join('\n')) + '\n';
  }
  return out + '\n';
}

/** Inline text: each line trimmed with a space before it (unless it starts with `_`), `code` spans on their own indented line. */
function inline(text) {
  let out = '';
  const text1 = (t) => {
    for (const line of t.split('\n')) {
      const tr = line.replace(/^[ \n\t]+|[ \n\t]+$/g, '');
      if (tr.length > 0 && tr[0] !== '_') out += ' ';
      out += tr;
    }
  };
  for (const p of text.split(/(`[^`]*`|\[[^\]]*\]\([^)]*\))/)) {
    let m;
    if (p.length > 1 && p.startsWith('`') && p.endsWith('`')) {
      // Code: a line break, then the span indented by 8
      out += '\n' + '        ' + p.slice(1, -1).trim();
    } else if ((m = /^\[([^\]]*)\]\(([^)]*)\)$/.exec(p))) {
      // Link: " DEST" when the renderer enters it and again when it leaves, its text between
      out += ' ' + m[2];
      text1(m[1]);
      out += ' ' + m[2];
    } else text1(p);
  }
  return out;
}

function longDesc(s) {
  if (!s) return s;
  return markdown(heredoc(s)).trim();
}

function examples(s) {
  if (!s) return s;
  return s.trim().split('\n').map((l) => '  ' + l.trim()).join('\n');
}

/** The cobra.Command literal a constructor returns: its fields. */
function commandOf(dir, fn) {
  const src = pkgSource(dir);
  const at = src.indexOf(`func ${fn}(`);
  if (at < 0) throw new Error(`${fn} not found in ${dir}`);
  const lit = src.indexOf('&cobra.Command{', at);
  const body = src.slice(lit + '&cobra.Command{'.length);
  const field = (name) => {
    const m = new RegExp(`\\n\\s*${name}:\\s*`).exec(body.slice(0, body.indexOf('\n\t}')));
    if (!m) return undefined;
    return takeExpr(body, m.index + m[0].length);
  };
  const get = (name) => {
    const e = field(name);
    if (e === undefined) return undefined;
    try {
      return evalStr(e, src).s;
    } catch (err) {
      return { error: String(err.message ?? err) };
    }
  };
  const aliases = field('Aliases');
  const noFlagsInUse = /^true/.test(field('DisableFlagsInUseLine') ?? '');
  const runnable = field('Run') !== undefined || field('RunE') !== undefined;
  const fnBody = src.slice(at, src.indexOf('\n}\n', at));
  const subs = [...fnBody.matchAll(/AddCommand\(([A-Za-z]+)\(/g)].map((m) => m[1]);
  return {
    use: get('Use'),
    short: get('Short'),
    long: get('Long'),
    example: get('Example'),
    aliases: aliases ? [...aliases.matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [],
    disableFlagsInUseLine: noFlagsInUse,
    runnable,
    subcommandFns: subs,
    subcommands: subs.map((s) => {
      try {
        const c = commandOf(dir, s);
        const name = typeof c.use === 'string' ? c.use.split(' ')[0] : s.replace(/^NewCmd(Config|Create|Set|Auth|Top|Rollout|ClusterInfo|ApplyEditLastApplied|Apply)?/, '').replace(/[A-Z]/g, (x, i) => (i ? '-' : '') + x.toLowerCase());
        return { name, short: c.short };
      } catch (err) {
        return { name: s, error: String(err.message ?? err) };
      }
    }),
  };
}

// ---- flags -----------------------------------------------------------------------------------

const FILENAME_USAGE_PREFIX = 'Filename, directory, or URL to files ';
const SELECTOR = "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.";
const APPLY_ANNOTATION = 'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.';
const TEMPLATE = 'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].';
const MISSING_KEYS = 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.';
const VALIDATE = `Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.`;
const DRY_RUN = `Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.`;
const F = (name, short, type, def, usage) => ({ name, short, type, def, usage });

/** pkg/cmd/util/helpers.go's Add* helpers (v0.34.2), by the arguments they get. */
function helperFlags(name, args) {
  switch (name) {
    case 'AddFilenameOptionFlags':
      return [F('filename', 'f', 'stringSlice', '[]', FILENAME_USAGE_PREFIX + args.usage), F('kustomize', 'k', 'string', '', "Process the kustomization directory. This flag can't be used together with -f or -R."), F('recursive', 'R', 'bool', 'false', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.')];
    case 'AddJsonFilenameFlag':
      return [F('filename', 'f', 'stringSlice', '[]', args.usage)];
    case 'AddValidateFlags':
      return [F('validate', '', 'string', 'strict', VALIDATE)];
    case 'AddDryRunFlag':
      return [F('dry-run', '', 'string', 'none', DRY_RUN)];
    case 'AddFieldManagerFlagVar':
      return [F('field-manager', '', 'string', args.def, 'Name of the manager used to track field ownership.')];
    case 'AddContainerVarFlags':
      return [F('container', 'c', 'string', args.def, 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen')];
    case 'AddServerSideApplyFlags':
      return [F('server-side', '', 'bool', 'false', 'If true, apply runs in the server instead of the client.'), F('force-conflicts', '', 'bool', 'false', 'If true, server-side apply will force the changes against conflicts.')];
    case 'AddPodRunningTimeoutFlag':
      return [F('pod-running-timeout', '', 'duration', args.def, 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running')];
    case 'AddApplyAnnotationFlags':
    case 'AddApplyAnnotationVarFlags':
      return [F('save-config', '', 'bool', 'false', APPLY_ANNOTATION)];
    case 'AddChunkSizeFlag':
      return [F('chunk-size', '', 'int64', '500', 'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.')];
    case 'AddLabelSelectorFlagVar':
      return [F('selector', 'l', 'string', '', SELECTOR)];
    case 'AddPruningFlags':
      // the ApplySet alpha is off by default, so --prune without --applyset
      return [F('prune-allowlist', '', 'stringArray', '[]', 'Overwrite the default allowlist with <group/version/kind> for --prune'), F('all', '', 'bool', 'false', 'Select all resources in the namespace of the specified resource types.'), F('prune', '', 'bool', 'false', 'Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all.')];
    case 'AddOverrideFlags':
      // override_options.go
      return [F('overrides', '', 'string', '', 'An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.'), F('override-type', '', 'string', 'merge', 'The method used to override the generated object: json, merge, or strategic.')];
    case 'AddSubresourceFlags':
      return [F('subresource', '', 'string', '', args.usage)];
    default:
      return undefined;
  }
}

/** cli-runtime genericclioptions.PrintFlags.AddFlags: show-managed-fields, template, allow-missing-template-keys, -o. */
function printFlags(formats) {
  return [
    F('show-managed-fields', '', 'bool', 'false', 'If true, keep the managedFields when printing objects in JSON or YAML format.'),
    F('template', '', 'string', '', TEMPLATE),
    F('allow-missing-template-keys', '', 'bool', 'true', MISSING_KEYS),
    F('output', 'o', 'string', '', `Output format. One of: (${formats.join(', ')}).`),
  ];
}
const GENERIC_FORMATS = FORMATS_ALL.split('|');

function zero(type) {
  return { bool: 'false', string: '', stringSlice: '[]', stringArray: '[]', stringToString: '[]', duration: '0s', int: '0', int32: '0', int64: '0', float32: '0', float64: '0' }[type] ?? '';
}

const METHOD_TYPES = { Bool: 'bool', String: 'string', Int: 'int', Int32: 'int32', Int64: 'int64', Duration: 'duration', StringSlice: 'stringSlice', StringArray: 'stringArray', StringToString: 'stringToString', Float32: 'float32', Float64: 'float64' };

/** Go's time.Duration.String for whole seconds and minutes. */
function durationString(ns) {
  if (ns === 0) return '0s';
  let sec = Math.round(ns / 1e9);
  const h = Math.floor(sec / 3600);
  sec -= h * 3600;
  const m = Math.floor(sec / 60);
  sec -= m * 60;
  return (h ? `${h}h` : '') + (h || m ? `${m}m` : '') + `${sec}s`;
}

/** A flag's default from its Go expression: literals, the options constructor's field values, constants. */
function evalDefault(expr, type, src, depth = 0) {
  expr = expr.trim().replace(/^\*/, '');
  if (depth > 6) return undefined;
  if (type === 'bool') {
    if (expr === 'true' || expr === 'false') return expr;
    if (expr === 'runtime.GOOS == "windows"') return 'false';
  } else if (type === 'duration') {
    const dm = /^(?:(\d+)\s*\*\s*)?time\.(Second|Minute|Hour|Millisecond)(?:\s*\*\s*(\d+))?$/.exec(expr);
    if (dm) return durationString(Number(dm[1] ?? dm[3] ?? 1) * { Millisecond: 1e6, Second: 1e9, Minute: 60e9, Hour: 3600e9 }[dm[2]]);
    if (expr === '0') return '0s';
  } else if (/^(int|float)/.test(type)) {
    if (/^-?\d+(\.\d+)?$/.test(expr)) return String(Number(expr));
  } else if (type === 'string') {
    if (/^"((?:[^"\\]|\\.)*)"$/.test(expr) || /^`[^`]*`$/.test(expr)) return evalStr(expr, src).s;
  } else if (/^\[\]string\{\}$/.test(expr) || expr === 'nil') return '[]';
  else if ((type === 'stringSlice' || type === 'stringArray') && /^\[\]string\{(.*)\}$/.test(expr)) {
    const items = [...expr.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    return `[${items.join(',')}]`;
  }
  // o.X / options.X / p: the field's value where the options are built, or a constant
  const field = /^(?:[A-Za-z][A-Za-z]*\.)+([A-Za-z][A-Za-z0-9]*)$/.exec(expr)?.[1];
  if (field) {
    const m = new RegExp(`\\n\\s*${field}:\\s*([^\\n]+?),?\\s*(?://.*)?\\n`).exec(src) ?? new RegExp(`[{,]\\s*${field}:\\s*([^,}\\n]+)`).exec(src);
    if (m && m[1].trim() !== expr) return evalDefault(m[1], type, src, depth + 1) ?? zero(type);
    // a local variable the constructor declares (`wait := true`)
    const local = new RegExp(`\\n\\s*${field.charAt(0).toLowerCase() + field.slice(1)}\\s*:=\\s*([^\\n]+)`).exec(src);
    if (local) return evalDefault(local[1], type, src, depth + 1) ?? zero(type);
    return zero(type);
  }
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(expr)) {
    const m = new RegExp(`\\n\\s*(?:const\\s+|var\\s+)?${expr}\\s*(?:[A-Za-z.]+\\s*)?=\\s*([^\\n]+)`).exec(src);
    if (m) return evalDefault(m[1], type, src, depth + 1);
  }
  return undefined;
}

/** The flags a command's constructor defines, in the order it defines them, and the ones it hides. */
function flagsOf(dir, fn, verb, warnings, seen = new Set()) {
  const src = pkgSource(dir);
  const at = src.indexOf(`func ${fn}(`);
  if (at < 0) return [];
  const body = src.slice(at, src.indexOf('\n}\n', at));
  const flags = [];
  const hidden = [];
  const re = /(?:(?:cmd|c|command)\.(?:Flags|PersistentFlags)\(\)|\bflags|\bfs)\.(\w+?)(Var)?(P)?\(|cmdutil\.(Add\w+)\(|([\w.]*?)(PrintFlags|DeleteFlags|RecordFlags|ResourceBuilderFlags)\.AddFlags\(|\n\s*(?:o\.)?(add\w*Flags|AddFlags|addFlags)\(/gi;
  let m;
  while ((m = re.exec(body))) {
    const argsText = takeArgs(body, m.index + m[0].length);
    const args = splitTop(argsText, ',').map((x) => x.trim());
    if (m[1] !== undefined) {
      const method = m[1];
      if (method === 'AddFlags' && !m[2] && !m[3]) {
        // the command's own flags struct (`flags.AddFlags(cmd)`): its AddFlags method in this package
        const fnAt = /func \((\w+) \*(\w+)\) AddFlags\(/g;
        let hit;
        while ((hit = fnAt.exec(src))) if (!/PrintFlags$/.test(hit[2]) && !seen.has(hit[2])) break;
        if (hit) {
          seen.add(hit[2]);
          const sub = flagsOfBody(src.slice(hit.index, src.indexOf('\n}\n', hit.index)), dir, verb, warnings, seen);
          flags.push(...sub.flags);
          hidden.push(...sub.hidden);
        } else warnings.push(`${verb}: AddFlags not found`);
        continue;
      }
      if ((method === 'Var' || method === 'VarPF' || method === 'VarP') && !m[2]) {
        // a flag.Value of its own: cliflag.StringFlag (a string), Tristate (Default(true) or false), MapStringString
        const value = args[0];
        const name = evalStr(args[1], src).s;
        const short = method === 'Var' ? '' : evalStr(args[2], src).s;
        const usage = evalStr(args[method === 'Var' ? 2 : 3], src).s;
        let type = 'string';
        let def = '';
        if (/NewMapStringString/.test(value)) type = 'mapStringString';
        else if (method === 'VarPF') {
          type = 'tristate';
          const field = value.replace(/^&/, '').split('.').pop();
          def = new RegExp(`\\.${field}\\.Default\\(true\\)`).test(src) ? 'true' : 'false';
        }
        flags.push(F(name, short, type, def, usage));
        continue;
      }
      if (method === 'AddOverrideFlags') {
        flags.push(...helperFlags('AddOverrideFlags', {}));
        continue;
      }
      if (method === 'ToOptions' || method === 'RegisterFlagCompletionFunc' || method === 'MarkFlagFilename') continue;
      if (/^(Lookup|MarkHidden|MarkDeprecated|SetNormalizeFunc|AddGoFlagSet|SetAnnotation|MarkShorthandDeprecated|AddFlagSet|Set)$/.test(method + (m[2] ?? '') + (m[3] ?? ''))) {
        const name = /^"([^"]+)"/.exec(args[0] ?? '')?.[1];
        if (name && /MarkHidden|MarkDeprecated/.test(method)) hidden.push(name);
        continue;
      }
      const type = METHOD_TYPES[method.replace(/Var$/, '')];
      if (!type) {
        warnings.push(`${verb}: unknown flag method ${method}`);
        continue;
      }
      if (/PersistentFlags/.test(m[0])) continue; // cobra lists a command's own persistent flags elsewhere
      const a = m[2] ? args.slice(1) : args;
      const name = evalStr(a[0], src).s;
      const short = m[3] ? evalStr(a[1], src).s : '';
      const rest = m[3] ? a.slice(2) : a.slice(1);
      let def = evalDefault(rest[0], type, src);
      if (def === undefined) {
        warnings.push(`${verb}: --${name} default ${rest[0]} unresolved`);
        def = zero(type);
      }
      let usage;
      try {
        usage = evalStr(rest.slice(1).join(','), src).s;
      } catch (e) {
        warnings.push(`${verb}: --${name} usage unresolved (${String(e.message).slice(0, 60)})`);
        usage = '';
      }
      flags.push(F(name, short, type, def, usage));
    } else if (m[4] !== undefined) {
      const helper = m[4];
      if (helper === 'AddSourceToErr') continue;
      const ctx = {};
      if (helper === 'AddFilenameOptionFlags' || helper === 'AddSubresourceFlags' || helper === 'AddJsonFilenameFlag') ctx.usage = evalStr(args[2], src).s;
      if (helper === 'AddFieldManagerFlagVar') ctx.def = evalStr(args[2], src).s;
      if (helper === 'AddContainerVarFlags') ctx.def = evalDefault(args[2], 'string', src) ?? '';
      if (helper === 'AddPodRunningTimeoutFlag') ctx.def = evalDefault(args[1], 'duration', src) ?? '0s';
      const got = helperFlags(helper, ctx);
      if (!got) warnings.push(`${verb}: helper ${helper} not modelled`);
      else flags.push(...got);
    } else if (m[6] !== undefined) {
      const kind = { printflags: 'PrintFlags', deleteflags: 'DeleteFlags', recordflags: 'RecordFlags', resourcebuilderflags: 'ResourceBuilderFlags' }[m[6].toLowerCase()];
      if (kind === 'RecordFlags') continue; // --record is deprecated, so hidden
      if (kind === 'PrintFlags') {
        // genericclioptions.NewPrintFlags(…).WithDefaultOutput(X) in the file of this command (cluster-info dump: json, config view: yaml)
        const file = ls(dir).map((f) => show(`${dir}/${f}`)).find((t) => t.includes(`func ${fn}(`)) ?? '';
        const def = /NewPrintFlags\([^)]*\)(?:\.With\w+\([^)]*\))*\.WithDefaultOutput\("(\w+)"\)/.exec(file)?.[1];
        const pf = PRINT_FLAGS[verb] ?? printFlags(GENERIC_FORMATS);
        flags.push(...pf.map((f) => (f.name === 'output' && def ? { ...f, def } : f)));
      }
      else if (kind === 'DeleteFlags') {
        const usage = /NewDeleteFlags\("([^"]*)"\)/.exec(src)?.[1];
        if (DELETE_FLAGS[verb]) flags.push(...DELETE_FLAGS[verb]);
        else if (usage !== undefined) {
          // delete_flags.go NewDeleteFlags(usage): the file flags, cascade, grace-period, force, timeout, wait (false)
          const names = ['recursive', 'filename', 'kustomize', 'force', 'cascade', 'grace-period', 'timeout', 'wait'];
          flags.push(...DELETE_FLAGS.delete.filter((f) => names.includes(f.name)).map((f) => (f.name === 'filename' ? { ...f, usage } : f.name === 'wait' ? { ...f, def: 'false' } : f)));
        } else warnings.push(`${verb}: DeleteFlags without NewDeleteFlags`);
      }
      else if (kind === 'ResourceBuilderFlags' && verb === 'set selector') {
        // set_selector.go: NewResourceBuilderFlags().WithScheme(…).WithAll(false).WithLocal(false).WithLatest()
        flags.push(
          F('recursive', 'R', 'bool', 'true', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.'),
          F('filename', 'f', 'stringSlice', '[]', 'identifying the resource.'),
          F('all', '', 'bool', 'false', 'Select all resources in the namespace of the specified resource types'),
          F('local', '', 'bool', 'false', 'If true, annotation will NOT contact api-server but run locally.'),
        );
      } else if (kind === 'ResourceBuilderFlags' && verb === 'wait') {
        // wait.go NewWaitFlags: NewResourceBuilderFlags().WithLabelSelector("").WithFieldSelector("").WithAll(false).WithAllNamespaces(false).WithLocal(false).WithLatest()
        flags.push(
          F('recursive', 'R', 'bool', 'true', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.'),
          F('filename', 'f', 'stringSlice', '[]', 'identifying the resource.'),
          F('selector', 'l', 'string', '', "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)"),
          F('field-selector', '', 'string', '', "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
          F('all-namespaces', 'A', 'bool', 'false', 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.'),
          F('all', '', 'bool', 'false', 'Select all resources in the namespace of the specified resource types'),
          F('local', '', 'bool', 'false', 'If true, annotation will NOT contact api-server but run locally.'),
        );
      }
      else warnings.push(`${verb}: ${kind}.AddFlags not modelled`);
    } else if (m[7] !== undefined) {
      // a same-package function that adds flags
      const callee = m[7];
      const fnAt = new RegExp(`func (?:\\([^)]*\\) )?${callee}\\(`).exec(src);
      if (fnAt && !seen.has(callee)) {
        seen.add(callee);
        const name = fnAt[0].replace(/^func (?:\([^)]*\) )?/, '').replace(/\($/, '');
        const sub = flagsOfBody(src.slice(fnAt.index, src.indexOf('\n}\n', fnAt.index)), dir, verb, warnings, seen);
        flags.push(...sub.flags);
        hidden.push(...sub.hidden);
        void name;
      }
    }
  }
  if (/\b(?!flags\.)\w+\.AddOverrideFlags\(cmd\)/.test(body) && !/\bflags\.AddOverrideFlags\(/.test(body)) flags.push(...helperFlags('AddOverrideFlags', {}));
  return { flags, hidden };
}

function flagsOfBody(body, dir, verb, warnings, seen) {
  const key = `__body${seen.size}`;
  const src = pkgSource(dir);
  pkgCache.set(`${dir}#${key}`, src);
  // reuse flagsOf on a synthetic function
  const fake = `func ${key}(` + body.slice(body.indexOf('(') + 1) + '\n}\n';
  pkgCache.set(dir, src + '\n' + fake);
  const r = flagsOf(dir, key, verb, warnings, seen);
  pkgCache.set(dir, src);
  return r;
}

function takeArgs(text, i) {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '`') j = text.indexOf('`', j + 1);
    else if (c === '"') { for (j++; text[j] !== '"'; j++) if (text[j] === '\\') j++; }
    else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      if (depth === 0) return text.slice(i, j);
      depth--;
    }
  }
  return text.slice(i);
}

const PRINT_FLAGS = {
  get: [
    F('show-managed-fields', '', 'bool', 'false', 'If true, keep the managedFields when printing objects in JSON or YAML format.'),
    F('template', '', 'string', '', TEMPLATE),
    F('allow-missing-template-keys', '', 'bool', 'true', MISSING_KEYS),
    F('no-headers', '', 'bool', 'false', 'When using the default or custom-column output format, don\'t print headers (default print headers).'),
    F('show-labels', '', 'bool', 'false', 'When printing, show all labels as the last column (default hide labels column)'),
    F('sort-by', '', 'string', '', "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string."),
    F('label-columns', 'L', 'stringSlice', '[]', 'Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...'),
    F('show-kind', '', 'bool', 'false', 'If present, list the resource type for the requested object(s).'),
    F('output', 'o', 'string', '', `Output format. One of: (${[...GENERIC_FORMATS, 'custom-columns', 'custom-columns-file', 'wide'].join(', ')}). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].`),
  ],
};
/** delete_flags.go NewDeleteCommandFlags("containing the resource to delete.") then AddFlags; FileNameFlags.AddFlags (cli-runtime). */
PRINT_FLAGS['api-resources'] = [
  // apiresources/print_flags.go: JSONYaml, HumanReadable (no sort-by of its own), Name; -o over json, yaml, name, wide; --no-headers
  F('show-managed-fields', '', 'bool', 'false', 'If true, keep the managedFields when printing objects in JSON or YAML format.'),
  F('output', 'o', 'string', '', 'Output format. One of: (json, yaml, name, wide).'),
  F('no-headers', '', 'bool', 'false', "When using the default or custom-column output format, don't print headers (default print headers)."),
];

const DELETE_FLAGS = {
  delete: [
    F('recursive', 'R', 'bool', 'false', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.'),
    F('filename', 'f', 'stringSlice', '[]', 'containing the resource to delete.'),
    F('kustomize', 'k', 'string', '', "Process a kustomization directory. This flag can't be used together with -f or -R."),
    F('selector', 'l', 'string', '', SELECTOR),
    F('field-selector', '', 'string', '', "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
    F('all', '', 'bool', 'false', 'Delete all resources, in the namespace of the specified resource types.'),
    F('all-namespaces', 'A', 'bool', 'false', 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.'),
    F('force', '', 'bool', 'false', 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.'),
    F('cascade', '', 'string', 'background', 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.'),
    F('now', '', 'bool', 'false', 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).'),
    F('grace-period', '', 'int', '-1', 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).'),
    F('timeout', '', 'duration', '0s', 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object'),
    F('ignore-not-found', '', 'bool', 'false', 'Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.'),
    F('wait', '', 'bool', 'true', 'If true, wait for resources to be gone before returning. This waits for finalizers.'),
    F('output', 'o', 'string', '', 'Output mode. Use "-o name" for shorter output (resource/name).'),
    F('raw', '', 'string', '', 'Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file.'),
    F('interactive', 'i', 'bool', 'false', 'If true, delete resource only when user confirms.'),
  ],
};

const out = {};
const warnings = [];
/** A command and, under "PARENT CHILD" keys, its subcommands (their constructors live in the same package). */
function extract(key, dir, fn) {
  const c = commandOf(dir, fn);
  try {
    const { flags, hidden } = flagsOf(dir, fn, key, warnings);
    const byName = new Map();
    for (const f of flags) if (!byName.has(f.name)) byName.set(f.name, f);
    c.flags = [...byName.values()].filter((f) => !hidden.includes(f.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch (e) {
    warnings.push(`${key}: ${e.message}`);
  }
  const subFns = c.subcommandFns;
  delete c.subcommandFns;
  out[key] = c;
  subFns.forEach((sfn, i) => {
    if (!pkgSource(dir).includes(`func ${sfn}(`)) return;
    extract(`${key} ${c.subcommands[i].name}`, dir, sfn);
  });
}
for (const [verb, [dir, fn]] of Object.entries(VERBS)) extract(verb, dir, fn);
process.stderr.write(warnings.join('\n') + '\n');
if (process.argv.includes('--ts')) {
  process.stdout.write(
    `/**\n * Generated by scripts/kubectl-help-extract.mjs from k8s.io/kubectl ${tag} (pkg/cmd/<verb>/*.go: each cobra.Command's\n` +
      ' * Use, Short, Long, Example, Aliases and subcommands, normalized as pkg/util/templates/normalizers.go does; its flags as\n' +
      ' * the constructor, pkg/cmd/util/helpers.go and cli-runtime genericclioptions define them). Do not edit by hand.\n */\n' +
      "import type { VerbHelp } from './help';\n\n" +
      `export const HELP_TEXTS: Record<string, VerbHelp> = ${JSON.stringify(out, null, 2)};\n`,
  );
  process.exit(0);
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');

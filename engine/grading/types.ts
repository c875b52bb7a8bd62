/**
 * The lesson exercise format, as data: a task, its check, its reference solution.
 *
 * A check is one small mapping with a single key naming what it tests; checks compose
 * with `all`, `any` and `not`. Every check is evaluated against the LIVE simulation
 * (objects, the packet walk, the DNS resolver, the command history, the learner's
 * answers) — never against a recorded output. See docs/authoring.md.
 */

/** A label selector as kubectl takes it: `app=web`, `app=web,tier!=db`, `env in (a,b)`, `!canary` — or a map. */
export type LabelSelector = string | Record<string, string>;

/** Names one object. `namespace` defaults to `default` for namespaced kinds. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** Where a probe starts: a Pod (by name or selector), any Pod of a namespace, a node, or the workstation. */
export type Origin =
  | { pod: string; namespace?: string; container?: string }
  | { selector: LabelSelector; namespace?: string }
  | { namespace: string }
  | { node: string }
  | { workstation: true };

/** Where a probe goes: a Service (by name), a Pod (by name or selector), or a literal address. */
export type Target =
  | { service: string; namespace?: string }
  | { pod: string; namespace?: string }
  | { selector: LabelSelector; namespace?: string }
  | { ip: string };

/** Something the cluster knows, computed at check time (for question tasks and comparisons). */
export type Derived =
  /** The value at `path` (dot path, `[n]` for list items) of one object. */
  | { field: ObjectRef & { path: string } }
  /** How many objects of a kind (in a namespace, matching a selector). */
  | { count: { kind: string; namespace?: string; selector?: LabelSelector } }
  /** How many ready endpoints a Service has. */
  | { endpoints: { service: string; namespace?: string } }
  /**
   * The `--probability` kube-proxy gives the `rule`-th (1-based) endpoint jump of a
   * Service's KUBE-SVC chain, as `iptables-save` prints it (e.g. 0.33333333349 for the
   * first of three endpoints).
   */
  | { probability: { service: string; namespace?: string; rule?: number } }
  /** The ready endpoints of a Service as `IP:port` (an answer matches any one of them). */
  | { endpoint: { service: string; namespace?: string } }
  /** A cluster setting from the scenario: cni, proxyMode, ipvsScheduler, clusterDomain, podCIDR, serviceCIDR. */
  | { setting: { name: 'cni' | 'proxyMode' | 'ipvsScheduler' | 'clusterDomain' | 'podCIDR' | 'serviceCIDR' | 'kubernetesVersion' } }
  /** The addresses a name resolves to from a Pod. */
  | { resolve: { name: string; from: Origin } }
  /** The host side of a Pod's veth pair: its name on the node (`ip link` there), e.g. cali1b2c3d4e5f6 or veth1a2b3c4d. */
  | { veth: { pod: string; namespace?: string } }
  /** The default gateway inside a Pod, as `ip route` there prints it (the bridge's address, or Calico's 169.254.1.1). */
  | { gateway: { pod: string; namespace?: string } }
  /**
   * What a node's `ip route get POD-IP` prints: the device its routing table sends the Pod's
   * address to (`part: dev`, the default: cni0, a cali… veth, flannel.1, tunl0), or the `src`
   * the kernel picks for it (`part: src`) — the address MASQUERADE gives a NodePort connection
   * that node forwards to the Pod.
   */
  | { route: { node: string; pod: string; namespace?: string; part?: 'dev' | 'src' } }
  /** The MAC a Pod's neighbour table holds for an address (`ip neigh` inside it); without `ip`, for its gateway. */
  | { neighbor: { pod: string; ip?: string; namespace?: string } }
  /**
   * What a Pod's /etc/resolv.conf says (as the kubelet wrote it, or as edited): its first
   * `nameserver` (any listed one matches), its `search` list (space-separated, in order),
   * or its `ndots` (the resolver's default, 1, when no option sets it).
   */
  | { resolvConf: { pod: string; namespace?: string; part: 'nameserver' | 'search' | 'ndots' } }
  /** A Pod's READY column as `kubectl get pod` prints it: ready containers / containers, e.g. `1/2`. */
  | { ready: { pod: string; namespace?: string } }
  /** The container of a Pod whose process holds a port in the Pod's network namespace (`ss -lnp` inside). */
  | { listener: { pod: string; port: number; protocol?: 'tcp' | 'udp'; namespace?: string } }
  /**
   * The name of a Service port's chain in the cluster's proxy mode: `service` (KUBE-SVC-… /
   * service-…), `external` (KUBE-EXT-… / external-…, for NodePorts and external IPs) or
   * `endpoint` (KUBE-SEP-… / endpoint-…; narrowed by `node` or `ip`, any one matches).
   */
  | { proxyChain: { service: string; namespace?: string; port?: string | number; chain: 'service' | 'external' | 'endpoint'; node?: string; ip?: string } }
  /** How many rules a chain holds on a node right now: in `ip kube-proxy` (default) or an iptables table (`table: nat`). */
  | { ruleCount: { node: string; chain: string; table?: string } }
  /** The CNI configuration file the node's container runtime loads: the first in /etc/cni/net.d/ in lexical order (`10-flannel.conflist`). */
  | { cniConfig: { node: string } }
  /** A constant, for comparisons only. Question answers must be derived from the cluster. */
  | { value: string | number | boolean };

export interface ExistsCheck {
  exists: ObjectRef;
}

export interface FieldCheck {
  field: ObjectRef & {
    path: string;
    /** Equal to this constant (compared as strings for scalars, as JSON for lists/maps). */
    equals?: unknown;
    /** Equal to a value derived from the cluster. */
    equalsDerived?: Derived;
    /** Matches this regular expression (the value as a string). */
    matches?: string;
    /** The path is set (true) or unset (false). Default when nothing else is given: true. */
    present?: boolean;
  };
}

export interface CountCheck {
  count: {
    kind: string;
    namespace?: string;
    selector?: LabelSelector;
    equals?: number;
    atLeast?: number;
    atMost?: number;
  };
}

export interface EndpointsCheck {
  endpoints: {
    service: string;
    namespace?: string;
    /** Ready endpoint addresses: exactly, at least, at most. With none given: at least one. */
    equals?: number;
    atLeast?: number;
    atMost?: number;
    /** A port every ready endpoint must serve (the Service's targetPort resolved). */
    port?: number;
  };
}

export interface ReachCheck {
  reach: {
    from: Origin;
    to: Target;
    port: number;
    protocol?: 'tcp' | 'udp';
    /** `allowed`: the connection is delivered to a listening server; `blocked`: it is not. */
    expect: 'allowed' | 'blocked';
  };
}

export interface DnsCheck {
  dns: {
    from: Origin;
    name: string;
    /** What the name must resolve to. Default: the addresses the cluster says it should (a Service's ClusterIP, a headless Service's Pod IPs). */
    expect?: 'resolves' | 'nxdomain' | { addresses: Derived | string[] };
  };
}

export interface HttpCheck {
  http: {
    from: Origin;
    /** What curl would be given: `http://shop/`, `http://203.0.113.1/path` (a name resolves from \`from\`). */
    url: string;
    /** The Host header, when it differs from the URL's (an Ingress rule's host reached by address). */
    host?: string;
    /** The status the answer must have (default 200). */
    status?: number;
    /** A regular expression the body must match. */
    body?: string;
  };
}

export interface HistoryCheck {
  history: {
    /** A regular expression matched against each command line the learner ran. */
    pattern: string;
    /** Require the command to have exited 0 (default true). */
    succeeded?: boolean;
    /** Where it ran: `workstation`, `node`, `node-1`, `pod`. Default: anywhere. */
    on?: string;
    /**
     * Whom it was aimed at: the matching command must name (after expansion) an address of
     * this target — any of a Pod's podIPs, a Service's clusterIPs, the ip itself — as it is
     * when checked. `ping -6 <a web Pod's address>` then counts; pinging your own does not.
     */
    to?: Target;
    /** The command in words, for the learner: "iptables -t nat -L KUBE-SERVICES". */
    what?: string;
  };
}

/**
 * Predict, then check (a `kind: question` task): the learner's first answer is their
 * prediction; the task is done once they ran `then` after it, and the panel says whether
 * the prediction matched `answer`, derived from the cluster at that moment (predict.ts).
 */
export interface PredictCheck {
  predict: {
    answer: Derived;
    /** The command that settles it, as a history check. */
    then: HistoryCheck['history'];
  };
}

export interface AnswerCheck {
  /** The learner's answer (sim.answers[taskId]) must equal this derived value. */
  answer: Derived;
}

/**
 * Another task of the lesson is done (once done, it stays done). Use it to order tasks
 * whose end states look alike: "repair the selector" only counts after "break it".
 */
export interface DoneCheck {
  done: string;
}

export interface AllCheck {
  all: Check[];
}
export interface AnyCheck {
  any: Check[];
}
export interface NotCheck {
  not: Check;
  /** What to tell the learner while the inner check still holds. */
  because?: string;
}

export type Check =
  | ExistsCheck
  | FieldCheck
  | CountCheck
  | EndpointsCheck
  | ReachCheck
  | DnsCheck
  | HttpCheck
  | HistoryCheck
  | AnswerCheck
  | PredictCheck
  | DoneCheck
  | AllCheck
  | AnyCheck
  | NotCheck;

export const CHECK_KINDS = ['exists', 'field', 'count', 'endpoints', 'reach', 'dns', 'http', 'history', 'answer', 'predict', 'done', 'all', 'any', 'not'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface Solution {
  /** Command lines, run in order from the workstation (as a learner would type them). */
  commands: string[];
  /** Files saved in the editor before the commands run: path (relative to ~) → content. */
  files?: Record<string, string>;
  /** For question tasks: nothing to type — the answer is derived; the replay answers it. */
}

export interface Task {
  id: string;
  title: string;
  kind: 'do' | 'question';
  /** The question, for `question` tasks (the panel shows it above the answer box). */
  question?: string;
  /** Progressive hints, least revealing first (at least two). */
  hints: string[];
  check: Check;
  solution: Solution;
  /**
   * The lesson's challenge: solved without a Try button (the checker refuses a Try that runs
   * one of its solution commands); a solution the learner opens marks it revealed, not solved.
   */
  challenge?: boolean;
}

export interface TaskResult {
  id: string;
  done: boolean;
  /** Why it is not done yet, in learner terms. */
  reason?: string;
  /** Done: what the learner should hear about it (a settled prediction: right or not). */
  note?: string;
}

/** The outcome of one check: satisfied or not, and why not. */
export interface Verdict {
  ok: boolean;
  reason?: string;
}

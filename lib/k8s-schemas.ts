/**
 * Compact JSON Schemas (draft-07) for the Kubernetes kinds Netlab models, bundled for the
 * YAML editor's validation, completion and hover (monaco-yaml). Field names and enums
 * follow the Kubernetes API reference (k8s.io/api core/v1, apps/v1, networking.k8s.io/v1);
 * descriptions are shortened from it. No network: nothing is fetched at run time.
 */
type Schema = Record<string, unknown>;

const str = (description?: string): Schema => ({ type: 'string', ...(description ? { description } : {}) });
const int = (description?: string, extra: Schema = {}): Schema => ({ type: 'integer', ...(description ? { description } : {}), ...extra });
const bool = (description?: string): Schema => ({ type: 'boolean', ...(description ? { description } : {}) });
const map = (description?: string): Schema => ({ type: 'object', additionalProperties: { type: 'string' }, ...(description ? { description } : {}) });
const arr = (items: Schema, description?: string): Schema => ({ type: 'array', items, ...(description ? { description } : {}) });
const obj = (properties: Record<string, Schema>, opts: { required?: string[]; description?: string } = {}): Schema => ({
  type: 'object',
  properties,
  additionalProperties: false,
  ...(opts.required ? { required: opts.required } : {}),
  ...(opts.description ? { description: opts.description } : {}),
});
const intOrString = (description?: string): Schema => ({ anyOf: [{ type: 'integer' }, { type: 'string' }], ...(description ? { description } : {}) });
const protocol: Schema = { type: 'string', enum: ['TCP', 'UDP', 'SCTP'], description: 'Protocol for the port. Defaults to "TCP".' };

const objectMeta = obj(
  {
    name: str('Name must be unique within a namespace (a DNS-1123 subdomain for most kinds).'),
    generateName: str('Prefix the server uses to generate a unique name if name is not given.'),
    namespace: str('The namespace the object lives in. Defaults to "default".'),
    labels: map('Key/value pairs that selectors (Services, Deployments, NetworkPolicies) match on.'),
    annotations: map('Non-identifying metadata for tools.'),
    uid: str(),
    resourceVersion: str(),
    generation: int(),
    creationTimestamp: str(),
    ownerReferences: arr({ type: 'object' }),
  },
  { description: 'Standard object metadata.' },
);

const labelSelector = obj(
  {
    matchLabels: map('Pods whose labels contain all of these key/value pairs.'),
    matchExpressions: arr(
      obj(
        {
          key: str(),
          operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: arr(str()),
        },
        { required: ['key', 'operator'] },
      ),
    ),
  },
  { description: 'A label query over a set of resources. An empty selector matches everything.' },
);

const containerPort = obj(
  {
    name: str('An IANA_SVC_NAME a Service targetPort can refer to.'),
    containerPort: int('Port number the container listens on (1-65535).', { minimum: 1, maximum: 65535 }),
    protocol,
    hostPort: int(),
    hostIP: str(),
  },
  { required: ['containerPort'] },
);

const probe = obj(
  {
    httpGet: obj({ path: str(), port: intOrString(), host: str(), scheme: { type: 'string', enum: ['HTTP', 'HTTPS'] }, httpHeaders: arr({ type: 'object' }) }, { required: ['port'] }),
    tcpSocket: obj({ port: intOrString(), host: str() }, { required: ['port'] }),
    exec: obj({ command: arr(str()) }),
    grpc: obj({ port: int(), service: str() }),
    initialDelaySeconds: int(),
    periodSeconds: int(),
    timeoutSeconds: int(),
    successThreshold: int(),
    failureThreshold: int(),
  },
  { description: 'A health check the kubelet runs. A failing readiness probe removes the Pod from Service endpoints.' },
);

const envVar = obj(
  {
    name: str(),
    value: str(),
    valueFrom: { type: 'object' },
  },
  { required: ['name'] },
);

const container = obj(
  {
    name: str('Name of the container (DNS label), unique within the Pod.'),
    image: str('Container image, e.g. nginx:1.27 or busybox:1.36.'),
    imagePullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] },
    command: arr(str(), 'Entrypoint array (replaces the image ENTRYPOINT).'),
    args: arr(str(), 'Arguments to the entrypoint.'),
    workingDir: str(),
    ports: arr(containerPort, 'Ports the container exposes (informational; any listening port is reachable).'),
    env: arr(envVar),
    envFrom: arr({ type: 'object' }),
    resources: obj({ limits: map(), requests: map(), claims: arr({ type: 'object' }) }),
    readinessProbe: probe,
    livenessProbe: probe,
    startupProbe: probe,
    volumeMounts: arr(obj({ name: str(), mountPath: str(), readOnly: bool(), subPath: str() }, { required: ['name', 'mountPath'] })),
    securityContext: { type: 'object' },
    stdin: bool(),
    tty: bool(),
  },
  { required: ['name'] },
);

const podSpec = obj(
  {
    containers: arr(container, 'The Pod’s containers. They share one network namespace: one IP, one port space.'),
    initContainers: arr(container),
    nodeName: str('Schedules the Pod onto this node directly, bypassing the scheduler.'),
    nodeSelector: map(),
    hostNetwork: bool('Use the node’s network namespace: the Pod gets the node’s IP.'),
    dnsPolicy: { type: 'string', enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'], description: 'How /etc/resolv.conf is written. Defaults to "ClusterFirst".' },
    dnsConfig: obj({ nameservers: arr(str()), searches: arr(str()), options: arr(obj({ name: str(), value: str() })) }),
    hostname: str(),
    subdomain: str('With a headless Service of this name, gives the Pod a DNS record <hostname>.<subdomain>.<ns>.svc.'),
    restartPolicy: { type: 'string', enum: ['Always', 'OnFailure', 'Never'] },
    serviceAccountName: str(),
    terminationGracePeriodSeconds: int(),
    tolerations: arr({ type: 'object' }),
    affinity: { type: 'object' },
    volumes: arr({ type: 'object' }),
    securityContext: { type: 'object' },
    priorityClassName: str(),
  },
  { required: ['containers'] },
);

const podTemplate = obj({ metadata: objectMeta, spec: podSpec }, { description: 'The Pods this controller creates.' });

const top = (apiVersion: string[], kind: string, extra: Record<string, Schema>, required: string[] = []): Schema =>
  obj(
    {
      apiVersion: { type: 'string', enum: apiVersion },
      kind: { type: 'string', const: kind },
      metadata: objectMeta,
      ...extra,
    },
    { required: ['apiVersion', 'kind', 'metadata', ...required] },
  );

const servicePort = obj(
  {
    name: str('Required when the Service has more than one port.'),
    protocol,
    appProtocol: str(),
    port: int('The port the Service exposes on its ClusterIP.', { minimum: 1, maximum: 65535 }),
    targetPort: intOrString('The Pod port (number or container port name) traffic goes to. Defaults to port.'),
    nodePort: int('For NodePort/LoadBalancer: the port on every node (default range 30000-32767).', { minimum: 1, maximum: 65535 }),
  },
  { required: ['port'] },
);

const networkPolicyPeer = obj({
  podSelector: labelSelector,
  namespaceSelector: labelSelector,
  ipBlock: obj({ cidr: str('e.g. 10.0.0.0/8'), except: arr(str()) }, { required: ['cidr'] }),
});
const networkPolicyPort = obj({ protocol, port: intOrString(), endPort: int() });

export const KIND_SCHEMAS: Record<string, Schema> = {
  Pod: top(['v1'], 'Pod', { spec: podSpec, status: { type: 'object' } }, ['spec']),
  Deployment: top(
    ['apps/v1'],
    'Deployment',
    {
      spec: obj(
        {
          replicas: int('Desired number of Pods. Defaults to 1.', { minimum: 0 }),
          selector: labelSelector,
          template: podTemplate,
          strategy: obj({ type: { type: 'string', enum: ['RollingUpdate', 'Recreate'] }, rollingUpdate: obj({ maxSurge: intOrString(), maxUnavailable: intOrString() }) }),
          minReadySeconds: int(),
          revisionHistoryLimit: int(),
          paused: bool(),
          progressDeadlineSeconds: int(),
        },
        { required: ['selector', 'template'] },
      ),
      status: { type: 'object' },
    },
    ['spec'],
  ),
  ReplicaSet: top(['apps/v1'], 'ReplicaSet', { spec: obj({ replicas: int(), selector: labelSelector, template: podTemplate, minReadySeconds: int() }, { required: ['selector'] }), status: { type: 'object' } }, ['spec']),
  StatefulSet: top(
    ['apps/v1'],
    'StatefulSet',
    {
      spec: obj(
        {
          replicas: int(),
          selector: labelSelector,
          serviceName: str('The headless Service that gives each Pod its DNS name <pod>.<serviceName>.'),
          template: podTemplate,
          podManagementPolicy: { type: 'string', enum: ['OrderedReady', 'Parallel'] },
          updateStrategy: { type: 'object' },
          volumeClaimTemplates: arr({ type: 'object' }),
          minReadySeconds: int(),
        },
        { required: ['selector', 'template'] },
      ),
      status: { type: 'object' },
    },
    ['spec'],
  ),
  DaemonSet: top(['apps/v1'], 'DaemonSet', { spec: obj({ selector: labelSelector, template: podTemplate, updateStrategy: { type: 'object' }, minReadySeconds: int() }, { required: ['selector', 'template'] }), status: { type: 'object' } }, ['spec']),
  Service: top(
    ['v1'],
    'Service',
    {
      spec: obj({
        type: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], description: 'How the Service is exposed. Defaults to ClusterIP.' },
        selector: map('Pods with these labels become the endpoints. Without a selector, endpoints are managed by hand.'),
        ports: arr(servicePort),
        clusterIP: str('A fixed virtual IP from the service CIDR, or "None" for a headless Service.'),
        clusterIPs: arr(str()),
        externalName: str('For type ExternalName: the DNS name the Service is a CNAME for.'),
        externalIPs: arr(str()),
        externalTrafficPolicy: { type: 'string', enum: ['Cluster', 'Local'], description: 'Local keeps the client source IP and only uses endpoints on the receiving node.' },
        internalTrafficPolicy: { type: 'string', enum: ['Cluster', 'Local'] },
        sessionAffinity: { type: 'string', enum: ['None', 'ClientIP'] },
        sessionAffinityConfig: obj({ clientIP: obj({ timeoutSeconds: int() }) }),
        loadBalancerIP: str(),
        loadBalancerSourceRanges: arr(str(), 'CIDRs allowed to reach the load balancer.'),
        loadBalancerClass: str(),
        publishNotReadyAddresses: bool(),
        ipFamilies: arr({ type: 'string', enum: ['IPv4', 'IPv6'] }),
        ipFamilyPolicy: { type: 'string', enum: ['SingleStack', 'PreferDualStack', 'RequireDualStack'] },
        allocateLoadBalancerNodePorts: bool(),
        healthCheckNodePort: int(),
      }),
      status: { type: 'object' },
    },
  ),
  Endpoints: top(['v1'], 'Endpoints', {
    subsets: arr(
      obj({
        addresses: arr(obj({ ip: str(), hostname: str(), nodeName: str(), targetRef: { type: 'object' } }, { required: ['ip'] })),
        notReadyAddresses: arr(obj({ ip: str(), hostname: str(), nodeName: str(), targetRef: { type: 'object' } }, { required: ['ip'] })),
        ports: arr(obj({ name: str(), port: int(), protocol, appProtocol: str() }, { required: ['port'] })),
      }),
    ),
  }),
  Ingress: top(
    ['networking.k8s.io/v1'],
    'Ingress',
    {
      spec: obj({
        ingressClassName: str('Which ingress controller implements this Ingress (e.g. nginx).'),
        defaultBackend: { type: 'object' },
        tls: arr(obj({ hosts: arr(str()), secretName: str() })),
        rules: arr(
          obj({
            host: str('A fully qualified domain name; requests for other hosts do not match this rule.'),
            http: obj(
              {
                paths: arr(
                  obj(
                    {
                      path: str(),
                      pathType: { type: 'string', enum: ['Exact', 'Prefix', 'ImplementationSpecific'] },
                      backend: obj({
                        service: obj({ name: str(), port: obj({ number: int(), name: str() }) }, { required: ['name'] }),
                        resource: { type: 'object' },
                      }),
                    },
                    { required: ['pathType', 'backend'] },
                  ),
                ),
              },
              { required: ['paths'] },
            ),
          }),
        ),
      }),
      status: { type: 'object' },
    },
  ),
  IngressClass: top(['networking.k8s.io/v1'], 'IngressClass', { spec: obj({ controller: str(), parameters: { type: 'object' } }) }),
  NetworkPolicy: top(
    ['networking.k8s.io/v1'],
    'NetworkPolicy',
    {
      spec: obj(
        {
          podSelector: labelSelector,
          policyTypes: arr({ type: 'string', enum: ['Ingress', 'Egress'] }, 'Which directions this policy isolates.'),
          ingress: arr(obj({ from: arr(networkPolicyPeer), ports: arr(networkPolicyPort) }), 'Allowed incoming traffic. An empty list denies all ingress.'),
          egress: arr(obj({ to: arr(networkPolicyPeer), ports: arr(networkPolicyPort) }), 'Allowed outgoing traffic. Remember DNS (UDP and TCP 53).'),
        },
        { required: ['podSelector'] },
      ),
    },
    ['spec'],
  ),
  ConfigMap: top(['v1'], 'ConfigMap', { data: map(), binaryData: map(), immutable: bool() }),
  Secret: top(['v1'], 'Secret', { type: str('e.g. Opaque, kubernetes.io/tls'), data: map('Base64-encoded values.'), stringData: map('Plain values, encoded by the server.'), immutable: bool() }),
  Namespace: top(['v1'], 'Namespace', { spec: obj({ finalizers: arr(str()) }), status: { type: 'object' } }),
};

/** One schema for any manifest: picks the kind's schema by `kind` (if/then), so errors stay specific. */
export function manifestSchema(): Schema {
  const kinds = Object.keys(KIND_SCHEMAS);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Kubernetes manifest (Netlab)',
    type: 'object',
    properties: {
      apiVersion: { type: 'string', description: 'The API group/version: v1, apps/v1, networking.k8s.io/v1.' },
      kind: { type: 'string', enum: [...kinds, 'List'], description: 'The kind of object.' },
      metadata: objectMeta,
    },
    required: ['apiVersion', 'kind'],
    allOf: kinds.map((k) => ({ if: { properties: { kind: { const: k } }, required: ['kind'] }, then: KIND_SCHEMAS[k] })),
  };
}

/**
 * Deprecated API resources and the warning the API server attaches to every request on
 * them — k8s.io/apiserver pkg/endpoints/deprecation/deprecation.go (IsDeprecated,
 * WarningMessage) as pkg/endpoints/installer.go applies it: for a resource whose type
 * reports a deprecation release at or before the server's version, each verb's handler
 * (get, list, watch, create, update, patch, delete, deletecollection) is wrapped in
 * AddWarningsHandler, so the response carries a `Warning: 299` header whatever its status.
 *
 * The lifecycle comes from k8s.io/api (v0.34): core/v1/lifecycle.go gives Endpoints
 * APILifecycleDeprecated 1.33 and APILifecycleReplacement discovery.k8s.io/v1
 * EndpointSlice (KEP-4974); the installer asks the resource's own type, so the Endpoints
 * resource warns with "Endpoints", lists included. (WarningMessage's ", unavailable in
 * vX.Y+" part needs an APILifecycleRemoved, which no resource served here has.)
 */

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

interface Lifecycle {
  deprecated: [number, number];
  replacement?: GroupVersionKind;
}

/** By "group/version/Kind" (the core group is ""). */
const LIFECYCLE: Record<string, Lifecycle> = {
  // core/v1 zz_generated.prerelease-lifecycle: ComponentStatus deprecated in 1.19, no replacement
  '/v1/ComponentStatus': { deprecated: [1, 19] },
  '/v1/Endpoints': { deprecated: [1, 33], replacement: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' } },
};

/** schema.GroupVersion.String(): `v1` for the core group, `discovery.k8s.io/v1` otherwise. */
function groupVersion(gv: { group: string; version: string }): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

/** deprecation.MajorMinor: the server's major and minor (`v1.34.2` → 1, 34); 0, 0 when unreadable. */
function majorMinor(serverVersion: string): [number, number] {
  const m = /^v?(\d+)\.(\d+)/.exec(serverVersion);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/**
 * The warning the API server sends with a request on `resource` at `serverVersion`
 * (WarningMessage, when IsDeprecated), or undefined.
 */
export function deprecationWarning(resource: GroupVersionKind, serverVersion: string): string | undefined {
  const life = LIFECYCLE[`${resource.group}/${resource.version}/${resource.kind}`];
  if (!life) return undefined;
  const [major, minor] = majorMinor(serverVersion);
  const [dMajor, dMinor] = life.deprecated;
  // IsDeprecated: no version info counts as deprecated; otherwise deprecated at or before it
  const known = major !== 0 || minor !== 0;
  if (known && (dMajor > major || (dMajor === major && dMinor > minor))) return undefined;
  let msg = `${groupVersion(resource)} ${resource.kind} is deprecated in v${dMajor}.${dMinor}+`;
  if (life.replacement) msg += `; use ${groupVersion(life.replacement)} ${life.replacement.kind}`;
  return msg;
}

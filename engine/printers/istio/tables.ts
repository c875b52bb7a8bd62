/**
 * `kubectl get` columns for Istio's kinds: each CRD's additionalPrinterColumns
 * (manifests/charts/base/files/crd-all.gen.yaml at 1.24.2), rendered as the API server's
 * CRD table convertor does — a string column holding an array prints as compact JSON
 * (`["reviews"]`), a missing field as an empty cell.
 */
import type { KubeObject } from '../../cluster/types';
import type { PrintEnv, TableDef } from '../kubectl/tables';
import { humanDuration } from '../../cluster/clock';

function age(o: KubeObject, env: PrintEnv): string {
  const t = Date.parse(o.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? '<unknown>' : humanDuration(env.now - t);
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export const ISTIO_TABLES: Record<string, TableDef> = {
  // apiextensions' own table (customresourcedefinitions: NAME, CREATED AT as RFC 3339)
  VirtualService: { columns: ['NAME', 'GATEWAYS', 'HOSTS', 'AGE'], wide: [], row: (o, env) => [o.metadata.name, cell(o.spec?.gateways), cell(o.spec?.hosts), age(o, env)] },
  DestinationRule: { columns: ['NAME', 'HOST', 'AGE'], wide: [], row: (o, env) => [o.metadata.name, cell(o.spec?.host), age(o, env)] },
  PeerAuthentication: { columns: ['NAME', 'MODE', 'AGE'], wide: [], row: (o, env) => [o.metadata.name, cell(o.spec?.mtls?.mode), age(o, env)] },
  ServiceEntry: { columns: ['NAME', 'HOSTS', 'LOCATION', 'RESOLUTION', 'AGE'], wide: [], row: (o, env) => [o.metadata.name, cell(o.spec?.hosts), cell(o.spec?.location), cell(o.spec?.resolution), age(o, env)] },
  AuthorizationPolicy: { columns: ['NAME', 'ACTION', 'AGE'], wide: [], row: (o, env) => [o.metadata.name, cell(o.spec?.action), age(o, env)] },
  WorkloadEntry: { columns: ['NAME', 'AGE', 'ADDRESS'], wide: [], row: (o, env) => [o.metadata.name, age(o, env), cell(o.spec?.address)] },
  // Age only, or no additionalPrinterColumns at all: the CRD table convertor's default NAME, AGE
  ...Object.fromEntries(['WasmPlugin', 'EnvoyFilter', 'ProxyConfig', 'Sidecar', 'WorkloadGroup', 'RequestAuthentication', 'Telemetry'].map((k): [string, TableDef] => [k, { columns: ['NAME', 'AGE'], wide: [], row: (o, env) => [o.metadata.name, age(o, env)] }])),
};

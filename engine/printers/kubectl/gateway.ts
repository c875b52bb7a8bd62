/**
 * Server-side tables for custom resources: the API server prints a CRD's
 * additionalPrinterColumns (apiextensions-apiserver pkg/registry/customresource/tableconvertor),
 * kubectl upper-cases the column names. The columns are the Gateway API CRDs' (bundle v1.6.1,
 * as Envoy Gateway v1.9.0 installs it) and CustomResourceDefinition's own (NAME, CREATED AT).
 * A JSONPath that finds nothing is an empty cell; a list value prints as JSON
 * (HTTPRoute's HOSTNAMES: `["www.example.com"]`).
 */
import type { KubeObject } from '../../cluster/types';
import { translateTimestampSince, type TableDef } from './tables';

interface Condition {
  type?: string;
  status?: string;
}

/** `.status.conditions[?(@.type=="T")].status` */
function conditionStatus(o: KubeObject, type: string): string {
  const conds: Condition[] = o.status?.conditions ?? [];
  return conds.filter((c) => c.type === type).map((c) => c.status ?? '').join(' ');
}

/** A string column's JSON value as the table convertor prints it: strings bare, lists as JSON. */
function jsonCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

const age = (o: KubeObject, now: number) => translateTimestampSince(o.metadata.creationTimestamp, now);

const gatewayClassTable: TableDef = {
  columns: ['NAME', 'CONTROLLER', 'ACCEPTED', 'AGE'],
  wide: ['DESCRIPTION'],
  row: (o, env, wide) => [o.metadata.name, jsonCell(o.spec?.controllerName), conditionStatus(o, 'Accepted'), age(o, env.now), ...(wide ? [jsonCell(o.spec?.description)] : [])],
};

const gatewayTable: TableDef = {
  columns: ['NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE'],
  wide: [],
  row: (o, env) => [o.metadata.name, jsonCell(o.spec?.gatewayClassName), ((o.status?.addresses ?? []) as { value?: string }[]).map((a) => a.value ?? '').join(' '), conditionStatus(o, 'Programmed'), age(o, env.now)],
};

const routeTable: TableDef = {
  columns: ['NAME', 'HOSTNAMES', 'AGE'],
  wide: [],
  row: (o, env) => [o.metadata.name, jsonCell(o.spec?.hostnames), age(o, env.now)],
};

const crdTable: TableDef = {
  columns: ['NAME', 'CREATED AT'],
  wide: [],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

export const GATEWAY_TABLES: Record<string, TableDef> = {
  GatewayClass: gatewayClassTable,
  Gateway: gatewayTable,
  HTTPRoute: routeTable,
  GRPCRoute: routeTable,
  CustomResourceDefinition: crdTable,
};

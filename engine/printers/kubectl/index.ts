/**
 * kubectl's printers: tables (with the NAMESPACE column for -A, `kind/name` when several
 * kinds print, -L label columns, --show-labels), -o name, yaml, json, jsonpath and
 * custom-columns. Table layout follows k8s.io/cli-runtime/pkg/printers/tableprinter.go
 * (headers upper-cased, printed once per group) through the tabwriter port.
 */
import { isArray, isObject, type KubeObject } from '../../cluster/types';
import { tableFor, type PrintEnv } from './tables';
import { GATEWAY_TABLES } from './gateway';
import { formatLabels } from './labels';
import { tabwrite, TABLE_OPTS } from './tabwriter';
import { compileJsonPath, relaxedJsonPath, JsonPathError } from './jsonpath';
import { printJson, printYaml } from './serialize';

export * from './tables';
export * from './labels';
export * from './tabwriter';
export * from './serialize';
export * from './jsonpath';
export * from './rbac';

export interface TableOptions {
  wide?: boolean;
  withNamespace?: boolean;
  /** Prefix for the NAME column when several kinds print (`deployment.apps`). */
  kindPrefix?: string;
  showLabels?: boolean;
  labelColumns?: string[];
  noHeaders?: boolean;
}

/** The header row and the cell rows of one kind's table (not yet tab-aligned). */
export function tableRows(kind: string, objs: KubeObject[], env: PrintEnv, o: TableOptions = {}): { header: string[]; rows: string[][] } {
  const def = GATEWAY_TABLES[kind] ?? tableFor(kind);
  const header: string[] = [];
  if (o.withNamespace) header.push('NAMESPACE');
  if (o.wide && def.wideAll) header.push(...def.wideAll);
  else {
    header.push(...def.columns);
    if (o.wide) header.push(...def.wide);
  }
  for (const l of o.labelColumns ?? []) header.push(labelColumnHeader(l));
  if (o.showLabels) header.push('LABELS');
  const rows: string[][] = [];
  // the kind prefix goes on the column whose format is "name" (absent from Event's narrow table)
  const nameCol = (o.wide && def.wideAll ? def.wideAll : def.columns).indexOf('NAME');
  for (const obj of objs) {
    const cells = def.row(obj, env, !!o.wide);
    if (o.kindPrefix && nameCol >= 0) cells[nameCol] = `${o.kindPrefix}/${cells[nameCol]}`;
    if (o.withNamespace) cells.unshift(obj.metadata.namespace ?? '');
    for (const l of o.labelColumns ?? []) cells.push(obj.metadata.labels?.[l] ?? '');
    if (o.showLabels) cells.push(formatLabels(obj.metadata.labels));
    rows.push(cells);
  }
  return { header, rows };
}

function labelColumnHeader(label: string): string {
  const parts = label.split('/');
  return parts[parts.length - 1].toUpperCase();
}

export function rowsToText(rows: string[][]): string {
  return rows.map((r) => r.join('\t') + '\n').join('');
}

/** A whole table, aligned. */
export function printTable(kind: string, objs: KubeObject[], env: PrintEnv, o: TableOptions = {}): string {
  const { header, rows } = tableRows(kind, objs, env, o);
  return tabwrite(rowsToText(o.noHeaders ? rows : [header, ...rows]), TABLE_OPTS);
}

export { printJson, printYaml };

/** The `List` kubectl wraps several objects in for -o yaml/json/jsonpath. */
export interface ObjectList {
  apiVersion: 'v1';
  items: readonly unknown[];
  kind: 'List';
  metadata: { resourceVersion: string };
}

export function asList(objs: readonly unknown[]): ObjectList {
  return { apiVersion: 'v1', items: objs, kind: 'List', metadata: { resourceVersion: '' } };
}

/** fmt.Sprintf("%v") of a decoded JSON value (custom-columns cells). */
export function goFmtV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (isArray(v)) return '[' + v.map(goFmtV).join(' ') + ']';
  if (isObject(v)) return 'map[' + Object.keys(v).sort().map((k) => `${k}:${goFmtV(v[k])}`).join(' ') + ']';
  return String(v);
}

export class CustomColumnsError extends Error {}

export interface CustomColumn {
  header: string;
  path: string;
}

/** Parses `NAME:.metadata.name,IP:.status.podIP` (k8s.io/kubectl/pkg/cmd/get/customcolumn.go). */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec.length === 0) throw new CustomColumnsError('custom-columns format specified but no custom columns given');
  const cols: CustomColumn[] = [];
  for (const part of spec.split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0 || part.indexOf(':', colon + 1) >= 0) {
      throw new CustomColumnsError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    }
    const header = part.slice(0, colon);
    const path = part.slice(colon + 1);
    cols.push({ header, path: relaxedJsonPath(path) });
  }
  return cols;
}

export function printCustomColumns(cols: CustomColumn[], objs: unknown[], noHeaders = false): string {
  const compiled = cols.map((c) => {
    try {
      return compileJsonPath(c.path);
    } catch (e) {
      throw new CustomColumnsError((e as JsonPathError).message);
    }
  });
  const rows: string[][] = [];
  if (!noHeaders) rows.push(cols.map((c) => c.header));
  for (const o of objs) {
    rows.push(
      cols.map((c) => {
        const vals = evalValues(c.path, o);
        if (vals.length === 0) return '<none>';
        return vals.map(goFmtV).join(',');
      }),
    );
  }
  void compiled;
  return tabwrite(rowsToText(rows), TABLE_OPTS);
}

import { evalJsonPathValues } from './jsonpath';
function evalValues(path: string, o: unknown): unknown[] {
  return evalJsonPathValues(path, o);
}

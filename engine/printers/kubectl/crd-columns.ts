/**
 * The server-side table of a custom resource whose kind has no table of its own here: the
 * CRD's additionalPrinterColumns as upstream ships them (cluster/openapi/crd-schemas.json),
 * rendered as apiextensions-apiserver's table convertor does
 * (pkg/registry/customresource/tableconvertor/tableconvertor.go): NAME, then each column
 * upper-cased by kubectl, priority-0 columns by default and all of them in order with
 * -o wide; a column's value is the first result of its JSONPath, a string column printing a
 * list or map as compact JSON, a date column as an age. A path that finds nothing is an empty
 * cell. A CRD without columns gets the convertor's default NAME, AGE (tableFor's default).
 */
import { crdSchemas } from '../../cluster/openapi/crds';
import { resourceFor } from '../../cluster/resources';
import { compactJson, compileJsonPath, type CompiledJsonPath } from './jsonpath';
import { humanDuration } from '../../cluster/clock';
import type { TableDef } from './tables';

interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
}

const built = new Map<string, TableDef | null>();

function cell(col: PrinterColumn, path: CompiledJsonPath | undefined, obj: unknown, now: number): string {
  let v: unknown;
  try {
    v = path?.values(obj)[0];
  } catch {
    return '';
  }
  if (v === undefined || v === null) return '';
  if (col.type === 'date') {
    // printers.go translateTimestampSince (not imported: tables.ts imports this module)
    const t = typeof v === 'string' ? Date.parse(v) : NaN;
    return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return compactJson(v);
  return String(v);
}

/** The table of a custom resource kind from its CRD's printer columns, if the bundle has any. */
export function crdColumnsTable(kind: string): TableDef | undefined {
  const hit = built.get(kind);
  if (hit !== undefined) return hit ?? undefined;
  const info = resourceFor(kind);
  const entry = info?.crd && info.kind === kind ? crdSchemas()?.[info.crd] : undefined;
  const cols = entry?.versions[info!.version]?.additionalPrinterColumns as PrinterColumn[] | undefined;
  // the bundle loads with the OpenAPI document: until then nothing is cached
  if (!entry) return undefined;
  if (!cols?.length) {
    built.set(kind, null);
    return undefined;
  }
  const paths = cols.map((c) => {
    try {
      return compileJsonPath(`{${c.jsonPath}}`);
    } catch {
      return undefined;
    }
  });
  const shown = cols.map((c, i) => ({ c, i })).filter(({ c }) => !c.priority);
  const def: TableDef = {
    columns: ['NAME', ...shown.map(({ c }) => c.name.toUpperCase())],
    wide: cols.filter((c) => c.priority).map((c) => c.name.toUpperCase()),
    wideAll: ['NAME', ...cols.map((c) => c.name.toUpperCase())],
    row: (o, env, wide) => [o.metadata.name, ...(wide ? cols.map((c, i) => ({ c, i })) : shown).map(({ c, i }) => cell(c, paths[i], o, env.now))],
  };
  built.set(kind, def);
  return def;
}

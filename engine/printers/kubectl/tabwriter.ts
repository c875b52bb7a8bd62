/**
 * A port of Go's text/tabwriter (the elastic-tabstop algorithm kubectl's printers use).
 *
 * kubectl's table printer: k8s.io/cli-runtime/pkg/printers/tabwriter.go GetNewTabWriter →
 * tabwriter.NewWriter(out, minwidth 6, tabwidth 4, padding 3, ' ', RememberWidths).
 * kubectl describe: k8s.io/kubectl/pkg/describe/describe.go tabbedString →
 * tabwriter.NewWriter(buf, 0, 8, 2, ' ', 0).
 *
 * Cells are tab-terminated; the text after the last tab of a line is not part of a column.
 * A column block is a run of consecutive lines that all have a cell in that column; its
 * width is max(minwidth, widest cell + padding).
 */
export interface TabOptions {
  minwidth: number;
  padding: number;
  /** Widths remembered from an earlier flush (the RememberWidths flag, used by `get -w`). */
  remembered?: number[];
}

export const TABLE_OPTS: TabOptions = { minwidth: 6, padding: 3 };
export const DESCRIBE_OPTS: TabOptions = { minwidth: 0, padding: 2 };

/** Length in code points (Go's utf8.RuneCountInString), not UTF-16 units. */
function runeLen(s: string): number {
  return [...s].length;
}

/** Formats text containing tab-separated cells. Returns the aligned text. */
export function tabwrite(text: string, opts: TabOptions = TABLE_OPTS): string {
  if (!text) return '';
  const endsWithNewline = text.endsWith('\n');
  const rawLines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const lines = rawLines.map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i];
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j];
        s += c;
        if (j < widths.length && j < cells.length - 1) {
          const pad = widths[j] - runeLen(c);
          if (pad > 0) s += ' '.repeat(pad);
        }
      }
      out[i] = s;
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let th = line0; th < line1; th++) {
      if (column >= lines[th].length - 1) continue;
      writeLines(line0, th);
      line0 = th;
      let width = opts.minwidth;
      if (opts.remembered && column < opts.remembered.length) width = Math.max(width, opts.remembered[column]);
      for (; th < line1; th++) {
        const cells = lines[th];
        if (column >= cells.length - 1) break;
        const w = runeLen(cells[column]) + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, th);
      widths.pop();
      line0 = th;
      th--; // the for-loop's ++ resumes at `th`
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}

/** The column widths a table's rows need (for `get -w`, which remembers them between flushes). */
export function columnWidths(rows: string[][], opts: TabOptions = TABLE_OPTS): number[] {
  const widths: number[] = [...(opts.remembered ?? [])];
  for (const r of rows) {
    for (let j = 0; j < r.length - 1; j++) {
      const w = Math.max(opts.minwidth, runeLen(r[j]) + opts.padding);
      if (widths[j] === undefined || w > widths[j]) widths[j] = w;
    }
  }
  return widths;
}

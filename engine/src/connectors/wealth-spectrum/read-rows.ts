import fs from 'node:fs';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { ImportRejectedError } from '../../lib/errors.js';
import type { FileInfo } from './inspect-file.js';

export type Cell = string | number | Date | null;

/** One row as the user sees it: `row` is the 1-based row (CSV: line) number in the file. */
export interface RawRow {
  row: number;
  cells: Cell[];
}

/** Streams the rows of a CSV or XLSX file (first worksheet), header row included. */
export function readRows(file: FileInfo): AsyncIterable<RawRow> {
  return file.format === 'xlsx' ? readXlsx(file.path) : readCsv(file);
}

async function* readCsv(file: FileInfo): AsyncIterable<RawRow> {
  const source =
    file.encoding === 'utf-8'
      ? fs.createReadStream(file.path, { encoding: 'utf8', highWaterMark: 1 << 20 })
      : fs.createReadStream(file.path, { highWaterMark: 1 << 20 }).pipe(iconv.decodeStream('win1252'));
  const parser = source.pipe(
    parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true, delimiter: detectDelimiter(file) }),
  );
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { row: rec.info.lines, cells: rec.record };
    }
  } catch (err) {
    const e = err as { code?: string; message: string; lines?: number };
    throw new ImportRejectedError('MALFORMED_CSV', `The CSV cannot be read: ${e.message}`, [
      { row: e.lines ?? 0, column: null, columnName: null, value: null, message: e.message },
    ]);
  }
}

/** Comma unless the first line clearly uses semicolons, tabs or pipes (Excel in some locales). */
function detectDelimiter(file: FileInfo): string {
  const fd = fs.openSync(file.path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const firstLine = buf.subarray(0, n).toString('latin1').split(/\r?\n/)[0] ?? '';
    const counts = [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length - 1] as const);
    counts.sort((a, b) => b[1] - a[1]);
    return counts[0]![1] > 0 ? counts[0]![0] : ',';
  } finally {
    fs.closeSync(fd);
  }
}

function xlsxCellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('result' in v) return xlsxCellValue(v.result as ExcelJS.CellValue); // formula
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text); // hyperlink
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

async function* readXlsx(path: string): AsyncIterable<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelJS.CellValue[]; // 1-based, sparse
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(xlsxCellValue(values[i]));
        if (cells.some((c) => c !== null && c !== '')) yield { row: row.number, cells };
      }
      return; // first worksheet only
    }
  } catch (err) {
    if (err instanceof ImportRejectedError) throw err;
    throw new ImportRejectedError('MALFORMED_XLSX', `The workbook cannot be read: ${(err as Error).message}`);
  }
}

import fs from 'node:fs';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { ImportRejectedError } from '../../lib/errors.js';
import type { FileInfo } from './inspect-file.js';

export type Cell = string | number | Date | null;

/**
 * One row as the user sees it: `row` is its 1-based row number, as a spreadsheet shows the file
 * (for CSV, the record number counting blank lines; for XLSX, the sheet's row number).
 */
export interface RawRow {
  row: number;
  cells: Cell[];
}

/** Streams the rows of a CSV or XLSX file (first worksheet), header row included, in batches. */
export function readRowBatches(file: FileInfo): AsyncIterable<RawRow[]> {
  return file.format === 'xlsx' ? batched(readXlsx(file.path), 1000) : readCsv(file);
}

async function* batched<T>(items: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Papaparse in chunk mode, paused between chunks: one await per ~1 MB of text, not per row. */
async function* readCsv(file: FileInfo): AsyncIterable<RawRow[]> {
  const text =
    file.encoding === 'utf-8'
      ? fs.createReadStream(file.path, { encoding: 'utf8', highWaterMark: 1 << 20 })
      : (fs.createReadStream(file.path, { highWaterMark: 1 << 20 }).pipe(iconv.decodeStream('win1252')) as unknown as Readable);
  const queue: (RawRow[] | Error | null)[] = [];
  let wake: (() => void) | undefined;
  let parser: Papa.Parser | undefined;
  let row = 0;
  const push = (item: RawRow[] | Error | null) => {
    queue.push(item);
    wake?.();
  };
  text.on('error', (err: Error) => push(err));
  Papa.parse<string[]>(text as unknown as NodeJS.ReadableStream, {
    delimiter: detectDelimiter(file),
    skipEmptyLines: false,
    chunk(results, p) {
      parser = p;
      const batch: RawRow[] = [];
      for (const cells of results.data) {
        row++;
        if (row === 1 && typeof cells[0] === 'string' && cells[0].charCodeAt(0) === 0xfeff) cells[0] = cells[0].slice(1);
        if (cells.length === 1 && cells[0] === '') continue; // blank line
        batch.push({ row, cells });
      }
      p.pause();
      push(batch);
    },
    complete: () => push(null),
    error: (err: Error) => push(err),
  });
  for (;;) {
    if (!queue.length) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    const item = queue.shift()!;
    if (item === null) return;
    if (item instanceof Error) throw new ImportRejectedError('MALFORMED_CSV', `The CSV cannot be read: ${item.message}`);
    yield item;
    parser?.resume();
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

/**
 * Streamed Excel workbooks (exceljs WorkbookWriter): rows are committed as they come, so a large export never holds
 * the whole sheet in memory. Cells are typed: money and counts as numbers with number formats (₹ with lakh/crore
 * grouping), returns as percentages, dates as dates, text as text.
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Branding } from './branding.js';

export type XlsxType = 'text' | 'int' | 'money' | 'percent' | 'ratio' | 'date';

export interface XlsxColumn<T> {
  header: string;
  type: XlsxType;
  width?: number;
  value: (row: T) => string | number | null | undefined;
}

/** ₹ with Indian grouping: crores and lakhs by value, the usual Excel idiom (negatives in the last section). */
export const INR_FORMAT = '[>=10000000]"₹"##\\,##\\,##\\,##0.00;[>=100000]"₹"##\\,##\\,##0.00;"₹"#,##0.00';
export const FORMATS: Record<XlsxType, string | undefined> = {
  text: undefined,
  int: '#,##0',
  money: INR_FORMAT,
  percent: '0.00%',
  ratio: '0.00',
  date: 'dd-mmm-yyyy',
};

/** A cell value of the column's type: numbers from decimal strings, Date (UTC midnight) from ISO dates. */
export function cellValue(type: XlsxType, v: string | number | null | undefined): string | number | Date | null {
  if (v === null || v === undefined || v === '') return null;
  switch (type) {
    case 'text':
      return String(v);
    case 'date':
      return new Date(`${String(v).slice(0, 10)}T00:00:00Z`);
    default:
      return typeof v === 'number' ? v : Number(v);
  }
}

export interface SheetSpec<T> {
  name: string;
  title: string;
  columns: XlsxColumn<T>[];
  rows: AsyncIterable<T[]>;
}

/** Writes the sheets to a stream as they are read; the returned stream errors if reading does. */
export function streamWorkbook<T>(sheet: SheetSpec<T>, branding: Branding, meta: { subtitle: string }): Readable {
  const out = new PassThrough();
  void (async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = branding.firmName;
    wb.created = new Date();
    const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 4 }] });
    ws.columns = sheet.columns.map((c) => ({ width: c.width ?? (c.type === 'text' ? 22 : 16), style: FORMATS[c.type] ? { numFmt: FORMATS[c.type] } : {} }));
    const argb = `FF${branding.colours.primary.slice(1).toUpperCase()}`;
    ws.addRow([`${branding.firmName} · SEBI Reg. No. ${branding.sebiRegistration}`]).font = { bold: true, color: { argb } };
    ws.addRow([sheet.title, meta.subtitle]).font = { bold: true };
    ws.addRow([]);
    const header = ws.addRow(sheet.columns.map((c) => c.header));
    header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb } };
    });
    header.commit();
    for await (const batch of sheet.rows) {
      for (const r of batch) ws.addRow(sheet.columns.map((c) => cellValue(c.type, c.value(r)))).commit();
    }
    ws.autoFilter = { from: { row: 4, column: 1 }, to: { row: 4, column: sheet.columns.length } };
    ws.commit();
    await wb.commit();
  })().catch((err) => out.destroy(err as Error));
  return out;
}

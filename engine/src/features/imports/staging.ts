import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { TransactionSql } from '../../db/client.js';

/**
 * Rows are staged in a temporary table of text columns (values already validated and normalised),
 * then merged set-wise. PostgreSQL gets them through COPY; PGlite, whose socket COPY is broken,
 * through batched INSERT … SELECT FROM unnest(…).
 */
export interface StagingWriter {
  table: string;
  addBatch(rows: [rowNo: number, values: (string | null)[]][]): Promise<void>;
  finish(): Promise<void>;
}

export async function createStaging(
  tx: TransactionSql,
  fields: string[],
  useCopy: boolean,
): Promise<StagingWriter> {
  const table = `stg_import_${process.pid}_${Date.now().toString(36)}`;
  await tx.unsafe(`create temporary table ${table} (row_no integer not null, ${fields.map((f) => `${f} text`).join(', ')}) on commit drop`);
  return useCopy ? copyWriter(tx, table, fields) : unnestWriter(tx, table, fields);
}

function copyEscape(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

async function copyWriter(tx: TransactionSql, table: string, fields: string[]): Promise<StagingWriter> {
  const stream: Writable = await tx.unsafe(`copy ${table} (row_no, ${fields.join(', ')}) from stdin`).writable();
  return {
    table,
    async addBatch(rows) {
      if (!rows.length) return;
      let chunk = '';
      for (const [rowNo, values] of rows) {
        chunk += `${rowNo}`;
        for (const v of values) chunk += `\t${copyEscape(v)}`;
        chunk += '\n';
      }
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async finish() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

function arrayLiteral(values: (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ',';
    out += v === null || v === undefined ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

async function unnestWriter(tx: TransactionSql, table: string, fields: string[]): Promise<StagingWriter> {
  const BATCH = 5000;
  const query = `insert into ${table} (row_no, ${fields.join(', ')})
    select * from unnest($1::int[], ${fields.map((_, i) => `$${i + 2}::text[]`).join(', ')})`;
  let rowNos: number[] = [];
  let columns: (string | null)[][] = fields.map(() => []);
  const flush = async () => {
    if (!rowNos.length) return;
    const params = [`{${rowNos.join(',')}}`, ...columns.map(arrayLiteral)];
    rowNos = [];
    columns = fields.map(() => []);
    await tx.unsafe(query, params);
  };
  return {
    table,
    async addBatch(rows) {
      for (const [rowNo, values] of rows) {
        rowNos.push(rowNo);
        for (let i = 0; i < fields.length; i++) columns[i]!.push(values[i] ?? null);
        if (rowNos.length >= BATCH) await flush();
      }
    },
    finish: flush,
  };
}

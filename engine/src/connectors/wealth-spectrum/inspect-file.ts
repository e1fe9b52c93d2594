import crypto from 'node:crypto';
import fs from 'node:fs';
import { ImportRejectedError } from '../../lib/errors.js';

export interface FileInfo {
  path: string;
  bytes: number;
  sha256: string;
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'windows-1252';
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]); // legacy .xls

/**
 * One streaming pass over a file: size, SHA-256, format by content (not by name) and text encoding.
 * Rejects empty, oversized and binary files before any parsing starts.
 */
export async function inspectFile(path: string, maxBytes: number): Promise<FileInfo> {
  const { size } = await fs.promises.stat(path);
  if (size === 0) throw new ImportRejectedError('EMPTY_FILE', 'The file is empty.');
  if (size > maxBytes) {
    throw new ImportRejectedError('FILE_TOO_LARGE', `The file is ${size} bytes; the limit is ${maxBytes} bytes.`, [], 413);
  }
  const hash = crypto.createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let head: Buffer | undefined;
  let validUtf8 = true;
  let sawNul = false;
  for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    hash.update(buf);
    head ??= buf.subarray(0, 8);
    if (head.subarray(0, 4).equals(ZIP_MAGIC)) continue; // xlsx: the rest is zip data
    if (!sawNul && buf.includes(0)) sawNul = true;
    if (validUtf8) {
      try {
        utf8.decode(buf, { stream: true });
      } catch {
        validUtf8 = false;
      }
    }
  }
  const sha256 = hash.digest('hex');
  if (head && head.subarray(0, 4).equals(ZIP_MAGIC)) return { path, bytes: size, sha256, format: 'xlsx', encoding: 'utf-8' };
  if (head && head.subarray(0, 4).equals(OLE_MAGIC)) {
    throw new ImportRejectedError('UNSUPPORTED_FORMAT', 'Legacy .xls workbooks are not supported: save the export as .xlsx or .csv.', [], 415);
  }
  if (head && (head[0] === 0xff || head[0] === 0xfe) && (head[1] === 0xfe || head[1] === 0xff)) {
    throw new ImportRejectedError('UNSUPPORTED_ENCODING', 'UTF-16 text is not supported: export as UTF-8 or Windows-1252 CSV.', [], 415);
  }
  if (sawNul) throw new ImportRejectedError('NOT_TEXT', 'The file is binary, not CSV text or an XLSX workbook.', [], 415);
  if (validUtf8) {
    try {
      utf8.decode(); // a truncated multi-byte sequence at the very end
    } catch {
      validUtf8 = false;
    }
  }
  return { path, bytes: size, sha256, format: 'csv', encoding: validUtf8 ? 'utf-8' : 'windows-1252' };
}

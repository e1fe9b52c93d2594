import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { AppError, ImportRejectedError } from '../../lib/errors.js';

export interface ReceivedUpload {
  filePath: string;
  fileName: string;
  fields: Record<string, string>;
  cleanup(): void;
}

/**
 * Streams a multipart upload's `file` part to a temporary file (memory stays flat whatever the
 * size) and collects the text fields. Stops reading as soon as the file passes `maxBytes`.
 */
export async function receiveUpload(request: Request, maxBytes: number): Promise<ReceivedUpload> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!contentType.startsWith('multipart/form-data') || !request.body) {
    throw new AppError(400, 'BAD_REQUEST', 'Send multipart/form-data with a "file" part and a "kind" field.');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-upload-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const fields: Record<string, string> = {};
    let filePath: string | undefined;
    let fileName = 'upload';
    let tooLarge = false;
    const bb = busboy({
      headers: { 'content-type': contentType },
      limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: maxBytes },
    });
    const writes: Promise<void>[] = [];
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      fileName = path.basename(info.filename || 'upload');
      filePath = path.join(dir, `${crypto.randomUUID()}${path.extname(fileName)}`);
      stream.on('limit', () => {
        tooLarge = true;
      });
      writes.push(pipeline(stream, fs.createWriteStream(filePath)));
    });
    await pipeline(Readable.fromWeb(request.body as import('node:stream/web').ReadableStream), bb);
    await Promise.all(writes);
    if (tooLarge) throw new ImportRejectedError('FILE_TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes.`, [], 413);
    if (!filePath) throw new AppError(400, 'BAD_REQUEST', 'The multipart body has no "file" part.');
    return { filePath, fileName, fields, cleanup };
  } catch (err) {
    cleanup();
    if (err instanceof AppError) throw err;
    throw new AppError(400, 'BAD_REQUEST', `The upload could not be read: ${(err as Error).message}`);
  }
}

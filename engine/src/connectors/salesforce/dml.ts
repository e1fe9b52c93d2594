/**
 * Writing to Salesforce: record updates through the sObject Collections API in chunks of 200
 * (re-trying only the records that hit UNABLE_TO_LOCK_ROW), and ContentVersion uploads as
 * multipart bodies (how the Salesforce CLI attaches files).
 */
import { randomBytes } from 'node:crypto';
import type { Connection } from '@jsforce/jsforce-node';
import { salesforceErrorCode, withRetry, type RetryOptions } from './retry.js';

export const COLLECTION_LIMIT = 200;

export interface RecordError {
  /** Salesforce returns `statusCode` per record in collections, `errorCode` elsewhere; normalised here. */
  errorCode: string;
  message: string;
  fields: string[];
}

export interface RecordResult {
  id: string;
  success: boolean;
  errors: RecordError[];
}

interface RawSaveResult {
  id?: string | null;
  success: boolean;
  errors: { statusCode?: string; errorCode?: string; message: string; fields?: string[] }[];
}

export interface UpdateRecordsOptions {
  allOrNone?: boolean;
  /** Retry policy for each collection call (network, REQUEST_LIMIT_EXCEEDED…). PATCH of the same values is idempotent. */
  retry?: RetryOptions;
  /** Rounds of re-sending records that failed with UNABLE_TO_LOCK_ROW. Default 3. */
  lockRetries?: number;
  /** Wait before a lock retry round. Default 1,000 ms. */
  lockRetryDelayMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function normalise(id: string, raw: RawSaveResult): RecordResult {
  return {
    id,
    success: raw.success,
    errors: (raw.errors ?? []).map((e) => ({ errorCode: e.statusCode ?? e.errorCode ?? 'UNKNOWN', message: e.message, fields: e.fields ?? [] })),
  };
}

/**
 * Update records (each with Id) in chunks of 200 through PATCH /composite/sobjects. Returns one
 * result per input record, in input order. Records that fail with UNABLE_TO_LOCK_ROW are re-sent
 * alone after a pause; other per-record failures are returned, not thrown.
 */
export async function updateRecords(
  conn: Connection,
  sobject: string,
  records: ({ Id: string } & Record<string, unknown>)[],
  options: UpdateRecordsOptions = {},
): Promise<RecordResult[]> {
  const results = new Map<string, RecordResult>();
  const lockRetries = options.lockRetries ?? 3;
  let pending = records;
  for (let round = 0; pending.length > 0; round++) {
    for (let start = 0; start < pending.length; start += COLLECTION_LIMIT) {
      const chunk = pending.slice(start, start + COLLECTION_LIMIT);
      const raw = await withRetry(
        () =>
          conn.request<RawSaveResult[]>({
            method: 'PATCH',
            url: '/composite/sobjects',
            body: JSON.stringify({
              allOrNone: options.allOrNone ?? false,
              records: chunk.map(({ Id, ...fields }) => ({ attributes: { type: sobject }, id: Id, ...fields })),
            }),
            headers: { 'content-type': 'application/json' },
          }),
        options.retry,
      );
      chunk.forEach((record, i) => results.set(record.Id, normalise(record.Id, raw[i] ?? { success: false, errors: [{ errorCode: 'NO_RESULT', message: 'no result returned for record' }] })));
    }
    if (options.allOrNone || round >= lockRetries) break;
    const locked = pending.filter((r) => results.get(r.Id)!.errors.some((e) => e.errorCode === 'UNABLE_TO_LOCK_ROW'));
    if (locked.length === 0) break;
    await sleep(options.lockRetryDelayMs ?? 1000);
    pending = locked;
  }
  return records.map((r) => results.get(r.Id)!);
}

export interface ContentVersionUpload {
  title: string;
  /** File name with extension (Salesforce derives the file type from it), e.g. 'Q1-2025-statement.pdf'. */
  pathOnClient: string;
  /** Record the file is attached to (Account Id for a client report). */
  firstPublishLocationId: string;
  data: Buffer;
  contentType?: string;
  description?: string;
  /**
   * Retry policy. A create is not idempotent, so by default only rejections that happen before
   * Salesforce stores anything are retried (REQUEST_LIMIT_EXCEEDED, SERVER_UNAVAILABLE,
   * UNABLE_TO_LOCK_ROW) — never a dropped connection, after which the file may exist.
   */
  retry?: RetryOptions;
}

/** Multipart body of a ContentVersion insert: `entity_content` JSON part + `VersionData` binary part. */
export function contentVersionMultipart(upload: Omit<ContentVersionUpload, 'retry'>): { body: Buffer; contentType: string } {
  const boundary = `----pmsBoundary${randomBytes(12).toString('hex')}`;
  const entity = {
    Title: upload.title,
    PathOnClient: upload.pathOnClient,
    FirstPublishLocationId: upload.firstPublishLocationId,
    ...(upload.description ? { Description: upload.description } : {}),
  };
  const filename = upload.pathOnClient.replace(/["\r\n]/g, '_');
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(entity)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="VersionData"; filename="${filename}"\r\nContent-Type: ${upload.contentType ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    upload.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Attach a file to a record by inserting a ContentVersion. The body is a Buffer (not a stream),
 * so jsforce can re-send it after renewing an expired session.
 */
export async function uploadContentVersion(conn: Connection, upload: ContentVersionUpload): Promise<{ id: string }> {
  const { body, contentType } = contentVersionMultipart(upload);
  const result = await withRetry(
    () =>
      conn.request<{ id: string; success: boolean; errors: unknown[] }>({
        method: 'POST',
        url: '/sobjects/ContentVersion',
        body,
        headers: { 'content-type': contentType },
      }),
    {
      ...upload.retry,
      retryable:
        upload.retry?.retryable ??
        ((error) => {
          const code = salesforceErrorCode(error);
          return code === 'REQUEST_LIMIT_EXCEEDED' || code === 'SERVER_UNAVAILABLE' || code === 'UNABLE_TO_LOCK_ROW' ? code : null;
        }),
    },
  );
  return { id: result.id };
}

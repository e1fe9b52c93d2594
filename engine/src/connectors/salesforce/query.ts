/**
 * Reading from Salesforce: every page of a REST query (following nextRecordsUrl ourselves, so
 * jsforce's silent 10,000-record autoFetch cap never applies), Bulk API 2.0 queries with
 * whole-query retry, and org feature detection (FSC model, Person Accounts).
 */
import type { Connection } from '@jsforce/jsforce-node';
import { parse as parseCsv } from 'csv-parse/sync';
import { retryReason, withRetry, type RetryOptions } from './retry.js';

export type FlatRecord = Record<string, unknown>;

interface RestQueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

export interface QueryPage {
  records: FlatRecord[];
  totalSize: number;
  /** 0-based page number. */
  index: number;
}

export interface QueryPagesOptions {
  /** Use the queryAll endpoint: include deleted (IsDeleted = true) and archived records. */
  includeDeleted?: boolean;
  /** Records per page (Salesforce clamps to 200..2000). Default: the org's (2000). */
  batchSize?: number;
  /** Retry policy for each page request. */
  retry?: RetryOptions;
}

export interface QueryAllOptions extends QueryPagesOptions {
  /** When the first page reports more than this many records, switch to a Bulk API 2.0 query. */
  bulkThreshold?: number;
  /** Options for the bulk query when bulkThreshold triggers it. */
  bulk?: Omit<BulkQueryOptions, 'includeDeleted'>;
}

export interface QueryAllResult {
  records: FlatRecord[];
  /** 'rest' records keep JSON types; 'bulk' records hold every value as a string (null when empty). */
  via: 'rest' | 'bulk';
}

/**
 * A REST record without `attributes`, relationship objects flattened to dotted keys
 * ({ Owner: { Name } } → { 'Owner.Name' }), so REST and Bulk rows have the same keys.
 */
export function flattenRecord(record: Record<string, unknown>, prefix = '', out: FlatRecord = {}): FlatRecord {
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    if (value && typeof value === 'object' && !Array.isArray(value) && 'attributes' in value) {
      flattenRecord(value as Record<string, unknown>, `${prefix}${key}.`, out);
    } else {
      out[`${prefix}${key}`] = value;
    }
  }
  return out;
}

/**
 * Format a date-time for a SOQL literal. Salesforce returns SystemModstamp as
 * 2024-01-31T10:00:00.000+0000, which SOQL itself rejects; this gives 2024-01-31T10:00:00.000Z.
 */
export function soqlDateTime(value: string | Date): string {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) throw new Error(`not a date-time: ${String(value)}`);
  return new Date(ms).toISOString();
}

/** Quote a string for a SOQL literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/**
 * Yield a REST query page by page, following nextRecordsUrl until done. Each page request is
 * retried on its own, so a REQUEST_LIMIT_EXCEEDED or dropped connection on page 7 resumes at page 7;
 * an expired session is renewed by the connection's refreshFn.
 */
export async function* queryPages(conn: Connection, soql: string, options: QueryPagesOptions = {}): AsyncGenerator<QueryPage> {
  const headers: Record<string, string> = options.batchSize ? { 'Sforce-Query-Options': `batchSize=${options.batchSize}` } : {};
  let url: string | undefined = `/${options.includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
  let index = 0;
  while (url) {
    const pageUrl: string = url;
    const page: RestQueryPage = await withRetry(() => conn.request<RestQueryPage>({ method: 'GET', url: pageUrl, headers }), options.retry);
    yield { records: page.records.map((r) => flattenRecord(r)), totalSize: page.totalSize, index: index++ };
    url = page.done ? undefined : page.nextRecordsUrl;
    if (!page.done && !url) throw new Error('Salesforce query page is not done but has no nextRecordsUrl');
  }
}

/**
 * All records of a query. With `bulkThreshold`, a query whose first page reports more records
 * than the threshold is re-run through Bulk API 2.0 (fewer API calls for large extracts).
 */
export async function queryAll(conn: Connection, soql: string, options: QueryAllOptions = {}): Promise<QueryAllResult> {
  const records: FlatRecord[] = [];
  for await (const page of queryPages(conn, soql, options)) {
    if (page.index === 0 && options.bulkThreshold !== undefined && page.totalSize > options.bulkThreshold) {
      const bulkRecords = await bulkQuery(conn, soql, { ...options.bulk, includeDeleted: options.includeDeleted, retry: options.bulk?.retry ?? options.retry });
      return { records: bulkRecords, via: 'bulk' };
    }
    records.push(...page.records);
  }
  return { records, via: 'rest' };
}

export interface BulkQueryOptions {
  includeDeleted?: boolean;
  /** Wait between job status checks. Default 2,000 ms. */
  pollIntervalMs?: number;
  /** Give up waiting for the job after this long. Default 10 minutes. */
  pollTimeoutMs?: number;
  /** Records per result page (maxRecords). Default: Salesforce's choice. */
  pageSize?: number;
  /** Retry policy for the whole query (job creation, polling and every result page). */
  retry?: RetryOptions;
}

interface BulkJobInfo {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  errorMessage?: string;
}

/** A Bulk 2.0 query job ended Failed/Aborted, or did not finish in time. */
export class BulkQueryError extends Error {
  constructor(
    message: string,
    readonly jobId: string,
    readonly errorCode: 'BULK_JOB_FAILED' | 'BULK_JOB_TIMEOUT' | 'BULK_RESULT_MISMATCH',
  ) {
    super(message);
    this.name = 'BulkQueryError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Parse a Bulk 2.0 CSV page: unquoted empty cells are nulls (Salesforce's encoding of null). */
export function parseBulkCsv(text: string): FlatRecord[] {
  return parseCsv(text, {
    columns: true,
    skip_empty_lines: true,
    cast: (value, context) => (value === '' && !context.quoting ? null : value),
  }) as FlatRecord[];
}

async function fetchResultPage(conn: Connection, jobId: string, locator: string | undefined, pageSize: number | undefined) {
  const search = new URLSearchParams();
  if (locator) search.set('locator', locator);
  if (pageSize) search.set('maxRecords', String(pageSize));
  const qs = search.toString();
  // conn.request returns only the body; the next-page locator is a response header, so capture it
  // with a transport wrapper (conn.request accepts a transport in its HttpApi options). Going through
  // conn.request keeps jsforce's session refresh, unlike piping jsforce's own bulk2 result stream.
  let headers: Record<string, string> = {};
  const inner = conn._transport;
  const transport = {
    httpRequest(req: Parameters<typeof inner.httpRequest>[0], opts?: Parameters<typeof inner.httpRequest>[1]) {
      const promise = inner.httpRequest(req, opts);
      promise.then(
        (res) => {
          headers = res.headers;
        },
        () => undefined,
      );
      return promise;
    },
  };
  const text = await conn.request<string>(
    { method: 'GET', url: `/jobs/query/${jobId}/results${qs ? `?${qs}` : ''}`, headers: { Accept: 'text/csv' } },
    { responseType: 'text/plain', transport },
  );
  const records = parseBulkCsv(typeof text === 'string' ? text : String(text ?? ''));
  const expected = headers['sforce-numberofrecords'];
  if (expected !== undefined && Number(expected) !== records.length) {
    throw new BulkQueryError(`Bulk result page of job ${jobId} has ${records.length} records, header says ${expected}`, jobId, 'BULK_RESULT_MISMATCH');
  }
  const next = headers['sforce-locator'];
  return { records, nextLocator: next && next !== 'null' ? next : undefined };
}

/**
 * Run a SOQL query through Bulk API 2.0 and return every record (values as strings, null when
 * empty). Any retryable failure — at job creation, while polling or in the middle of downloading
 * the result pages — restarts the whole query with a new job, so partial downloads never leak.
 */
export async function bulkQuery(conn: Connection, soql: string, options: BulkQueryOptions = {}): Promise<FlatRecord[]> {
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  const pollTimeoutMs = options.pollTimeoutMs ?? 10 * 60_000;
  const retryable = (error: unknown) =>
    error instanceof BulkQueryError ? (error.errorCode === 'BULK_RESULT_MISMATCH' ? error.errorCode : null) : retryReason(error);
  return withRetry(
    async () => {
      const job = await conn.request<BulkJobInfo>({
        method: 'POST',
        url: '/jobs/query',
        body: JSON.stringify({ operation: options.includeDeleted ? 'queryAll' : 'query', query: soql }),
        headers: { 'content-type': 'application/json' },
      });
      try {
        const deadline = Date.now() + pollTimeoutMs;
        for (;;) {
          const info = await conn.request<BulkJobInfo>({ method: 'GET', url: `/jobs/query/${job.id}` });
          if (info.state === 'JobComplete') break;
          if (info.state === 'Failed' || info.state === 'Aborted') {
            throw new BulkQueryError(`Bulk query job ${job.id} ${info.state}${info.errorMessage ? `: ${info.errorMessage}` : ''}`, job.id, 'BULK_JOB_FAILED');
          }
          if (Date.now() + pollIntervalMs > deadline) {
            throw new BulkQueryError(`Bulk query job ${job.id} not complete after ${pollTimeoutMs} ms`, job.id, 'BULK_JOB_TIMEOUT');
          }
          await sleep(pollIntervalMs);
        }
        const records: FlatRecord[] = [];
        let locator: string | undefined;
        do {
          const page = await fetchResultPage(conn, job.id, locator, options.pageSize);
          for (const r of page.records) records.push(r);
          locator = page.nextLocator;
        } while (locator);
        return records;
      } finally {
        // Best effort: completed jobs are cleaned up, abandoned ones too (Salesforce would keep them 7 days).
        await conn.request({ method: 'DELETE', url: `/jobs/query/${job.id}` }).then(
          () => undefined,
          () => undefined,
        );
      }
    },
    { ...options.retry, retryable: options.retry?.retryable ?? retryable },
  );
}

export interface OrgFeatures {
  /** Financial Services Cloud model: the managed package (FinServ__ objects), the standard objects (API 61.0+), or none. */
  hasFsc: 'managed' | 'standard' | false;
  /** Person Accounts enabled (Account has IsPersonAccount). */
  personAccounts: boolean;
}

/** Detect FSC and Person Accounts with two describe calls. */
export async function describeOrg(conn: Connection, options: { retry?: RetryOptions } = {}): Promise<OrgFeatures> {
  const global = await withRetry(() => conn.describeGlobal(), options.retry);
  const names = new Set(global.sobjects.map((s) => s.name));
  const hasFsc = names.has('FinServ__FinancialAccount__c') ? 'managed' : names.has('FinancialAccount') ? 'standard' : false;
  const account = await withRetry(() => conn.describe('Account'), options.retry);
  const personAccounts = account.fields.some((f) => f.name === 'IsPersonAccount');
  return { hasFsc, personAccounts };
}

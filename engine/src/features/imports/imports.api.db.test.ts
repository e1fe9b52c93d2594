import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { processInbox, startImportInbox } from '../../jobs/import-inbox.js';
import { OK_BOOK, fixture } from './test-helpers.js';

let t: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<any> => r.json();
beforeAll(async () => {
  t = await createTestApp({ IMPORT_MAX_BYTES: String(200 * 1024) });
});
afterAll(() => t?.close());

function upload(file: string, kind: string, name = path.basename(file), headers = t.auth()) {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new Blob([fs.readFileSync(file)]), name);
  return t.app.request('/api/imports', { method: 'POST', body: form, headers });
}

describe('auth', () => {
  it('opens /health without a key and reports the database kind', async () => {
    const res = await t.app.request('/health');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok', database: t.db.kind, version: expect.any(String) });
  });

  it.each([
    ['no header', {}],
    ['a malformed header', { authorization: 'Token abc' }],
    ['an unknown key', { authorization: 'Bearer pmsk_not-a-real-key' }],
  ])('answers 401 for %s', async (_label, headers) => {
    const res = await t.app.request('/api/clients', { headers });
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('UNAUTHORIZED');
  });

  it('answers 403 when the key lacks the scope', async () => {
    const readOnly = await t.keyWith(['read']);
    const res = await upload(fixture('ok/rm_master.csv'), 'relationship-managers', undefined, t.auth(readOnly));
    expect(res.status).toBe(403);
  });

  it('accepts the bootstrap key from the environment', async () => {
    const { ensureBootstrapKey } = await import('../../prepare.js');
    const key = 'bootstrap-key-for-tests-0123456789';
    await ensureBootstrapKey({ ...t.deps, env: { ...t.deps.env, PMS_BOOTSTRAP_API_KEY: key } });
    expect((await t.app.request('/api/clients', { headers: t.auth(key) })).status).toBe(200);
  });
});

describe('POST /api/imports', () => {
  it('imports the good book and returns each run with its counts', async () => {
    for (const [kind, file] of OK_BOOK) {
      const res = await upload(fixture(file), kind);
      const body = await json(res);
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(body).toMatchObject({ kind, status: 'succeeded', source: 'api', fileName: path.basename(file) });
      expect(body.inserted).toBe(body.rowsTotal);
    }
  });

  it('changes nothing on a second upload of the same file', async () => {
    const res = await upload(fixture('ok/transaction_statement.csv'), 'transactions');
    expect(await json(res)).toMatchObject({ status: 'succeeded', rowsTotal: 16, inserted: 0, updated: 0, unchanged: 16 });
  });

  it('rejects an invalid row with 422 and the problem list', async () => {
    const res = await upload(fixture('not-ok/bad_number.csv'), 'transactions');
    expect(res.status).toBe(422);
    expect(await json(res)).toEqual({
      error: {
        code: 'INVALID_ROWS',
        message: '1 problem found; the file was not imported.',
        details: [{ row: 3, column: 10, columnName: 'net_amount', value: '12,3x4.00', message: 'not a number' }],
      },
    });
  });

  it('answers 413 for a file over IMPORT_MAX_BYTES, without keeping it', async () => {
    const big = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'big-')), 'valuations.csv');
    fs.writeFileSync(big, `ws_account_code,valuation_date,market_value\n${'WS0000101,15/04/2021,"1,00,00,000.00"\n'.repeat(8000)}`);
    const res = await upload(big, 'valuations');
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('FILE_TOO_LARGE');
  });

  it('answers 415 for a binary file and 400 for an unknown kind', async () => {
    expect((await upload(fixture('not-ok/binary.csv'), 'transactions')).status).toBe(415);
    const res = await upload(fixture('ok/rm_master.csv'), 'payments');
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toMatch(/"kind" must be one of/);
  });

  it('lists runs with their outcome, and shows one', async () => {
    const res = await t.app.request('/api/imports?pageSize=5&status=failed', { headers: t.auth() });
    const body = await json(res);
    expect(res.status).toBe(200);
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.items.every((r: { status: string }) => r.status === 'failed')).toBe(true);
    const one = await t.app.request(`/api/imports/${body.items[0].id}`, { headers: t.auth() });
    expect((await json(one)).error.code).toBeTypeOf('string');
    expect((await t.app.request('/api/imports/999999', { headers: t.auth() })).status).toBe(404);
    expect((await t.app.request('/api/imports/abc', { headers: t.auth() })).status).toBe(400);
  });

  it('audits imports', async () => {
    const rows = await t.db.sql`select action, actor from audit_log where action like 'import.%' order by id`;
    expect(rows.filter((r) => r.action === 'import.succeeded').length).toBeGreaterThanOrEqual(OK_BOOK.length);
    expect(rows.some((r) => r.action === 'import.rejected')).toBe(true);
  });
});

describe('GET /api/clients', () => {
  it('pages clients with RM and AUM from the latest valuations, and audits the read', async () => {
    const res = await t.app.request('/api/clients?page=1&pageSize=2', { headers: t.auth() });
    const body = await json(res);
    expect(res.status).toBe(200);
    expect(body.total).toBe(4);
    expect(body.items.map((c: { name: string }) => c.name)).toEqual(['Aarav Kapoor', 'Meera Nair']);
    // WS0000101 latest 19/04/2021 99,87,310.25 + WS0000104 no valuations
    expect(body.items[0]).toMatchObject({ clientCode: 'C000101', aum: '9987310.25', aumAsOf: '2021-04-19', portfolioCount: 2, rm: { code: 'RM002', name: 'Rohit Sharma' }, pan: 'ABCPK1234F' });
    const [entry] = await t.db.sql`select action, client_ids from audit_log where action = 'clients.list' order by id desc limit 1`;
    expect(entry!.client_ids).toHaveLength(2);
  });

  it('masks PAN for callers without PII permission', async () => {
    const res = await t.app.request('/api/clients?pageSize=1', { headers: t.auth(await t.keyWith(['read'])) });
    expect((await json(res)).items[0].pan).toBe('XXXXX1234X');
  });

  it('rejects out-of-range paging with the one error format', async () => {
    const res = await t.app.request('/api/clients?pageSize=100000', { headers: t.auth() });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('VALIDATION_FAILED');
  });
});

describe('documents and operations', () => {
  it('serves a generated OpenAPI document that includes the upload', async () => {
    const doc = await json(await t.app.request('/api/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/api/imports', '/api/imports/{id}', '/api/clients']));
    expect(doc.paths['/api/imports'].post.requestBody.content['multipart/form-data']).toBeDefined();
  });

  it('exposes Prometheus metrics including import rows and failures', async () => {
    const text = await (await t.app.request('/metrics')).text();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/clients",status="200"\} \d+/);
    expect(text).toMatch(/route="\/api\/imports\/:id"/);
    expect(text).not.toMatch(/route="\/api\/\*"/);
    expect(text).toMatch(/import_rows_total\{kind="transactions",outcome="imported"\} \d+/);
    expect(text).toMatch(/import_failures_total\{kind="transactions",code="INVALID_ROWS"\} \d+/);
  });

  it('sets security headers and answers unknown routes in the error format', async () => {
    const res = await t.app.request('/api/nothing-here', { headers: t.auth() });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await json(res)).error.code).toBe('NOT_FOUND');
  });
});

describe('import inbox', () => {
  it('imports dropped files in dependency order and moves them to processed/ or failed/', async () => {
    const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-'));
    const old = new Date(Date.now() - 60_000);
    const drop = (src: string, name: string) => {
      fs.copyFileSync(fixture(src), path.join(inbox, name));
      fs.utimesSync(path.join(inbox, name), old, old);
    };
    // Named so that alphabetical order would be wrong: valuations before the clients they need.
    drop('ok/valuations.csv', 'a_valuations_2021.csv'.replace('a_', ''));
    fs.writeFileSync(path.join(inbox, 'client_master_new.csv'), 'client_code,client_name,rm_code,rm_name,onboarding_date\nC000200,Ishaan Bose,RM009,Nandini Rao,01/04/2024\n');
    fs.utimesSync(path.join(inbox, 'client_master_new.csv'), old, old);
    fs.writeFileSync(path.join(inbox, 'portfolio_master_new.csv'), 'ws_account_code,client_code,strategy_code,inception_date\nWS0000200,C000200,FLX,01/04/2024\n');
    fs.utimesSync(path.join(inbox, 'portfolio_master_new.csv'), old, old);
    drop('not-ok/bad_date.csv', 'transactions_bad.csv');
    drop('ok/rm_master.csv', 'mystery_export.csv');
    fs.writeFileSync(path.join(inbox, 'valuations_fresh.csv'), 'x'); // still being written: not settled

    const results = await processInbox(t.deps, inbox);
    expect(results.map((r) => [r.file, r.kind, r.outcome])).toEqual([
      ['mystery_export.csv', null, 'failed'],
      ['client_master_new.csv', 'clients', 'processed'],
      ['portfolio_master_new.csv', 'portfolios', 'processed'],
      ['transactions_bad.csv', 'transactions', 'failed'],
      ['valuations_2021.csv', 'valuations', 'processed'],
    ]);
    expect(fs.readdirSync(path.join(inbox, 'processed')).sort()).toEqual(['client_master_new.csv', 'portfolio_master_new.csv', 'valuations_2021.csv']);
    const report = JSON.parse(fs.readFileSync(path.join(inbox, 'failed', 'transactions_bad.csv.errors.json'), 'utf8'));
    expect(report.error.details[0]).toMatchObject({ row: 2, columnName: 'trandate' });
    expect(fs.existsSync(path.join(inbox, 'failed', 'mystery_export.csv.errors.json'))).toBe(true);
    expect(fs.existsSync(path.join(inbox, 'valuations_fresh.csv'))).toBe(true);
    const [p] = await t.db.sql`select c.client_code from portfolios p join clients c on c.id = p.client_id where portfolio_code = 'WS0000200'`;
    expect(p!.client_code).toBe('C000200');
  });

  it('runs as a scheduled bree job in a worker thread, on the engine store', async () => {
    const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-bree-'));
    const file = path.join(inbox, 'client_master_bree.csv');
    fs.writeFileSync(file, 'client_code,client_name,rm_code,rm_name,onboarding_date\nC000300,Farhan Qureshi,RM010,Leela Menon,05/04/2024\n');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const job = await startImportInbox({ ...t.deps, env: { ...t.deps.env, IMPORT_INBOX_DIR: inbox } });
    try {
      await job.runNow();
    } finally {
      await job.stop();
    }
    expect(fs.readdirSync(path.join(inbox, 'processed'))).toEqual(['client_master_bree.csv']);
    const [c] = await t.db.sql`select c.name, rm.rm_code from clients c join relationship_managers rm on rm.id = c.rm_id where client_code = 'C000300'`;
    expect(c).toEqual({ name: 'Farhan Qureshi', rm_code: 'RM010' });
    const [run] = await t.db.sql`select source, status from import_runs where file_name = 'client_master_bree.csv'`;
    expect(run).toEqual({ source: 'inbox', status: 'succeeded' });
  });
});

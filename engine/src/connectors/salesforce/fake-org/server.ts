/**
 * HTTP-level fake of the Salesforce REST API for driving the real jsforce client in tests:
 * OAuth token endpoint (JWT bearer with RS256 verification, client credentials, password),
 * SOAP login, REST query/queryAll with nextRecordsUrl paging, describe, sObject DML,
 * composite sObject collections, multipart ContentVersion upload and Bulk API 2.0 query jobs.
 * Faults (expired session, REQUEST_LIMIT_EXCEEDED, 503, UNABLE_TO_LOCK_ROW, dropped connection)
 * can be injected per route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { OrgData, SalesforceFault, type OrgDataOptions, type SfRecord } from './org-data.js';
import { SoqlError, parseSoql } from './soql.js';
import { describeField, type ObjectDef } from './schema.js';
import { boundaryOf, parseMultipart } from './multipart.js';

export interface FakeAuthUser {
  username: string;
  password: string;
  securityToken?: string;
}

export interface FakeOrgOptions extends OrgDataOptions {
  auth?: {
    clientId?: string;
    clientSecret?: string;
    /** PEM public key (or certificate) of the connected app; JWT bearer logins are verified against it. */
    jwtPublicKey?: string | KeyObject;
    /** Users that can log in; each gets a User record. The first one is the client-credentials run-as user. */
    users?: FakeAuthUser[];
  };
  /** Records per REST query page when the client sends no batchSize. Default 2000. */
  queryBatchSize?: number;
  /** Records per Bulk API 2.0 result page when the client sends no maxRecords. Default 50,000. */
  bulkPageSize?: number;
  /** How many status checks a Bulk 2.0 query job answers InProgress before JobComplete. Default 1. */
  bulkPollsBeforeComplete?: number;
  /** Daily API request limit reported in Sforce-Limit-Info and /limits (every authorised call counts). Default 15,000. */
  apiLimit?: number;
}

export type FaultKind = 'invalid-session' | 'request-limit' | 'unavailable' | 'lock-row' | 'drop';

export interface FaultSpec {
  kind: FaultKind;
  /** Substring of the request path (pathname + query string), or a RegExp tested against it. */
  path: string | RegExp;
  method?: string;
  /** How many matching requests get the fault. Default 1. */
  times?: number;
  /** Let this many matching requests through before faulting. Default 0. */
  skip?: number;
}

export interface FaultRule extends Required<Omit<FaultSpec, 'method'>> {
  method: string | undefined;
  /** How many requests this rule has faulted so far. */
  applied: number;
  seen: number;
}

export interface LoggedRequest {
  method: string;
  /** pathname + search, e.g. /services/data/v62.0/query?q=... */
  url: string;
  pathname: string;
  status: number | 'dropped';
  fault: FaultKind | null;
  /** Version in /services/data/vXX.X/ paths, when present. */
  apiVersion: string | null;
  authorized: boolean;
  contentType: string | null;
  bodyBytes: number;
}

export interface FakeOrg {
  /** Base URL (login URL and instance URL): http://127.0.0.1:<port> */
  url: string;
  org: OrgData;
  requests: LoggedRequest[];
  faults: {
    inject(spec: FaultSpec): FaultRule;
    clear(): void;
    readonly rules: FaultRule[];
  };
  /** Invalidate every issued access token (the next API call gets 401 INVALID_SESSION_ID). */
  expireSessions(): void;
  /** Access tokens issued so far, by grant. */
  readonly logins: { grant: string; username: string }[];
  close(): Promise<void>;
}

interface Session {
  userId: string;
  username: string;
}

interface QueryCursor {
  rows: Record<string, unknown>[];
  batchSize: number;
}

interface BulkJob {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  query: string;
  columns: string[];
  rows: Record<string, unknown>[];
  checks: number;
  createdDate: string;
  createdById: string;
  apiVersion: number;
}

const DEFAULT_CLIENT_ID = 'fake-client-id';
const DEFAULT_CLIENT_SECRET = 'fake-client-secret';
export const DEFAULT_FAKE_USERS: FakeAuthUser[] = [
  { username: 'integration@pms.example', password: 'correct-horse', securityToken: 'TOKEN123' },
];

type Reply = { status: number; body?: unknown; headers?: Record<string, string>; raw?: Buffer | string };

const sfError = (status: number, errorCode: string, message: string, fields?: string[]): Reply => ({
  status,
  body: [{ message, errorCode, ...(fields ? { fields } : {}) }],
});

const oauthError = (status: number, error: string, description: string): Reply => ({
  status,
  body: { error, error_description: description },
});

function faultReply(kind: Exclude<FaultKind, 'drop'>): Reply {
  switch (kind) {
    case 'invalid-session':
      return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    case 'request-limit':
      return sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    case 'unavailable':
      return sfError(503, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable. Please retry.');
    case 'lock-row':
      return sfError(400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record or 1 records');
  }
}

function base64UrlDecode(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function xmlUnescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `"${s.replace(/"/g, '""')}"`;
}

function flattenPath(row: Record<string, unknown>, path: string): unknown {
  let current: unknown = row;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    const obj = current as Record<string, unknown>;
    const key = Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
    current = key === undefined ? null : obj[key];
  }
  return current ?? null;
}

export async function startFakeOrg(options: FakeOrgOptions = {}): Promise<FakeOrg> {
  const org = new OrgData(options);
  const clientId = options.auth?.clientId ?? DEFAULT_CLIENT_ID;
  const clientSecret = options.auth?.clientSecret ?? DEFAULT_CLIENT_SECRET;
  const users = options.auth?.users ?? DEFAULT_FAKE_USERS;
  const jwtKey = options.auth?.jwtPublicKey
    ? typeof options.auth.jwtPublicKey === 'string'
      ? createPublicKey(options.auth.jwtPublicKey)
      : options.auth.jwtPublicKey
    : undefined;
  const queryBatchSize = options.queryBatchSize ?? 2000;
  const bulkPageSize = options.bulkPageSize ?? 50_000;
  const bulkPollsBeforeComplete = options.bulkPollsBeforeComplete ?? 1;

  for (const u of users) {
    if (!org.all('User').some((r) => r.Username === u.username)) {
      const local = u.username.split('@')[0] ?? u.username;
      org.insert('User', { Username: u.username, LastName: local, IsActive: true });
    }
  }
  const userRecord = (username: string) => org.all('User').find((r) => r.Username === username && r.IsActive !== false);

  const sessions = new Map<string, Session>();
  const cursors = new Map<string, QueryCursor>();
  const bulkJobs = new Map<string, BulkJob>();
  const requests: LoggedRequest[] = [];
  const rules: FaultRule[] = [];
  const logins: { grant: string; username: string }[] = [];
  let apiCalls = 0;
  const apiLimit = options.apiLimit ?? 15_000;
  let cursorCounter = 0;
  let baseUrl = '';

  function issueToken(grant: string, user: SfRecord): Reply {
    const token = `${org.orgId.slice(0, 15)}!${randomBytes(24).toString('base64url')}`;
    sessions.set(token, { userId: user.Id, username: String(user.Username) });
    logins.push({ grant, username: String(user.Username) });
    return {
      status: 200,
      body: {
        access_token: token,
        instance_url: baseUrl,
        id: `${baseUrl}/id/${org.orgId}/${user.Id}`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: randomBytes(32).toString('base64'),
        scope: 'api',
      },
    };
  }

  function handleToken(params: URLSearchParams, authorization: string | undefined): Reply {
    const grant = params.get('grant_type');
    let reqClientId = params.get('client_id');
    let reqSecret = params.get('client_secret');
    if (authorization?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
      reqClientId ??= id ?? null;
      reqSecret ??= secret ?? null;
    }
    switch (grant) {
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
        const assertion = params.get('assertion') ?? '';
        const [h, p, s] = assertion.split('.');
        if (!h || !p || !s) return oauthError(400, 'invalid_grant', 'invalid assertion');
        let header: { alg?: string };
        let claims: { iss?: string; sub?: string; aud?: string; exp?: number };
        try {
          header = JSON.parse(base64UrlDecode(h).toString('utf8'));
          claims = JSON.parse(base64UrlDecode(p).toString('utf8'));
        } catch {
          return oauthError(400, 'invalid_grant', 'invalid assertion');
        }
        if (header.alg !== 'RS256') return oauthError(400, 'invalid_grant', 'invalid assertion');
        if (!jwtKey) return oauthError(400, 'invalid_grant', 'invalid assertion');
        const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), jwtKey, base64UrlDecode(s));
        if (!ok) return oauthError(400, 'invalid_grant', 'invalid assertion');
        if (claims.iss !== clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
        const audiences = [baseUrl, 'https://login.salesforce.com', 'https://test.salesforce.com'];
        if (!claims.aud || !audiences.includes(claims.aud.replace(/\/$/, ''))) {
          return oauthError(400, 'invalid_grant', 'audience is invalid');
        }
        if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) {
          return oauthError(400, 'invalid_grant', 'expired authorization code');
        }
        const user = claims.sub ? userRecord(claims.sub) : undefined;
        if (!user) return oauthError(400, 'invalid_grant', 'user hasn\'t approved this consumer');
        return issueToken('jwt', user);
      }
      case 'client_credentials': {
        if (reqClientId !== clientId || reqSecret !== clientSecret) {
          return oauthError(400, 'invalid_client', 'invalid client credentials');
        }
        const runAs = userRecord(users[0]!.username);
        if (!runAs) return oauthError(400, 'invalid_grant', 'no client credentials user enabled');
        return issueToken('client_credentials', runAs);
      }
      case 'password': {
        if (reqClientId !== clientId || reqSecret !== clientSecret) {
          return oauthError(400, 'invalid_client', 'invalid client credentials');
        }
        const username = params.get('username') ?? '';
        const password = params.get('password') ?? '';
        const known = users.find((u) => u.username === username && u.password + (u.securityToken ?? '') === password);
        const user = known ? userRecord(known.username) : undefined;
        if (!user) return oauthError(400, 'invalid_grant', 'authentication failure');
        return issueToken('password', user);
      }
      default:
        return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
    }
  }

  function handleSoapLogin(body: string, version: string): Reply {
    const username = xmlUnescape(/<username>([^<]*)<\/username>/.exec(body)?.[1] ?? '');
    const password = xmlUnescape(/<password>([^<]*)<\/password>/.exec(body)?.[1] ?? '');
    const known = users.find((u) => u.username === username && u.password + (u.securityToken ?? '') === password);
    const user = known ? userRecord(known.username) : undefined;
    if (!user) {
      return {
        status: 500,
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        raw:
          '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
          '<faultcode>INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring>' +
          '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
      };
    }
    const token = issueToken('soap', user).body as { access_token: string };
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      raw:
        '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><loginResponse><result>' +
        `<passwordExpired>false</passwordExpired><serverUrl>${baseUrl}/services/Soap/u/${version}/${org.orgId}</serverUrl>` +
        `<sessionId>${token.access_token}</sessionId><userId>${user.Id}</userId><userInfo><organizationId>${org.orgId}</organizationId></userInfo>` +
        `<organizationId>${org.orgId}</organizationId></result></loginResponse></soapenv:Body></soapenv:Envelope>`,
    };
  }

  function describeObject(def: ObjectDef, version: string) {
    return {
      name: def.name,
      label: def.name,
      keyPrefix: def.keyPrefix,
      custom: def.custom,
      queryable: true,
      createable: true,
      updateable: true,
      deletable: true,
      urls: {
        sobject: `/services/data/${version}/sobjects/${def.name}`,
        describe: `/services/data/${version}/sobjects/${def.name}/describe`,
        rowTemplate: `/services/data/${version}/sobjects/${def.name}/{ID}`,
      },
    };
  }

  function visibleObjects(apiVersion: number): ObjectDef[] {
    return [...org.schema.values()].filter((o) => o.minApiVersion === undefined || apiVersion >= o.minApiVersion);
  }

  function queryPage(cursorId: string, offset: number, version: string): Reply {
    const cursor = cursors.get(cursorId);
    if (!cursor || offset > cursor.rows.length) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const end = Math.min(offset + cursor.batchSize, cursor.rows.length);
    const done = end >= cursor.rows.length;
    if (done) cursors.delete(cursorId);
    return {
      status: 200,
      body: {
        totalSize: cursor.rows.length,
        done,
        ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${cursorId}-${end}` }),
        records: cursor.rows.slice(offset, end),
      },
    };
  }

  function batchSizeFrom(header: string | undefined): number {
    const m = /batchSize=(\d+)/i.exec(header ?? '');
    if (!m) return queryBatchSize;
    return Math.min(2000, Math.max(200, Number(m[1])));
  }

  function saveResult(id: string | null, err?: unknown) {
    if (!err) return { id, success: true, errors: [] };
    const fault = err instanceof SalesforceFault ? err : new SalesforceFault('UNKNOWN_EXCEPTION', String(err));
    return { ...(id ? { id } : {}), success: false, errors: [{ statusCode: fault.errorCode, message: fault.message, fields: fault.fields }] };
  }

  function compositeSobjects(method: 'POST' | 'PATCH', body: { allOrNone?: boolean; records?: Record<string, unknown>[] }): Reply {
    const records = body.records ?? [];
    if (records.length > 200) {
      return sfError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
    }
    const rollback = body.allOrNone ? org.snapshot() : undefined;
    const results = records.map((rec) => {
      const attrs = rec.attributes as { type?: string } | undefined;
      const id = (rec.id ?? rec.Id ?? null) as string | null;
      try {
        if (!attrs?.type) throw new SalesforceFault('INVALID_TYPE', 'Must specify a type in attributes');
        if (method === 'POST') {
          return saveResult(org.insert(attrs.type, rec).Id);
        }
        if (!id) throw new SalesforceFault('MISSING_ARGUMENT', 'Id not specified in an update call');
        org.update(attrs.type, id, rec);
        return saveResult(id);
      } catch (err) {
        return saveResult(method === 'PATCH' ? id : null, err);
      }
    });
    if (rollback && results.some((r) => !r.success)) {
      rollback();
      return {
        status: 200,
        body: results.map((r) =>
          r.success
            ? saveResult(method === 'PATCH' ? (r.id ?? null) : null, new SalesforceFault('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header'))
            : r,
        ),
      };
    }
    return { status: 200, body: results };
  }

  function createRecord(objectName: string, contentType: string | undefined, rawBody: Buffer): Reply {
    const def = org.objectDef(objectName);
    if (/^multipart\/form-data/i.test(contentType ?? '')) {
      const boundary = boundaryOf(contentType);
      if (!boundary) return sfError(400, 'MALFORMED_REQUEST', 'multipart body without boundary');
      const parts = parseMultipart(rawBody, boundary);
      const jsonPart = parts.find((p) => /application\/json/i.test(p.contentType ?? '')) ?? parts.find((p) => p.name === 'entity_content' || p.name === def.name);
      if (!jsonPart) return sfError(400, 'MALFORMED_REQUEST', 'multipart body without a JSON entity part');
      const binaryPart = parts.find((p) => p !== jsonPart);
      if (!binaryPart) return sfError(400, 'MALFORMED_REQUEST', 'multipart body without a binary part');
      const binaryField = def.fields.find((fd) => fd.type === 'base64' && fd.name.toLowerCase() === binaryPart.name.toLowerCase());
      if (!binaryField) return sfError(400, 'INVALID_FIELD', `No such base64 field '${binaryPart.name}' on ${def.name}`);
      const fields = JSON.parse(jsonPart.body.toString('utf8')) as Record<string, unknown>;
      if (def.name !== 'ContentVersion') return sfError(400, 'INVALID_TYPE', 'the fake org supports multipart only for ContentVersion');
      const record = org.insertContentVersion(fields, Buffer.from(binaryPart.body), {
        kind: 'multipart',
        jsonPartName: jsonPart.name,
        binaryPartName: binaryPart.name,
        filename: binaryPart.filename,
        contentType: binaryPart.contentType,
      });
      return { status: 201, body: saveResult(record.Id) };
    }
    const fields = JSON.parse(rawBody.toString('utf8') || '{}') as Record<string, unknown>;
    if (def.name === 'ContentVersion') {
      const bytes = typeof fields.VersionData === 'string' ? Buffer.from(fields.VersionData, 'base64') : Buffer.alloc(0);
      const record = org.insertContentVersion(fields, bytes, { kind: 'json' });
      return { status: 201, body: saveResult(record.Id) };
    }
    return { status: 201, body: saveResult(org.insert(def.name, fields).Id) };
  }

  function createBulkJob(body: { operation?: string; query?: string }, session: Session, version: string, apiVersion: number): Reply {
    const operation = body.operation === 'queryAll' ? 'queryAll' : body.operation === 'query' ? 'query' : null;
    if (!operation) return sfError(400, 'INVALIDJOB', `Invalid operation: ${body.operation}`);
    const soql = body.query ?? '';
    const parsed = parseSoql(soql);
    const rows = org.runQuery(parsed, { apiVersion, includeDeleted: operation === 'queryAll' });
    const id = org.newId('750');
    const job: BulkJob = {
      id,
      operation,
      object: parsed.object,
      query: soql,
      columns: parsed.fields,
      rows,
      checks: 0,
      createdDate: new Date().toISOString().replace('Z', '+0000'),
      createdById: session.userId,
      apiVersion,
    };
    bulkJobs.set(id, job);
    return { status: 200, body: bulkJobInfo(job, 'UploadComplete', version) };
  }

  function bulkJobInfo(job: BulkJob, state: string, version: string) {
    return {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: job.createdById,
      createdDate: job.createdDate,
      systemModstamp: job.createdDate,
      state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(version.slice(1)),
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
      ...(state === 'JobComplete' ? { numberRecordsProcessed: job.rows.length, retries: 0, totalProcessingTime: 5 } : {}),
    };
  }

  function bulkResults(job: BulkJob, search: URLSearchParams): Reply {
    const locator = search.get('locator');
    const offset = locator ? Number(Buffer.from(locator, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length) {
      return sfError(400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
    }
    const pageSize = Number(search.get('maxRecords') ?? bulkPageSize);
    const end = Math.min(offset + pageSize, job.rows.length);
    const lines = [job.columns.map(csvCell).join(',')];
    for (const row of job.rows.slice(offset, end)) lines.push(job.columns.map((c) => csvCell(flattenPath(row, c))).join(','));
    const nextLocator = end < job.rows.length ? Buffer.from(String(end)).toString('base64url') : 'null';
    return {
      status: 200,
      headers: {
        'content-type': 'text/csv',
        'sforce-locator': nextLocator,
        'sforce-numberofrecords': String(end - offset),
      },
      raw: lines.join('\n') + '\n',
    };
  }

  function handleData(
    method: string,
    rest: string[],
    search: URLSearchParams,
    req: IncomingMessage,
    rawBody: Buffer,
    session: Session,
    version: string,
  ): Reply {
    const apiVersion = Number(version.slice(1));
    const json = () => JSON.parse(rawBody.toString('utf8') || '{}') as Record<string, unknown>;
    const [head, a, b, c] = rest;
    if ((head === 'query' || head === 'queryAll') && method === 'GET') {
      if (a) {
        const m = /^(.+)-(\d+)$/.exec(a);
        if (!m) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        return queryPage(m[1]!, Number(m[2]), version);
      }
      const q = search.get('q');
      if (!q) return sfError(400, 'MALFORMED_QUERY', 'q parameter is required');
      const rows = org.runQuery(parseSoql(q), { apiVersion, includeDeleted: head === 'queryAll' });
      const cursorId = `01g5g0000${(++cursorCounter).toString().padStart(6, '0')}`;
      const optionsHeader = req.headers['sforce-query-options'];
      cursors.set(cursorId, { rows, batchSize: batchSizeFrom(typeof optionsHeader === 'string' ? optionsHeader : undefined) });
      return queryPage(cursorId, 0, version);
    }
    if (head === 'sobjects') {
      if (!a && method === 'GET') {
        return {
          status: 200,
          body: { encoding: 'UTF-8', maxBatchSize: 200, sobjects: visibleObjects(apiVersion).map((o) => describeObject(o, version)) },
        };
      }
      if (!a) return sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed`);
      const def = org.objectDef(a, apiVersion);
      if (b === 'describe' && method === 'GET') {
        return { status: 200, body: { ...describeObject(def, version), fields: def.fields.map(describeField), childRelationships: [], recordTypeInfos: [] } };
      }
      if (!b && method === 'POST') return createRecord(def.name, req.headers['content-type'], rawBody);
      if (b && !c) {
        const record = org.get(def.name, b);
        if (method === 'GET') {
          if (!record || record.IsDeleted) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
          const fieldsParam = search.get('fields');
          const fields = fieldsParam ? fieldsParam.split(',') : def.fields.map((fd) => fd.name);
          return { status: 200, body: org.runQuery({ fields, object: def.name, where: { kind: 'compare', field: 'Id', op: '=', value: { kind: 'string', value: b } }, orderBy: [] }, { apiVersion, includeDeleted: false })[0] };
        }
        if (method === 'PATCH') {
          org.update(def.name, b, json());
          return { status: 204 };
        }
        if (method === 'DELETE') {
          org.delete(def.name, b);
          return { status: 204 };
        }
      }
      if (def.name === 'ContentVersion' && b && c === 'VersionData' && method === 'GET') {
        const file = org.files.get(b);
        if (!file) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
        return { status: 200, headers: { 'content-type': 'application/octetstream' }, raw: file.bytes };
      }
    }
    if (head === 'composite' && a === 'sobjects' && !b && (method === 'POST' || method === 'PATCH')) {
      return compositeSobjects(method, json() as { allOrNone?: boolean; records?: Record<string, unknown>[] });
    }
    if (head === 'jobs' && a === 'query') {
      if (!b && method === 'POST') return createBulkJob(json() as { operation?: string; query?: string }, session, version, apiVersion);
      const job = b ? bulkJobs.get(b) : undefined;
      if (b && !job) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (job && !c && method === 'GET') {
        job.checks++;
        const state = job.checks > bulkPollsBeforeComplete ? 'JobComplete' : 'InProgress';
        return { status: 200, body: bulkJobInfo(job, state, version) };
      }
      if (job && !c && method === 'DELETE') {
        bulkJobs.delete(job.id);
        return { status: 204 };
      }
      if (job && c === 'results' && method === 'GET') {
        if (bulkPollsBeforeComplete > 0 && job.checks <= bulkPollsBeforeComplete) return sfError(400, 'INVALIDJOBSTATE', 'Job is not complete');
        return bulkResults(job, search);
      }
    }
    if (head === 'limits' && method === 'GET') {
      return { status: 200, body: { DailyApiRequests: { Max: apiLimit, Remaining: apiLimit - apiCalls } } };
    }
    return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  function route(req: IncomingMessage, rawBody: Buffer, url: URL, log: LoggedRequest): Reply {
    const method = req.method ?? 'GET';
    const pathname = url.pathname;
    if (pathname === '/services/oauth2/token' && method === 'POST') {
      return handleToken(new URLSearchParams(rawBody.toString('utf8')), req.headers.authorization);
    }
    const soap = /^\/services\/Soap\/u\/(\d+\.\d)\/?$/.exec(pathname);
    if (soap && method === 'POST') return handleSoapLogin(rawBody.toString('utf8'), soap[1]!);
    if (pathname === '/services/data' || pathname === '/services/data/') {
      return { status: 200, body: ['58.0', '59.0', '60.0', '61.0', '62.0', '63.0'].map((v) => ({ version: v, label: v, url: `/services/data/v${v}` })) };
    }
    const m = /^\/services\/data\/(v\d+\.\d)\/(.*)$/.exec(pathname);
    if (!m) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const version = m[1]!;
    log.apiVersion = version.slice(1);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const session = token ? sessions.get(token) : undefined;
    if (!session) return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    log.authorized = true;
    apiCalls++;
    const rest = m[2]!.split('/').filter(Boolean).map(decodeURIComponent);
    try {
      return handleData(method, rest, url.searchParams, req, rawBody, session, version);
    } catch (err) {
      if (err instanceof SoqlError) return sfError(400, err.errorCode, err.message);
      if (err instanceof SalesforceFault) return sfError(err.status, err.errorCode, err.message, err.fields);
      if (err instanceof SyntaxError) return sfError(400, 'JSON_PARSER_ERROR', err.message);
      throw err;
    }
  }

  function matchFault(method: string, target: string): FaultRule | undefined {
    for (const rule of rules) {
      if (rule.applied >= rule.times) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      const hit = typeof rule.path === 'string' ? target.includes(rule.path) : rule.path.test(target);
      if (!hit) continue;
      rule.seen++;
      if (rule.seen <= rule.skip) continue;
      rule.applied++;
      return rule;
    }
    return undefined;
  }

  function send(res: ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { 'sforce-limit-info': `api-usage=${apiCalls}/${apiLimit}`, ...reply.headers };
    if (reply.status === 204) {
      res.writeHead(204, headers).end();
      return;
    }
    if (reply.raw !== undefined) {
      res.writeHead(reply.status, headers).end(reply.raw);
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=UTF-8', ...headers }).end(JSON.stringify(reply.body ?? null));
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', baseUrl);
      const method = req.method ?? 'GET';
      const log: LoggedRequest = {
        method,
        url: url.pathname + url.search,
        pathname: url.pathname,
        status: 0,
        fault: null,
        apiVersion: null,
        authorized: false,
        contentType: (req.headers['content-type'] as string | undefined) ?? null,
        bodyBytes: rawBody.length,
      };
      requests.push(log);
      const fault = matchFault(method, url.pathname + url.search);
      if (fault) {
        log.fault = fault.kind;
        if (fault.kind === 'drop') {
          log.status = 'dropped';
          req.socket.destroy();
          return;
        }
        const reply = faultReply(fault.kind);
        log.status = reply.status;
        send(res, reply);
        return;
      }
      let reply: Reply;
      try {
        reply = route(req, rawBody, url, log);
      } catch (err) {
        reply = sfError(500, 'UNKNOWN_EXCEPTION', err instanceof Error ? err.message : String(err));
      }
      log.status = reply.status;
      send(res, reply);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    org,
    requests,
    logins,
    faults: {
      inject(spec) {
        const rule: FaultRule = {
          kind: spec.kind,
          path: spec.path,
          method: spec.method,
          times: spec.times ?? 1,
          skip: spec.skip ?? 0,
          applied: 0,
          seen: 0,
        };
        rules.push(rule);
        return rule;
      },
      clear() {
        rules.length = 0;
      },
      rules,
    },
    expireSessions() {
      sessions.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

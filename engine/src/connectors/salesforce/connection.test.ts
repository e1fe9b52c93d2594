import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import {
  SalesforceAuthError,
  SalesforceConfigError,
  createSalesforceConnection,
  describeSalesforceConfig,
  jwtAudience,
  parseSalesforceConfig,
  redact,
  salesforceConfigFromEnv,
} from './connection.js';
import { startFakeOrg, type FakeOrg } from './fake-org/index.js';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_USER, configFor, connectTo, testKeys, type AuthKind } from './testing/fake-connect.js';

const keys = testKeys();

describe('parseSalesforceConfig', () => {
  it('defaults the API version and normalises URLs to their origin', () => {
    const config = parseSalesforceConfig({
      loginUrl: 'https://test.salesforce.com/',
      auth: { kind: 'jwt', clientId: 'cid', username: 'u@x.in', privateKey: keys.privateKey },
    });
    expect(config.apiVersion).toBe('62.0');
    expect(config.loginUrl).toBe('https://test.salesforce.com');
  });

  it('requires a My Domain for client credentials', () => {
    expect(() =>
      parseSalesforceConfig({ loginUrl: 'https://login.salesforce.com', auth: { kind: 'client-credentials', clientId: 'a', clientSecret: 'b' } }),
    ).toThrow(/instanceUrl: client credentials need the org My Domain URL/);
  });

  it('rejects a half OAuth pair on password auth and a key that is not PEM, without echoing it', () => {
    expect(() => parseSalesforceConfig({ auth: { kind: 'password', username: 'u', password: 'p', clientId: 'cid' } })).toThrow(
      /clientId and auth.clientSecret go together/,
    );
    let error: unknown;
    try {
      parseSalesforceConfig({ auth: { kind: 'jwt', clientId: 'c', username: 'u', privateKey: 'not-a-key-SECRETSTUFF' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SalesforceConfigError);
    expect((error as Error).message).toMatch(/auth.privateKey is not a PEM private key/);
    expect((error as Error).message).not.toContain('SECRETSTUFF');
  });

  it('rejects an API version that is not N.0', () => {
    expect(() => parseSalesforceConfig({ apiVersion: 'v62', auth: { kind: 'client-credentials', clientId: 'a', clientSecret: 'b' }, instanceUrl: 'https://x.my.salesforce.com' })).toThrow(
      /apiVersion must look like 62.0/,
    );
  });
});

describe('salesforceConfigFromEnv', () => {
  const readFile = (path: string) => {
    if (path === '/keys/server.key') return keys.privateKey;
    if (path === '/keys/not-a-key.txt') return 'hello';
    throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  };

  it('is null when nothing is set (connector off), blank values included', () => {
    expect(salesforceConfigFromEnv({})).toBeNull();
    expect(salesforceConfigFromEnv({ SALESFORCE_CLIENT_ID: '  ', OTHER: 'x' })).toBeNull();
  });

  it('maps a JWT set, reading the key file', () => {
    const config = salesforceConfigFromEnv(
      {
        SALESFORCE_LOGIN_URL: 'https://test.salesforce.com',
        SALESFORCE_API_VERSION: '61.0',
        SALESFORCE_CLIENT_ID: 'cid',
        SALESFORCE_USERNAME: 'ops@firm.in',
        SALESFORCE_PRIVATE_KEY_FILE: '/keys/server.key',
      },
      { readFile },
    );
    expect(config).toMatchObject({ loginUrl: 'https://test.salesforce.com', apiVersion: '61.0', auth: { kind: 'jwt', clientId: 'cid', username: 'ops@firm.in' } });
    expect(config?.auth.kind === 'jwt' && config.auth.privateKey).toBe(keys.privateKey);
  });

  it('maps client credentials and password sets', () => {
    expect(
      salesforceConfigFromEnv({ SALESFORCE_INSTANCE_URL: 'https://firm.my.salesforce.com', SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_CLIENT_SECRET: 's3cret' }),
    ).toMatchObject({ instanceUrl: 'https://firm.my.salesforce.com', apiVersion: '62.0', auth: { kind: 'client-credentials', clientId: 'cid', clientSecret: 's3cret' } });
    expect(
      salesforceConfigFromEnv({ SALESFORCE_USERNAME: 'u@firm.in', SALESFORCE_PASSWORD: 'pw', SALESFORCE_SECURITY_TOKEN: 'tok' }),
    ).toMatchObject({ auth: { kind: 'password', username: 'u@firm.in', password: 'pw', securityToken: 'tok' } });
  });

  it.each([
    [{ SALESFORCE_LOGIN_URL: 'https://login.salesforce.com', SALESFORCE_CLIENT_ID: 'cid' }, /half-configured \(SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID set\)/],
    [{ SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_PRIVATE_KEY_FILE: '/keys/server.key' }, /SALESFORCE_USERNAME is required for JWT auth/],
    [{ SALESFORCE_PRIVATE_KEY_FILE: '/keys/server.key', SALESFORCE_PASSWORD: 'pw', SALESFORCE_USERNAME: 'u' }, /choose one auth method/],
    [{ SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_USERNAME: 'u', SALESFORCE_PRIVATE_KEY_FILE: '/keys/missing.key' }, /cannot be read \(ENOENT\): \/keys\/missing.key/],
    [{ SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_USERNAME: 'u', SALESFORCE_PRIVATE_KEY_FILE: '/keys/not-a-key.txt' }, /does not hold a PEM private key/],
    [{ SALESFORCE_USERNAME: 'u', SALESFORCE_PASSWORD: 'pw', SALESFORCE_CLIENT_ID: 'cid' }, /SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET go together/],
    [{ SALESFORCE_CLIENT_SECRET: 'sec' }, /SALESFORCE_CLIENT_ID is required with SALESFORCE_CLIENT_SECRET/],
    [{ SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_CLIENT_SECRET: 'sec', SALESFORCE_USERNAME: 'u' }, /SALESFORCE_USERNAME is set but client credentials/],
    [{ SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_CLIENT_SECRET: 'sec' }, /SALESFORCE_INSTANCE_URL: client credentials need the org My Domain URL/],
    [{ SALESFORCE_USERNAME: 'u', SALESFORCE_PASSWORD: 'pw', SALESFORCE_API_VERSION: '62' }, /SALESFORCE_API_VERSION: apiVersion must look like 62.0/],
    [{ SALESFORCE_USERNAME: 'u', SALESFORCE_PASSWORD: 'pw', SALESFORCE_LOGIN_URL: 'login.salesforce.com' }, /SALESFORCE_LOGIN_URL: loginUrl must be an http\(s\) URL/],
  ])('explains a bad set %#', (vars, message) => {
    expect(() => salesforceConfigFromEnv(vars, { readFile })).toThrow(message);
  });

  it('never puts secret values in its errors', () => {
    let error: Error | undefined;
    try {
      salesforceConfigFromEnv({ SALESFORCE_PASSWORD: 'pw-HUNTER2', SALESFORCE_CLIENT_SECRET: 'sec-HUNTER3', SALESFORCE_SECURITY_TOKEN: 'tok-HUNTER4' });
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(SalesforceConfigError);
    expect(error!.message).toMatch(/SALESFORCE_USERNAME is required with SALESFORCE_PASSWORD/);
    expect(error!.message).not.toMatch(/HUNTER/);
  });
});

describe('redact and describeSalesforceConfig', () => {
  it('masks secret-looking fields and PEM keys at any depth', () => {
    const config = parseSalesforceConfig({
      instanceUrl: 'https://firm.my.salesforce.com',
      auth: { kind: 'client-credentials', clientId: 'cid', clientSecret: 'shh' },
    });
    expect(redact(config)).toEqual({ instanceUrl: 'https://firm.my.salesforce.com', apiVersion: '62.0', auth: { kind: 'client-credentials', clientId: 'cid', clientSecret: '[redacted]' } });
    const nested = redact({ headers: { Authorization: 'Bearer abc' }, list: [{ password: 'p', securityToken: 't', accessToken: 'a' }], note: keys.privateKey, user: 'u' });
    expect(nested).toEqual({ headers: { Authorization: '[redacted]' }, list: [{ password: '[redacted]', securityToken: '[redacted]', accessToken: '[redacted]' }], note: '[redacted]', user: 'u' });
    expect(describeSalesforceConfig(config)).toBe('client-credentials as client cid via https://firm.my.salesforce.com (API 62.0)');
  });

  it('derives the JWT audience from the login URL', () => {
    expect(jwtAudience('https://login.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://firm.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://test.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://firm--uat.sandbox.my.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000');
  });
});

describe('connecting to the fake org with the real jsforce client', () => {
  let fake: FakeOrg;
  beforeAll(() => {
    testKeys();
  });
  afterEach(async () => {
    await fake?.close();
  });

  const grantOf: Record<AuthKind, string> = {
    jwt: 'jwt',
    'client-credentials': 'client_credentials',
    'password-oauth': 'password',
    'password-soap': 'soap',
  };

  it.each(['jwt', 'client-credentials', 'password-oauth', 'password-soap'] as const)('%s: logs in, queries with the configured API version, re-authenticates after expiry', async (kind) => {
    fake = await startFakeOrg({ auth: { jwtPublicKey: keys.publicKey } });
    fake.org.insert('Account', { Name: 'Mehta Family Office', PMS_Client_Code__c: 'WS0001' });
    const logins: string[] = [];
    const conn = await connectTo(fake, kind, { onLogin: (e) => logins.push(e.reason) });
    expect(conn.instanceUrl).toBe(fake.url);

    const first = await conn.query<{ Name: string }>('SELECT Id, Name FROM Account');
    expect(first.records.map((r) => r.Name)).toEqual(['Mehta Family Office']);

    fake.expireSessions();
    const second = await conn.query<{ Name: string }>('SELECT Id, Name FROM Account');
    expect(second.records).toHaveLength(1);

    expect(fake.logins.map((l) => l.grant)).toEqual([grantOf[kind], grantOf[kind]]);
    expect(fake.logins.every((l) => l.username === FAKE_USER.username)).toBe(true);
    expect(logins).toEqual(['initial', 'refresh']);
    const api = fake.requests.filter((r) => r.pathname.startsWith('/services/data/'));
    expect(api.map((r) => r.status)).toEqual([200, 401, 200]);
    expect(new Set(api.map((r) => r.apiVersion))).toEqual(new Set(['62.0']));
  });

  it('JWT signed with a key the connected app does not know → clear invalid_grant error', async () => {
    fake = await startFakeOrg({ auth: { jwtPublicKey: keys.publicKey } });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const error = await createSalesforceConnection({
      loginUrl: fake.url,
      auth: { kind: 'jwt', clientId: FAKE_CLIENT_ID, username: FAKE_USER.username, privateKey: other.privateKey },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect((error as SalesforceAuthError).code).toBe('invalid_grant');
    expect((error as Error).message).toMatch(/^Salesforce jwt login failed for integration@pms.example at http:\/\/127.0.0.1:\d+: invalid_grant: invalid assertion \(check that the connected app certificate matches/);
  });

  it('JWT for an unknown consumer key → invalid_client_id', async () => {
    fake = await startFakeOrg({ auth: { jwtPublicKey: keys.publicKey } });
    const error = await createSalesforceConnection({ loginUrl: fake.url, auth: { kind: 'jwt', clientId: 'someone-else', username: FAKE_USER.username, privateKey: keys.privateKey } }).catch((e: unknown) => e);
    expect((error as SalesforceAuthError).code).toBe('invalid_client_id');
  });

  it('client credentials with a wrong secret → invalid_client, and the secret is not in the message', async () => {
    fake = await startFakeOrg();
    const error = await createSalesforceConnection({ instanceUrl: fake.url, auth: { kind: 'client-credentials', clientId: FAKE_CLIENT_ID, clientSecret: 'WRONG-SECRET-value' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect((error as SalesforceAuthError).code).toBe('invalid_client');
    expect((error as Error).message).toContain('invalid client credentials (check the connected app consumer key/secret)');
    expect((error as Error).message).not.toContain('WRONG-SECRET');
  });

  it('password auth with a wrong password → invalid_grant (OAuth) / INVALID_LOGIN (SOAP)', async () => {
    fake = await startFakeOrg();
    const oauth = configFor(fake, 'password-oauth');
    const soap = configFor(fake, 'password-soap');
    const bad = (c: typeof oauth) => ({ ...c, auth: { ...(c.auth as object), password: 'nope' } }) as typeof oauth;
    const e1 = await createSalesforceConnection(bad(oauth)).catch((e: unknown) => e);
    const e2 = await createSalesforceConnection(bad(soap)).catch((e: unknown) => e);
    expect((e1 as SalesforceAuthError).code).toBe('invalid_grant');
    expect((e1 as Error).message).toMatch(/authentication failure/);
    expect((e2 as SalesforceAuthError).code).toBe('INVALID_LOGIN');
  });

  it('gives up instead of looping when fresh sessions keep being rejected', async () => {
    fake = await startFakeOrg();
    const conn = await connectTo(fake, 'client-credentials', { maxRefreshesPerMinute: 3 });
    fake.faults.inject({ kind: 'invalid-session', path: '/query', times: 1000 });
    await expect(conn.query('SELECT Id FROM Account')).rejects.toThrow(/rejected 3 fresh sessions within a minute; giving up/);
    expect(fake.logins).toHaveLength(4);
  });

  it('a refresh that fails (credentials revoked) surfaces as an error, not a hang', async () => {
    fake = await startFakeOrg();
    const conn = await createSalesforceConnection({ instanceUrl: fake.url, auth: { kind: 'client-credentials', clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET } });
    fake.expireSessions();
    fake.faults.inject({ kind: 'request-limit', path: '/services/oauth2/token' });
    await expect(conn.query('SELECT Id FROM Account')).rejects.toThrow(/Unable to refresh session/);
  });
});

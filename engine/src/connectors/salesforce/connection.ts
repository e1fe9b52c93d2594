/**
 * Salesforce connection factory: validated config (JWT bearer, client credentials or
 * username-password), an authenticated jsforce Connection that re-authenticates by itself when
 * the session expires, the mapping from SALESFORCE_* variables, and a redaction helper so that
 * secrets never reach a log line.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, sign } from 'node:crypto';
import { Connection } from '@jsforce/jsforce-node';
import { z } from 'zod';

export const DEFAULT_API_VERSION = '62.0';
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

const nonEmpty = (what: string) => z.string({ error: `${what} is required` }).trim().min(1, `${what} is required`);
const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/\s]+/i.test(v) && URL.canParse(v), `${what} must be an http(s) URL`)
    .transform((v) => new URL(v).origin);

function isPemPrivateKey(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

const jwtAuthSchema = z.object({
  kind: z.literal('jwt'),
  clientId: nonEmpty('auth.clientId'),
  username: nonEmpty('auth.username'),
  /** PEM private key whose certificate is uploaded to the connected app. */
  privateKey: z.string().refine(isPemPrivateKey, 'auth.privateKey is not a PEM private key'),
  /** JWT `aud`; derived from the login URL when omitted (login / test.salesforce.com). */
  audience: z.string().optional(),
});

const clientCredentialsAuthSchema = z.object({
  kind: z.literal('client-credentials'),
  clientId: nonEmpty('auth.clientId'),
  clientSecret: nonEmpty('auth.clientSecret'),
});

const passwordAuthSchema = z
  .object({
    kind: z.literal('password'),
    username: nonEmpty('auth.username'),
    password: nonEmpty('auth.password'),
    /** Appended to the password; empty when the org trusts the caller's IP range. */
    securityToken: z.string().default(''),
    clientId: z.string().trim().min(1).optional(),
    clientSecret: z.string().trim().min(1).optional(),
  })
  .refine((a) => (a.clientId === undefined) === (a.clientSecret === undefined), {
    message: 'auth.clientId and auth.clientSecret go together (OAuth username-password flow); omit both for SOAP login',
    path: ['clientSecret'],
  });

export const salesforceAuthSchema = z.discriminatedUnion('kind', [jwtAuthSchema, clientCredentialsAuthSchema, passwordAuthSchema]);

export const salesforceConfigSchema = z
  .object({
    /** Where OAuth tokens are requested: https://login.salesforce.com, https://test.salesforce.com or a My Domain. */
    loginUrl: httpUrl('loginUrl').optional(),
    /** The org's My Domain URL; required for client credentials when loginUrl is not a My Domain. */
    instanceUrl: httpUrl('instanceUrl').optional(),
    apiVersion: z
      .string()
      .trim()
      .regex(/^\d{2,3}\.0$/, 'apiVersion must look like 62.0')
      .default(DEFAULT_API_VERSION),
    auth: salesforceAuthSchema,
  })
  .superRefine((config, ctx) => {
    if (config.auth.kind === 'client-credentials') {
      const host = new URL(config.instanceUrl ?? config.loginUrl ?? DEFAULT_LOGIN_URL).hostname;
      if (host === 'login.salesforce.com' || host === 'test.salesforce.com') {
        ctx.addIssue({
          code: 'custom',
          path: ['instanceUrl'],
          message: 'client credentials need the org My Domain URL (instanceUrl), not login/test.salesforce.com',
        });
      }
    }
  });

export type SalesforceConfigInput = z.input<typeof salesforceConfigSchema>;
export type SalesforceConfig = z.output<typeof salesforceConfigSchema>;
export type SalesforceAuth = SalesforceConfig['auth'];

/** Configuration is missing or inconsistent. The message names variables/fields, never their values. */
export class SalesforceConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Salesforce connector is misconfigured:\n- ${problems.join('\n- ')}`);
    this.name = 'SalesforceConfigError';
  }
}

/** Login (or re-login) was refused; `code` is Salesforce's OAuth error (invalid_grant, invalid_client, INVALID_LOGIN…). */
export class SalesforceAuthError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SalesforceAuthError';
  }
}

/** Validate a config object (zod), throwing SalesforceConfigError with every problem listed. */
export function parseSalesforceConfig(input: unknown): SalesforceConfig {
  const result = salesforceConfigSchema.safeParse(input);
  if (!result.success) {
    throw new SalesforceConfigError(result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)));
  }
  return result.data;
}

const SECRET_KEY = /secret|password|passwd|token|private.?key|assertion|authorization|session.?id|signature|credential/i;

/**
 * Deep copy of `value` with every secret-looking property (password, clientSecret, privateKey,
 * securityToken, accessToken, Authorization, …) replaced by '[redacted]'. Use before logging config,
 * errors or request metadata.
 */
export function redact<T>(value: T): T {
  const seen = new WeakMap<object, unknown>();
  const walk = (v: unknown, key?: string): unknown => {
    if (key !== undefined && SECRET_KEY.test(key) && v !== undefined && v !== null && v !== '') return '[redacted]';
    if (v instanceof Connection) return '[jsforce Connection]';
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (v && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) {
      if (seen.has(v)) return seen.get(v);
      const out: Record<string, unknown> = {};
      seen.set(v, out);
      for (const [k, inner] of Object.entries(v)) out[k] = walk(inner, k);
      return out;
    }
    if (typeof v === 'string' && /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v)) return '[redacted]';
    return v;
  };
  return walk(value) as T;
}

/** One safe line describing a config, for start-up logs: "jwt as x@y via https://login.salesforce.com (API 62.0)". */
export function describeSalesforceConfig(config: SalesforceConfig): string {
  const who = config.auth.kind === 'client-credentials' ? `client ${config.auth.clientId}` : config.auth.username;
  return `${config.auth.kind} as ${who} via ${tokenHost(config)} (API ${config.apiVersion})`;
}

function tokenHost(config: SalesforceConfig): string {
  // Client credentials are only served on the org's own domain; the other flows use the login URL.
  if (config.auth.kind === 'client-credentials') return config.instanceUrl ?? config.loginUrl ?? DEFAULT_LOGIN_URL;
  return config.loginUrl ?? config.instanceUrl ?? DEFAULT_LOGIN_URL;
}

/** JWT `aud`: login.salesforce.com for production/My Domain, test.salesforce.com for sandboxes, else the login URL. */
export function jwtAudience(loginUrl: string): string {
  const host = new URL(loginUrl).hostname;
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) return 'https://test.salesforce.com';
  if (host === 'login.salesforce.com' || host.endsWith('.salesforce.com')) return DEFAULT_LOGIN_URL;
  return new URL(loginUrl).origin;
}

/** Build an RS256-signed JWT bearer assertion (valid 3 minutes, as Salesforce recommends). */
export function createJwtAssertion(args: { clientId: string; username: string; audience: string; privateKey: string; nowMs?: number }): string {
  const enc = (obj: unknown) => Buffer.from(JSON.stringify(obj)).toString('base64url');
  const header = enc({ alg: 'RS256', typ: 'JWT' });
  const claims = enc({
    iss: args.clientId,
    sub: args.username,
    aud: args.audience,
    exp: Math.floor((args.nowMs ?? Date.now()) / 1000) + 180,
  });
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), createPrivateKey(args.privateKey)).toString('base64url');
  return `${header}.${claims}.${signature}`;
}

export interface ConnectionOptions {
  /** Stop re-authenticating if Salesforce keeps rejecting fresh sessions (guards jsforce's 401 loop). Default 5 per minute. */
  maxRefreshesPerMinute?: number;
  /** Told about each login, never with secrets. */
  onLogin?: (event: { kind: SalesforceAuth['kind']; reason: 'initial' | 'refresh'; instanceUrl: string }) => void;
}

function hintFor(auth: SalesforceAuth, code: string): string {
  if (auth.kind === 'jwt' && code === 'invalid_grant') {
    return ' (check that the connected app certificate matches the private key, the user is pre-authorised for the app, and the login URL is production vs sandbox as intended)';
  }
  if (code === 'invalid_client' || code === 'invalid_client_id') return ' (check the connected app consumer key/secret)';
  if (auth.kind === 'password') return ' (check username, password and security token; new orgs disable the username-password flow: prefer JWT)';
  return '';
}

async function authenticate(conn: Connection, config: SalesforceConfig): Promise<void> {
  const auth = config.auth;
  const url = tokenHost(config);
  try {
    switch (auth.kind) {
      case 'jwt':
        await conn.authorize({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: createJwtAssertion({
            clientId: auth.clientId,
            username: auth.username,
            audience: auth.audience ?? jwtAudience(url),
            privateKey: auth.privateKey,
          }),
        });
        return;
      case 'client-credentials':
        await conn.authorize({ grant_type: 'client_credentials' });
        return;
      case 'password':
        // Call the flow directly rather than conn.login(): login() swaps in jsforce's own refresh
        // delegate, which would bypass our refresh guard.
        if (auth.clientId) await conn.loginByOAuth2(auth.username, auth.password + auth.securityToken);
        else await conn.loginBySoap(auth.username, auth.password + auth.securityToken);
        return;
    }
  } catch (err) {
    const e = err as Error;
    // jsforce puts the OAuth `error` in name and `error_description` in message; SOAP faults are "CODE: text".
    const code = e.name && e.name !== 'Error' ? e.name : (/^([A-Z_]+):/.exec(e.message)?.[1] ?? 'LOGIN_FAILED');
    const who = auth.kind === 'client-credentials' ? `client ${auth.clientId}` : auth.username;
    throw new SalesforceAuthError(`Salesforce ${auth.kind} login failed for ${who} at ${url}: ${code}: ${e.message}${hintFor(auth, code)}`, code, {
      cause: err,
    });
  }
}

/**
 * Create an authenticated jsforce Connection. Expired sessions (401 INVALID_SESSION_ID) are
 * recovered transparently by jsforce through our refreshFn, which repeats the configured login;
 * that works for JWT and client credentials too, which have no refresh token.
 */
export async function createSalesforceConnection(input: SalesforceConfigInput | SalesforceConfig, options: ConnectionOptions = {}): Promise<Connection> {
  const config = parseSalesforceConfig(input);
  const maxRefreshes = options.maxRefreshesPerMinute ?? 5;
  const refreshTimes: number[] = [];
  const url = tokenHost(config);
  const usesOAuthClient = config.auth.kind !== 'password' || config.auth.clientId !== undefined;

  const conn = new Connection({
    version: config.apiVersion,
    loginUrl: url,
    ...(config.instanceUrl ? { instanceUrl: config.instanceUrl } : {}),
    ...(usesOAuthClient
      ? {
          oauth2: {
            loginUrl: url,
            clientId: config.auth.clientId,
            ...('clientSecret' in config.auth && config.auth.clientSecret ? { clientSecret: config.auth.clientSecret } : {}),
          },
        }
      : {}),
    refreshFn: (c, callback) => {
      const now = Date.now();
      while (refreshTimes.length > 0 && refreshTimes[0]! < now - 60_000) refreshTimes.shift();
      if (refreshTimes.length >= maxRefreshes) {
        callback(
          new SalesforceAuthError(
            `Salesforce rejected ${refreshTimes.length} fresh sessions within a minute; giving up instead of looping (check the user's API permission and IP/session policies)`,
            'REFRESH_LOOP',
          ),
        );
        return;
      }
      refreshTimes.push(now);
      authenticate(c, config).then(
        () => {
          options.onLogin?.({ kind: config.auth.kind, reason: 'refresh', instanceUrl: c.instanceUrl });
          callback(null, c.accessToken ?? undefined);
        },
        (err: Error) => callback(err),
      );
    },
  });
  await authenticate(conn, config);
  options.onLogin?.({ kind: config.auth.kind, reason: 'initial', instanceUrl: conn.instanceUrl });
  return conn;
}

export const SALESFORCE_ENV_VARS = [
  'SALESFORCE_LOGIN_URL',
  'SALESFORCE_INSTANCE_URL',
  'SALESFORCE_API_VERSION',
  'SALESFORCE_CLIENT_ID',
  'SALESFORCE_USERNAME',
  'SALESFORCE_PRIVATE_KEY_FILE',
  'SALESFORCE_CLIENT_SECRET',
  'SALESFORCE_PASSWORD',
  'SALESFORCE_SECURITY_TOKEN',
] as const;

/**
 * Map SALESFORCE_* variables to a validated config, or null when none is set (connector off).
 * The auth kind follows from what is present: PRIVATE_KEY_FILE → JWT, PASSWORD → username-password,
 * otherwise CLIENT_SECRET → client credentials. Half-configured or ambiguous sets throw
 * SalesforceConfigError naming the variables involved.
 */
export function salesforceConfigFromEnv(
  vars: Record<string, string | undefined>,
  options: { readFile?: (path: string) => string } = {},
): SalesforceConfig | null {
  const get = (name: (typeof SALESFORCE_ENV_VARS)[number]) => {
    const v = vars[name]?.trim();
    return v ? v : undefined;
  };
  const present = SALESFORCE_ENV_VARS.filter((name) => get(name) !== undefined);
  if (present.length === 0) return null;

  const problems: string[] = [];
  const keyFile = get('SALESFORCE_PRIVATE_KEY_FILE');
  const password = get('SALESFORCE_PASSWORD');
  const clientSecret = get('SALESFORCE_CLIENT_SECRET');
  const clientId = get('SALESFORCE_CLIENT_ID');
  const username = get('SALESFORCE_USERNAME');
  const securityToken = get('SALESFORCE_SECURITY_TOKEN');
  const need = (name: (typeof SALESFORCE_ENV_VARS)[number], why: string) => {
    if (!get(name)) problems.push(`${name} is required ${why}`);
  };

  let auth: Record<string, unknown> | undefined;
  if (keyFile && password) {
    problems.push('both SALESFORCE_PRIVATE_KEY_FILE (JWT) and SALESFORCE_PASSWORD (username-password) are set: choose one auth method');
  } else if (keyFile) {
    need('SALESFORCE_CLIENT_ID', 'for JWT auth (SALESFORCE_PRIVATE_KEY_FILE is set)');
    need('SALESFORCE_USERNAME', 'for JWT auth (SALESFORCE_PRIVATE_KEY_FILE is set)');
    if (clientSecret) problems.push('SALESFORCE_CLIENT_SECRET is set together with SALESFORCE_PRIVATE_KEY_FILE: JWT auth does not use it; unset one');
    if (securityToken) problems.push('SALESFORCE_SECURITY_TOKEN is only used with SALESFORCE_PASSWORD');
    let privateKey = '';
    try {
      privateKey = (options.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(keyFile);
    } catch (err) {
      problems.push(`SALESFORCE_PRIVATE_KEY_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${keyFile}`);
    }
    if (privateKey && !isPemPrivateKey(privateKey)) problems.push(`SALESFORCE_PRIVATE_KEY_FILE does not hold a PEM private key: ${keyFile}`);
    auth = { kind: 'jwt', clientId, username, privateKey };
  } else if (password) {
    need('SALESFORCE_USERNAME', 'with SALESFORCE_PASSWORD');
    if (Boolean(clientId) !== Boolean(clientSecret)) {
      problems.push('SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET go together for the OAuth username-password flow (omit both for SOAP login)');
    }
    auth = { kind: 'password', username, password, securityToken: securityToken ?? '', clientId, clientSecret };
  } else if (clientSecret) {
    need('SALESFORCE_CLIENT_ID', 'with SALESFORCE_CLIENT_SECRET (client credentials)');
    if (username) problems.push('SALESFORCE_USERNAME is set but client credentials run as the connected app user: set SALESFORCE_PRIVATE_KEY_FILE (JWT) or SALESFORCE_PASSWORD, or unset SALESFORCE_USERNAME');
    if (securityToken) problems.push('SALESFORCE_SECURITY_TOKEN is only used with SALESFORCE_PASSWORD');
    auth = { kind: 'client-credentials', clientId, clientSecret };
  } else {
    problems.push(
      `Salesforce is half-configured (${present.join(', ')} set) but no credentials: set SALESFORCE_PRIVATE_KEY_FILE (JWT), SALESFORCE_CLIENT_SECRET (client credentials) or SALESFORCE_PASSWORD`,
    );
  }
  if (problems.length > 0) throw new SalesforceConfigError(problems);

  const input = {
    loginUrl: get('SALESFORCE_LOGIN_URL'),
    instanceUrl: get('SALESFORCE_INSTANCE_URL'),
    apiVersion: get('SALESFORCE_API_VERSION'),
    auth,
  };
  try {
    return parseSalesforceConfig(input);
  } catch (err) {
    if (!(err instanceof SalesforceConfigError)) throw err;
    const toEnv: Record<string, string> = {
      loginUrl: 'SALESFORCE_LOGIN_URL',
      instanceUrl: 'SALESFORCE_INSTANCE_URL',
      apiVersion: 'SALESFORCE_API_VERSION',
      'auth.clientId': 'SALESFORCE_CLIENT_ID',
      'auth.clientSecret': 'SALESFORCE_CLIENT_SECRET',
      'auth.username': 'SALESFORCE_USERNAME',
      'auth.password': 'SALESFORCE_PASSWORD',
      'auth.privateKey': 'SALESFORCE_PRIVATE_KEY_FILE',
    };
    throw new SalesforceConfigError(
      err.problems.map((p) => {
        const field = p.split(':')[0]!;
        return toEnv[field] ? `${toEnv[field]}: ${p.slice(field.length + 2)}` : p;
      }),
    );
  }
}

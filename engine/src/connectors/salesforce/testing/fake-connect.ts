/** Test helpers: an RSA key pair for JWT, and connections to a fake org for each auth kind. */
import { generateKeyPairSync } from 'node:crypto';
import type { Connection } from '@jsforce/jsforce-node';
import { createSalesforceConnection, type ConnectionOptions, type SalesforceConfigInput } from '../connection.js';
import { DEFAULT_FAKE_USERS, type FakeOrg } from '../fake-org/index.js';

export interface TestKeys {
  privateKey: string;
  publicKey: string;
}

let cached: TestKeys | undefined;

/** A 2048-bit RSA key pair (PEM), generated once per test file. */
export function testKeys(): TestKeys {
  cached ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return cached;
}

export const FAKE_CLIENT_ID = 'fake-client-id';
export const FAKE_CLIENT_SECRET = 'fake-client-secret';
export const FAKE_USER = DEFAULT_FAKE_USERS[0]!;

export type AuthKind = 'jwt' | 'client-credentials' | 'password-oauth' | 'password-soap';

export function configFor(fake: FakeOrg, kind: AuthKind, keys: TestKeys = testKeys()): SalesforceConfigInput {
  switch (kind) {
    case 'jwt':
      return { loginUrl: fake.url, auth: { kind: 'jwt', clientId: FAKE_CLIENT_ID, username: FAKE_USER.username, privateKey: keys.privateKey } };
    case 'client-credentials':
      return { instanceUrl: fake.url, auth: { kind: 'client-credentials', clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET } };
    case 'password-oauth':
      return {
        loginUrl: fake.url,
        auth: { kind: 'password', username: FAKE_USER.username, password: FAKE_USER.password, securityToken: FAKE_USER.securityToken, clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET },
      };
    case 'password-soap':
      return { loginUrl: fake.url, auth: { kind: 'password', username: FAKE_USER.username, password: FAKE_USER.password, securityToken: FAKE_USER.securityToken } };
  }
}

export function connectTo(fake: FakeOrg, kind: AuthKind = 'client-credentials', options?: ConnectionOptions): Promise<Connection> {
  return createSalesforceConnection(configFor(fake, kind), options);
}

/** Fast retry policy for tests. */
export const FAST_RETRY = { baseMs: 1, maxMs: 5 } as const;

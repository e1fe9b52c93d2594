import path from 'node:path';
import { z } from 'zod';

/** Repository root (engine/src/env.ts → ../..): config/ and scripts/ are resolved from here. */
export const ROOT_DIR = path.resolve(import.meta.dirname, '..', '..');

const flag = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  PMS_BOOTSTRAP_API_KEY: z.string().min(16, 'PMS_BOOTSTRAP_API_KEY must be at least 16 characters').optional(),
  PMS_DEMO: flag.default(true),
  CONFIG_DIR: z.string().optional(),
  IMPORT_INBOX_DIR: z.string().optional(),
  IMPORT_INBOX_CRON: z.string().default('*/5 * * * *'),
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(512 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: z.string().default(''),
  SESSION_TTL_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(480),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  TRUST_PROXY: flag.default(false),
  RESULT_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(15),
  // Salesforce connector (all optional: the connector is off without credentials; see docs/salesforce-sync.md).
  SALESFORCE_LOGIN_URL: z.string().optional(),
  SALESFORCE_INSTANCE_URL: z.string().optional(),
  SALESFORCE_API_VERSION: z.string().optional(),
  SALESFORCE_CLIENT_ID: z.string().optional(),
  SALESFORCE_USERNAME: z.string().optional(),
  SALESFORCE_PRIVATE_KEY_FILE: z.string().optional(),
  SALESFORCE_CLIENT_SECRET: z.string().optional(),
  SALESFORCE_PASSWORD: z.string().optional(),
  SALESFORCE_SECURITY_TOKEN: z.string().optional(),
  SALESFORCE_CONFIG_FILE: z.string().optional(),
  SALESFORCE_SYNC_CRON: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

/** Parses configuration from the environment. The only reader of process.env. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function configDir(env: Pick<Env, 'CONFIG_DIR'>): string {
  return path.resolve(env.CONFIG_DIR ?? path.join(ROOT_DIR, 'config'));
}

/**
 * Salesforce sync settings: field mappings, sync/reconciliation/write-back options from
 * config/salesforce.json (or SALESFORCE_CONFIG_FILE), and the connection config from the
 * SALESFORCE_* variables (null = connector off).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configDir, type Env } from '../../env.js';
import { salesforceConfigFromEnv, SALESFORCE_ENV_VARS, type SalesforceConfig } from '../../connectors/salesforce/index.js';
import { NAMED_PERIODS } from '../../analytics/index.js';

const apiName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a Salesforce API name');
const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal number as a string');

/** Analytics period → Salesforce field (periods of analytics_metrics). */
const periodFields = z.partialRecord(z.enum(NAMED_PERIODS), apiName);
export type AnalyticsPeriod = (typeof NAMED_PERIODS)[number];

export const SYNC_OBJECTS = ['User', 'Account', 'Contact', 'Task', 'Event', 'FinancialAccount'] as const;
export type SyncObject = (typeof SYNC_OBJECTS)[number];

const SettingsSchema = z.object({
  fields: z.object({
    /** Account field holding the Wealth Spectrum client code. */
    clientCode: apiName.default('PMS_Client_Code__c'),
    pan: apiName.nullable().default('PAN__c'),
    /** PAN on Person Accounts (a Contact field surfaced on Account with the __pc suffix). */
    personAccountPan: apiName.nullable().default('PAN__pc'),
    riskProfile: apiName.nullable().default(null),
    /** Account field holding the AUM as Salesforce knows it (compared with our valuations). */
    accountAum: apiName.nullable().default(null),
    accountAumAsOf: apiName.nullable().default(null),
    /** User field holding our RM code (e.g. EmployeeNumber); RMs are otherwise matched by email. */
    userRmCode: apiName.nullable().default(null),
  }),
  sync: z.object({
    cron: z.string().default('30 1 * * *'),
    /** Switch to Bulk API 2.0 when a query reports more records than this. */
    bulkThreshold: z.number().int().positive().default(10_000),
    /** Re-read records stamped this many seconds before the watermark (SystemModstamp ties, commit lag). */
    overlapSeconds: z.number().int().min(0).default(300),
    pageSize: z.number().int().min(200).max(2000).default(2000),
    objects: z.array(z.enum(SYNC_OBJECTS)).default([...SYNC_OBJECTS]),
    /** Bulk 2.0 status polling interval. */
    bulkPollMs: z.number().int().positive().default(2000),
  }),
  reconciliation: z.object({
    aumTolerancePct: z.number().min(0).default(1),
    aumToleranceAmount: decimalString.default('10000'),
    staleAfterDays: z.number().int().min(0).default(7),
  }),
  writeBack: z.object({
    enabled: z.boolean().default(false),
    target: z.enum(['account', 'fsc']).default('account'),
    accountFields: z
      .object({
        aum: apiName.nullable().default(null),
        aumAsOf: apiName.nullable().default(null),
        /** Percent fields per analytics period (e.g. { "YTD": "PMS_Return_YTD__c" }): the client's SEBI reported return × 100. */
        returns: periodFields.default({}),
        /** Date field for the as-of date of those returns (the client's last valuation date). */
        returnsAsOf: apiName.nullable().default(null),
      })
      .default({ aum: null, aumAsOf: null, returns: {}, returnsAsOf: null }),
    fscFields: z
      .object({
        balance: z.boolean().default(true),
        /** Managed package: the portfolio's reported returns to FinServ__Performance{MTD,QTD,YTD,1Yr,3Yr}__c. */
        performance: z.boolean().default(true),
        /** Standard FinancialAccount (API ≥ 61) has no performance fields: percent fields your org added, per period. */
        standardPerformance: periodFields.default({}),
      })
      .default({ balance: true, performance: true, standardPerformance: {} }),
    /** Decimals of the percent values sent (Salesforce rounds to the field's scale anyway; fewer decimals, fewer rewrites). */
    percentDecimals: z.number().int().min(0).max(8).default(2),
    /** Stop writing when the org's remaining daily API calls (Sforce-Limit-Info) fall to this many; the rest waits for the next run. */
    apiCallsReserve: z.number().int().min(0).default(1000),
    tasks: z
      .object({
        enabled: z.boolean().default(false),
        largeWithdrawalAmount: decimalString.default('2500000'),
        lookbackDays: z.number().int().positive().default(7),
        /** A Task when a client's current drawdown from its peak reaches this many percent (null: off). */
        drawdownPct: z.number().positive().nullable().default(10),
        /** A Task when a client's 1Y return trails its benchmark by more than this many percentage points (null: off). */
        benchmarkShortfallPct: z.number().positive().nullable().default(5),
        subjectPrefix: z.string().default('PMS alert'),
      })
      .default({ enabled: false, largeWithdrawalAmount: '2500000', lookbackDays: 7, drawdownPct: 10, benchmarkShortfallPct: 5, subjectPrefix: 'PMS alert' }),
  }),
});

export type SalesforceSettings = z.output<typeof SettingsSchema>;
type SchemaInput = z.input<typeof SettingsSchema>;
/** Settings as written in the file: every section and field optional (defaults fill the rest). */
export type SalesforceSettingsInput = { [K in keyof SchemaInput]?: Partial<SchemaInput[K]> };

/** Validate settings (defaults filled in); throws with every problem listed. */
export function parseSalesforceSettings(input: SalesforceSettingsInput | unknown, source = 'salesforce settings'): SalesforceSettings {
  const { $comment: _ignored, ...rest } = (input ?? {}) as Record<string, unknown>;
  const parsed = SettingsSchema.safeParse({ fields: {}, sync: {}, reconciliation: {}, writeBack: {}, ...rest });
  if (!parsed.success) {
    throw new Error(`${source} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

/** Settings from SALESFORCE_CONFIG_FILE or <config dir>/salesforce.json (defaults when the file is absent). */
export function loadSalesforceSettings(env: Pick<Env, 'CONFIG_DIR' | 'SALESFORCE_CONFIG_FILE'>): SalesforceSettings {
  const file = env.SALESFORCE_CONFIG_FILE ? path.resolve(env.SALESFORCE_CONFIG_FILE) : path.join(configDir(env), 'salesforce.json');
  if (!fs.existsSync(file)) return parseSalesforceSettings({}, file);
  return parseSalesforceSettings(JSON.parse(fs.readFileSync(file, 'utf8')), file);
}

/** The connection config from SALESFORCE_* variables, or null when the connector is off. */
export function salesforceConnectionConfig(env: Env): SalesforceConfig | null {
  const vars: Record<string, string | undefined> = {};
  for (const name of SALESFORCE_ENV_VARS) vars[name] = env[name];
  return salesforceConfigFromEnv(vars);
}

/** Cron of the nightly incremental sync: SALESFORCE_SYNC_CRON wins over the config file. */
export function syncCron(env: Env, settings: SalesforceSettings): string {
  return env.SALESFORCE_SYNC_CRON ?? settings.sync.cron;
}

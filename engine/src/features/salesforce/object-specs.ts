/**
 * What we read from each Salesforce object and where it lands. Columns name the Salesforce fields
 * they come from (the first present one wins, per describe), and a SQL cast: REST keeps JSON
 * types while Bulk 2.0 gives strings, and `data->>'Field'` turns both into the same text, which
 * the cast then types (true/'true' → boolean, 12.5/'12.5' → numeric without a float in between).
 */
import type { OrgFeatures } from '../../connectors/salesforce/index.js';
import type { SalesforceSettings, SyncObject } from './salesforce-settings.js';

export type Cast = 'text' | 'upper' | 'boolean' | 'numeric' | 'date' | 'timestamptz';

export interface ColumnSpec {
  col: string;
  /** Candidate Salesforce fields, coalesced in this order; those the org lacks are dropped. */
  from: string[];
  cast: Cast;
  /** The run fails when none of `from` exists (a mapping that points nowhere). */
  required?: boolean;
}

export interface ObjectSpec {
  /** Our name for the object (watermark key, stage key). */
  object: SyncObject | 'Event';
  sobject: string;
  table: string;
  columns: ColumnSpec[];
  /** Constant columns (e.g. activity_type) and the filter that scopes full-resync deletions. */
  constants: Record<string, string>;
}

const c = (col: string, from: string | (string | null)[], cast: Cast = 'text', required = false): ColumnSpec => ({
  col,
  from: (Array.isArray(from) ? from : [from]).filter((f): f is string => Boolean(f)),
  cast,
  required,
});

/** The specs for this org (FSC model decides the financial-account object) and these settings. */
export function objectSpecs(settings: SalesforceSettings, features: OrgFeatures): ObjectSpec[] {
  const f = settings.fields;
  const wanted = new Set(settings.sync.objects);
  const specs: ObjectSpec[] = [];
  if (wanted.has('User')) {
    specs.push({
      object: 'User',
      sobject: 'User',
      table: 'sf_users',
      constants: {},
      columns: [
        c('username', 'Username'),
        c('name', 'Name'),
        c('email', 'Email'),
        c('title', 'Title'),
        c('is_active', 'IsActive', 'boolean'),
        c('manager_id', 'ManagerId'),
        ...(f.userRmCode ? [c('rm_code', f.userRmCode, 'upper')] : []),
      ],
    });
  }
  if (wanted.has('Account')) {
    specs.push({
      object: 'Account',
      sobject: 'Account',
      table: 'sf_accounts',
      constants: {},
      columns: [
        c('name', 'Name'),
        c('owner_id', 'OwnerId'),
        c('client_code', f.clientCode, 'upper', true),
        c('pan', [f.pan, f.personAccountPan], 'upper'),
        c('risk_profile', [f.riskProfile]),
        c('is_person_account', 'IsPersonAccount', 'boolean'),
        c('person_email', 'PersonEmail'),
        c('city', 'BillingCity'),
        c('aum', [f.accountAum], 'numeric', Boolean(f.accountAum)),
        c('aum_as_of', [f.accountAumAsOf], 'date', Boolean(f.accountAumAsOf)),
      ],
    });
  }
  if (wanted.has('Contact')) {
    specs.push({
      object: 'Contact',
      sobject: 'Contact',
      table: 'sf_contacts',
      constants: {},
      columns: [c('account_id', 'AccountId'), c('name', 'Name'), c('email', 'Email'), c('phone', 'Phone'), c('owner_id', 'OwnerId')],
    });
  }
  const activity = (object: 'Task' | 'Event', extra: ColumnSpec[]): ObjectSpec => ({
    object,
    sobject: object,
    table: 'sf_activities',
    constants: { activity_type: object },
    columns: [
      c('subject', 'Subject'),
      c('activity_date', 'ActivityDate', 'date'),
      c('type', 'Type'),
      c('who_id', 'WhoId'),
      c('what_id', 'WhatId'),
      c('owner_id', 'OwnerId'),
      ...extra,
    ],
  });
  if (wanted.has('Task')) specs.push(activity('Task', [c('status', 'Status')]));
  if (wanted.has('Event')) specs.push(activity('Event', [c('start_at', 'StartDateTime', 'timestamptz'), c('end_at', 'EndDateTime', 'timestamptz')]));
  if (wanted.has('FinancialAccount') && features.hasFsc === 'managed') {
    specs.push({
      object: 'FinancialAccount',
      sobject: 'FinServ__FinancialAccount__c',
      table: 'sf_financial_accounts',
      constants: { sobject: 'FinServ__FinancialAccount__c' },
      columns: [
        c('name', 'Name'),
        c('account_number', 'FinServ__FinancialAccountNumber__c'),
        c('primary_owner_id', 'FinServ__PrimaryOwner__c'),
        c('source_system_id', 'FinServ__SourceSystemId__c', 'upper'),
        c('balance', 'FinServ__Balance__c', 'numeric'),
        c('owner_id', 'OwnerId'),
      ],
    });
  } else if (wanted.has('FinancialAccount') && features.hasFsc === 'standard') {
    specs.push({
      object: 'FinancialAccount',
      sobject: 'FinancialAccount',
      table: 'sf_financial_accounts',
      constants: { sobject: 'FinancialAccount' },
      columns: [
        c('name', 'Name'),
        c('account_number', 'FinancialAccountNumber'),
        c('source_system_id', 'SourceSystemIdentifier', 'upper'),
        c('balance', 'CurrentValue', 'numeric'),
        c('owner_id', 'OwnerId'),
      ],
    });
  }
  return specs;
}

/** Keep only the fields the org has (describe); throws naming a required mapping that points nowhere. */
export function resolveColumns(spec: ObjectSpec, orgFields: Set<string>): ColumnSpec[] {
  const lower = new Map([...orgFields].map((n) => [n.toLowerCase(), n]));
  const out: ColumnSpec[] = [];
  for (const col of spec.columns) {
    const from = col.from.map((n) => lower.get(n.toLowerCase())).filter((n): n is string => n !== undefined);
    if (from.length === 0) {
      if (col.required) {
        throw new SyncConfigError(`${spec.sobject} has no field ${col.from.join(' / ')} (config/salesforce.json maps ${col.col} to it)`);
      }
      continue;
    }
    out.push({ ...col, from });
  }
  return out;
}

/** A mapping in config/salesforce.json names a field the org does not have. */
export class SyncConfigError extends Error {
  readonly code = 'SALESFORCE_MAPPING';
  constructor(message: string) {
    super(message);
    this.name = 'SyncConfigError';
  }
}

/** SQL expression reading a staged record's field(s) with the column's cast. */
export function columnExpr(col: ColumnSpec, alias = 's'): string {
  const reads = col.from.map((name) => {
    const raw = `nullif(${alias}.data->>'${name}', '')`;
    switch (col.cast) {
      case 'text':
        return raw;
      case 'upper':
        return `upper(trim(${raw}))`;
      default:
        return `(${raw})::${col.cast}`;
    }
  });
  return reads.length === 1 ? reads[0]! : `coalesce(${reads.join(', ')})`;
}

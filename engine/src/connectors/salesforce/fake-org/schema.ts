/**
 * Object and field metadata of the fake org: just enough describe data for our connector
 * (FSC detection, Person Account detection, field validation in SOQL and DML).
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'picklist'
  | 'reference'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'int'
  | 'base64';

export interface FieldDef {
  name: string;
  type: FieldType;
  /** For references: the target objects, and the relationship name used in dotted SOQL paths. */
  referenceTo?: string[];
  relationshipName?: string;
  /** System fields cannot be written through the API. */
  readOnly?: boolean;
}

export interface ObjectDef {
  name: string;
  keyPrefix: string;
  custom: boolean;
  fields: FieldDef[];
  /** Lowest API version in which the object exists (standard FSC objects arrived in 61.0). */
  minApiVersion?: number;
}

export type FscModel = 'managed' | 'standard' | false;

export interface SchemaOptions {
  /** Which Financial Services Cloud data model the org has. Default: false (plain Sales Cloud). */
  fsc?: FscModel;
  /** Person Accounts enabled (adds IsPersonAccount, Person* and `__pc` fields to Account). Default: false. */
  personAccounts?: boolean;
  /** Extra (custom) fields per object, e.g. `{ Account: [{ name: 'PMS_Client_Code__c', type: 'string' }] }`. */
  customFields?: Record<string, FieldDef[]>;
}

const f = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, ...extra });
const ref = (name: string, to: string[], relationshipName: string): FieldDef => ({
  name,
  type: 'reference',
  referenceTo: to,
  relationshipName,
});

const systemFields = (): FieldDef[] => [
  f('Id', 'id', { readOnly: true }),
  f('IsDeleted', 'boolean', { readOnly: true }),
  f('CreatedDate', 'datetime', { readOnly: true }),
  { ...ref('CreatedById', ['User'], 'CreatedBy'), readOnly: true },
  f('LastModifiedDate', 'datetime', { readOnly: true }),
  { ...ref('LastModifiedById', ['User'], 'LastModifiedBy'), readOnly: true },
  f('SystemModstamp', 'datetime', { readOnly: true }),
];

/** Default custom fields of "our" kind of org: the Wealth Spectrum client code and PAN on Account. */
export const DEFAULT_CUSTOM_FIELDS: Record<string, FieldDef[]> = {
  Account: [f('PMS_Client_Code__c', 'string'), f('PAN__c', 'string')],
};

export function buildSchema(options: SchemaOptions = {}): Map<string, ObjectDef> {
  const fsc = options.fsc ?? false;
  const personAccounts = options.personAccounts ?? false;
  const customFields = options.customFields ?? DEFAULT_CUSTOM_FIELDS;
  const objects: ObjectDef[] = [];

  objects.push({
    name: 'User',
    keyPrefix: '005',
    custom: false,
    fields: [
      ...systemFields(),
      f('Username', 'string'),
      f('Name', 'string', { readOnly: true }),
      f('FirstName', 'string'),
      f('LastName', 'string'),
      f('Email', 'email'),
      f('Title', 'string'),
      f('IsActive', 'boolean'),
      ref('ManagerId', ['User'], 'Manager'),
    ],
  });

  const accountFields: FieldDef[] = [
    ...systemFields(),
    f('Name', 'string'),
    f('Type', 'picklist'),
    f('Phone', 'phone'),
    f('BillingCity', 'string'),
    f('Industry', 'picklist'),
    ref('OwnerId', ['User'], 'Owner'),
    ref('ParentId', ['Account'], 'Parent'),
  ];
  if (personAccounts) {
    accountFields.push(
      f('IsPersonAccount', 'boolean', { readOnly: true }),
      f('FirstName', 'string'),
      f('LastName', 'string'),
      f('Salutation', 'picklist'),
      f('PersonEmail', 'email'),
      f('PersonMobilePhone', 'phone'),
      f('PersonBirthdate', 'date'),
      { ...ref('PersonContactId', ['Contact'], 'PersonContact'), readOnly: true },
      f('PAN__pc', 'string'),
    );
  }
  if (fsc === 'managed') {
    accountFields.push(
      f('FinServ__RiskTolerance__c', 'picklist'),
      f('FinServ__InvestmentObjectives__c', 'picklist'),
      f('FinServ__ReviewFrequency__c', 'picklist'),
      f('FinServ__LastReview__c', 'date'),
      f('FinServ__NextReview__c', 'date'),
    );
  }
  objects.push({ name: 'Account', keyPrefix: '001', custom: false, fields: accountFields });

  const contactFields: FieldDef[] = [
    ...systemFields(),
    f('FirstName', 'string'),
    f('LastName', 'string'),
    f('Name', 'string', { readOnly: true }),
    f('Email', 'email'),
    f('Phone', 'phone'),
    ref('AccountId', ['Account'], 'Account'),
    ref('OwnerId', ['User'], 'Owner'),
  ];
  if (personAccounts) contactFields.push(f('IsPersonAccount', 'boolean', { readOnly: true }));
  objects.push({ name: 'Contact', keyPrefix: '003', custom: false, fields: contactFields });

  const activityFields = (): FieldDef[] => [
    ...systemFields(),
    f('Subject', 'string'),
    f('ActivityDate', 'date'),
    f('Description', 'textarea'),
    f('Type', 'picklist'),
    ref('WhoId', ['Contact'], 'Who'),
    ref('WhatId', ['Account'], 'What'),
    ref('OwnerId', ['User'], 'Owner'),
  ];
  objects.push({
    name: 'Task',
    keyPrefix: '00T',
    custom: false,
    fields: [...activityFields(), f('Status', 'picklist'), f('Priority', 'picklist'), f('TaskSubtype', 'picklist')],
  });
  objects.push({
    name: 'Event',
    keyPrefix: '00U',
    custom: false,
    fields: [
      ...activityFields(),
      f('StartDateTime', 'datetime'),
      f('EndDateTime', 'datetime'),
      f('DurationInMinutes', 'int'),
      f('Location', 'string'),
    ],
  });
  objects.push({
    name: 'ContentVersion',
    keyPrefix: '068',
    custom: false,
    fields: [
      ...systemFields(),
      f('Title', 'string'),
      f('PathOnClient', 'string'),
      f('Description', 'textarea'),
      f('VersionData', 'base64'),
      f('ContentSize', 'int', { readOnly: true }),
      f('FileExtension', 'string', { readOnly: true }),
      { ...ref('ContentDocumentId', ['ContentDocument'], 'ContentDocument'), readOnly: true },
      ref('FirstPublishLocationId', ['Account', 'User', 'Contact'], 'FirstPublishLocation'),
      f('IsLatest', 'boolean', { readOnly: true }),
    ],
  });
  objects.push({
    name: 'ContentDocument',
    keyPrefix: '069',
    custom: false,
    fields: [...systemFields(), f('Title', 'string'), { ...ref('LatestPublishedVersionId', ['ContentVersion'], 'LatestPublishedVersion'), readOnly: true }],
  });

  if (fsc === 'managed') {
    objects.push({
      name: 'FinServ__FinancialAccount__c',
      keyPrefix: 'a0F',
      custom: true,
      fields: [
        ...systemFields(),
        f('Name', 'string'),
        ref('OwnerId', ['User'], 'Owner'),
        f('FinServ__FinancialAccountNumber__c', 'string'),
        f('FinServ__FinancialAccountType__c', 'picklist'),
        ref('FinServ__PrimaryOwner__c', ['Account'], 'FinServ__PrimaryOwner__r'),
        f('FinServ__Balance__c', 'currency'),
        f('FinServ__PerformanceMTD__c', 'percent'),
        f('FinServ__PerformanceQTD__c', 'percent'),
        f('FinServ__PerformanceYTD__c', 'percent'),
        f('FinServ__Performance1Yr__c', 'percent'),
        f('FinServ__Performance3Yr__c', 'percent'),
        f('FinServ__SourceSystemId__c', 'string'),
      ],
    });
    objects.push({
      name: 'FinServ__FinancialHolding__c',
      keyPrefix: 'a0H',
      custom: true,
      fields: [
        ...systemFields(),
        f('Name', 'string'),
        ref('FinServ__FinancialAccount__c', ['FinServ__FinancialAccount__c'], 'FinServ__FinancialAccount__r'),
        f('FinServ__Shares__c', 'double'),
        f('FinServ__Price__c', 'currency'),
        f('FinServ__MarketValue__c', 'currency'),
        f('FinServ__AssetClass__c', 'picklist'),
      ],
    });
  }
  if (fsc === 'standard') {
    // Standard FSC objects (API 61.0+). Field list trimmed to what we read/write; names follow the
    // standard-object naming (no namespace, no __c).
    objects.push({
      name: 'FinancialAccount',
      keyPrefix: '1Fa',
      custom: false,
      minApiVersion: 61,
      fields: [
        ...systemFields(),
        f('Name', 'string'),
        ref('OwnerId', ['User'], 'Owner'),
        f('FinancialAccountNumber', 'string'),
        f('FinancialAccountType', 'picklist'),
        f('Status', 'picklist'),
        f('CurrentValue', 'currency'),
        f('SourceSystemIdentifier', 'string'),
      ],
    });
  }

  // The engine's data-refresh Platform Event (force-app/main/default/objects/PMS_Data_Refresh__e): published by
  // inserting it over REST; the fake keeps each published event as a record so tests can assert on it.
  objects.push({
    name: 'PMS_Data_Refresh__e',
    keyPrefix: 'e01',
    custom: true,
    fields: [
      f('ReplayId', 'string', { readOnly: true }),
      f('CreatedDate', 'datetime', { readOnly: true }),
      { ...ref('CreatedById', ['User'], 'CreatedBy'), readOnly: true },
      f('Kind__c', 'string'),
      f('Run_Id__c', 'string'),
      f('As_Of__c', 'datetime'),
      f('Scope__c', 'textarea'),
    ],
  });

  const byName = new Map<string, ObjectDef>();
  for (const o of objects) byName.set(o.name, o);
  for (const [objectName, extra] of Object.entries(customFields)) {
    const o = byName.get(objectName);
    if (!o) throw new Error(`customFields: unknown object ${objectName}`);
    o.fields.push(...extra);
  }
  return byName;
}

/** Salesforce-style field describe (the subset jsforce and our code look at). */
export function describeField(def: FieldDef) {
  const isSystem = def.readOnly === true;
  return {
    name: def.name,
    label: def.name.replace(/__c$|__pc$/, '').replace(/_/g, ' '),
    type: def.type,
    custom: /__c$|__pc$/.test(def.name),
    nillable: def.type !== 'id' && def.type !== 'boolean',
    createable: !isSystem,
    updateable: !isSystem,
    filterable: def.type !== 'textarea' && def.type !== 'base64',
    referenceTo: def.referenceTo ?? [],
    relationshipName: def.relationshipName ?? null,
  };
}

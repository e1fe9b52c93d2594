/**
 * In-memory data of the fake org: records per object, Salesforce-style Ids, system fields
 * (CreatedDate, LastModifiedDate, SystemModstamp bumped on every write) and the stored file
 * bodies of ContentVersion records. Tests seed and mutate it directly; the HTTP layer goes
 * through the same methods, so both see the same validation.
 */
import { buildSchema, type FieldDef, type ObjectDef, type SchemaOptions } from './schema.js';
import { SoqlError, compareForOrder, conditionFields, evaluate, formatSalesforceDateTime, type SoqlQuery } from './soql.js';

export type SfRecord = Record<string, unknown> & { Id: string };

/** A Salesforce-shaped DML error (the per-record form uses `statusCode`, top-level uses `errorCode`). */
export class SalesforceFault extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly status = 400,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'SalesforceFault';
  }
}

export interface StoredFile {
  contentVersionId: string;
  title: string;
  pathOnClient: string | null;
  firstPublishLocationId: string | null;
  bytes: Buffer;
  /** How it arrived: multipart (with the JSON part's name) or base64 inside JSON. */
  upload: { kind: 'multipart'; jsonPartName: string; binaryPartName: string; filename: string | null; contentType: string | null } | { kind: 'json' };
}

const NUMERIC_TYPES = new Set(['double', 'currency', 'percent', 'int']);

/** Reject values a real org cannot deserialise into the field's type (numbers, dates, checkboxes); null clears any field. */
function checkValueType(fd: FieldDef, value: unknown): void {
  if (value === null || value === undefined) return;
  const bad = (kind: string) => {
    throw new SalesforceFault('JSON_PARSER_ERROR', `Cannot deserialize instance of ${kind} from ${typeof value === 'string' ? 'VALUE_STRING' : 'value'} ${JSON.stringify(value)}`, 400, [fd.name]);
  };
  if (NUMERIC_TYPES.has(fd.type)) {
    const ok = (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
    if (!ok) bad(fd.type === 'int' ? 'int' : 'double');
  } else if (fd.type === 'date') {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) bad('date');
  } else if (fd.type === 'boolean') {
    if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') bad('boolean');
  }
}

const ID_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** 15-char Id → 18-char case-safe Id (Salesforce's checksum suffix). */
export function toId18(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let flags = 0;
    for (let j = 0; j < 5; j++) {
      const c = id15[block * 5 + j]!;
      if (c >= 'A' && c <= 'Z') flags |= 1 << j;
    }
    suffix += SUFFIX_CHARS[flags];
  }
  return id15 + suffix;
}

export interface OrgDataOptions extends SchemaOptions {
  /** Clock for CreatedDate/SystemModstamp. Default Date.now. */
  now?: () => number;
  orgId?: string;
}

export class OrgData {
  readonly schema: Map<string, ObjectDef>;
  readonly orgId: string;
  /** Files uploaded as ContentVersion, by ContentVersion Id, in upload order. */
  readonly files = new Map<string, StoredFile>();
  /** Record Ids whose next N writes fail with UNABLE_TO_LOCK_ROW (set with lockRecords). */
  readonly locks = new Map<string, number>();
  private readonly tables = new Map<string, Map<string, SfRecord>>();
  private readonly now: () => number;
  private counter = 0;
  private defaultUserId: string | undefined;

  constructor(options: OrgDataOptions = {}) {
    this.schema = buildSchema(options);
    this.now = options.now ?? Date.now;
    this.orgId = options.orgId ?? toId18('00D5g000004Fake');
    for (const name of this.schema.keys()) this.tables.set(name, new Map());
  }

  newId(prefix: string): string {
    this.counter++;
    let n = this.counter;
    let body = '';
    for (let i = 0; i < 10; i++) {
      body = ID_CHARS[n % 62] + body;
      n = Math.floor(n / 62);
    }
    return toId18(`${prefix}5g${body}`);
  }

  objectDef(name: string, apiVersion = Infinity): ObjectDef {
    const def = [...this.schema.values()].find((o) => o.name.toLowerCase() === name.toLowerCase());
    if (!def || (def.minApiVersion !== undefined && apiVersion < def.minApiVersion)) {
      throw new SalesforceFault('NOT_FOUND', `The requested resource does not exist`, 404);
    }
    return def;
  }

  fieldDef(object: ObjectDef, name: string): FieldDef | undefined {
    return object.fields.find((fd) => fd.name.toLowerCase() === name.toLowerCase());
  }

  /** The user that owns and creates records by default (the first User, created on demand). */
  get integrationUserId(): string {
    if (!this.defaultUserId) {
      const existing = this.all('User')[0];
      this.defaultUserId =
        existing?.Id ??
        this.insert('User', { Username: 'integration@pms.example', FirstName: 'Integration', LastName: 'User', IsActive: true }).Id;
    }
    return this.defaultUserId;
  }

  private table(object: string): Map<string, SfRecord> {
    const def = this.objectDef(object);
    return this.tables.get(def.name)!;
  }

  all(object: string, options: { includeDeleted?: boolean } = {}): SfRecord[] {
    return [...this.table(object).values()].filter((r) => options.includeDeleted || r.IsDeleted !== true);
  }

  get(object: string, id: string): SfRecord | undefined {
    return this.table(object).get(id);
  }

  /** Find a record by Id in any object (for relationship paths and polymorphic lookups). */
  findById(id: string): { object: string; record: SfRecord } | undefined {
    for (const [object, rows] of this.tables) {
      const record = rows.get(id);
      if (record) return { object, record };
    }
    return undefined;
  }

  private checkWritableFields(def: ObjectDef, fields: Record<string, unknown>, mode: 'insert' | 'update'): Record<string, unknown> {
    const clean: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (key === 'attributes' || (mode === 'update' && key.toLowerCase() === 'id')) continue;
      const fd = this.fieldDef(def, key);
      if (!fd) {
        throw new SalesforceFault('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`, 400, [key]);
      }
      if (fd.readOnly) {
        throw new SalesforceFault('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${fd.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, 400, [fd.name]);
      }
      checkValueType(fd, value);
      clean[fd.name] = value;
    }
    return clean;
  }

  private consumeLock(id: string): void {
    const remaining = this.locks.get(id);
    if (remaining && remaining > 0) {
      this.locks.set(id, remaining - 1);
      throw new SalesforceFault('UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id}`);
    }
  }

  /** Make the next `times` writes to each of these records fail with UNABLE_TO_LOCK_ROW. */
  lockRecords(ids: string[], times = 1): void {
    for (const id of ids) this.locks.set(id, times);
  }

  insert(object: string, fields: Record<string, unknown>, options: { systemFields?: Partial<Record<'CreatedDate' | 'SystemModstamp' | 'LastModifiedDate', string>> } = {}): SfRecord {
    const def = this.objectDef(object);
    const input = { ...fields };
    // IsPersonAccount is read-only in the API but can be seeded directly, like record types in a real org.
    const personAccount = def.name === 'Account' && input.IsPersonAccount === true;
    delete input.IsPersonAccount;
    if (personAccount && !this.fieldDef(def, 'IsPersonAccount')) {
      throw new SalesforceFault('INVALID_FIELD', `No such column 'IsPersonAccount' on sobject of type Account`);
    }
    const clean = this.checkWritableFields(def, input, 'insert');
    const stamp = formatSalesforceDateTime(this.now());
    const userId = def.name === 'User' && !this.defaultUserId && this.all('User').length === 0 ? null : this.integrationUserId;
    const id = this.newId(def.keyPrefix);
    const record: SfRecord = { Id: id };
    for (const fd of def.fields) if (fd.name !== 'Id') record[fd.name] = null;
    Object.assign(record, clean, {
      IsDeleted: false,
      CreatedDate: options.systemFields?.CreatedDate ?? stamp,
      LastModifiedDate: options.systemFields?.LastModifiedDate ?? stamp,
      SystemModstamp: options.systemFields?.SystemModstamp ?? stamp,
      CreatedById: userId ?? id,
      LastModifiedById: userId ?? id,
    });
    if ('OwnerId' in record && record.OwnerId === null) record.OwnerId = userId ?? id;
    this.derive(def, record, personAccount);
    this.validateRequired(def, record, personAccount);
    this.tables.get(def.name)!.set(id, record);
    if (personAccount) {
      const contact = this.insert('Contact', {
        FirstName: record.FirstName ?? null,
        LastName: record.LastName,
        AccountId: id,
        OwnerId: record.OwnerId,
      });
      contact.IsPersonAccount = true;
      record.PersonContactId = contact.Id;
    }
    return record;
  }

  private derive(def: ObjectDef, record: SfRecord, personAccount: boolean): void {
    const fullName = [record.FirstName, record.LastName].filter((p) => typeof p === 'string' && p).join(' ');
    if (def.name === 'Account' && this.fieldDef(def, 'IsPersonAccount')) {
      record.IsPersonAccount = personAccount || record.IsPersonAccount === true;
      if (record.IsPersonAccount) record.Name = fullName;
    }
    if (def.name === 'Contact' || def.name === 'User') record.Name = fullName;
  }

  private validateRequired(def: ObjectDef, record: SfRecord, personAccount: boolean): void {
    const missing = (field: string) => {
      throw new SalesforceFault('REQUIRED_FIELD_MISSING', `Required fields are missing: [${field}]`, 400, [field]);
    };
    if (def.name === 'Account' && !personAccount && !record.Name) missing('Name');
    if ((def.name === 'Contact' || (def.name === 'Account' && personAccount)) && !record.LastName) missing('LastName');
    if (def.name === 'User' && !record.Username) missing('Username');
  }

  update(object: string, id: string, fields: Record<string, unknown>): SfRecord {
    const def = this.objectDef(object);
    const record = this.tables.get(def.name)!.get(id);
    if (!record || record.IsDeleted) {
      throw new SalesforceFault(record ? 'ENTITY_IS_DELETED' : 'NOT_FOUND', record ? 'entity is deleted' : 'Provided external ID field does not exist or is not accessible: ' + id, 404);
    }
    const clean = this.checkWritableFields(def, fields, 'update');
    this.consumeLock(id);
    Object.assign(record, clean);
    const stamp = formatSalesforceDateTime(this.now());
    record.LastModifiedDate = stamp;
    record.SystemModstamp = stamp;
    record.LastModifiedById = this.integrationUserId;
    this.derive(def, record, record.IsPersonAccount === true);
    return record;
  }

  delete(object: string, id: string): void {
    const def = this.objectDef(object);
    const record = this.tables.get(def.name)!.get(id);
    if (!record || record.IsDeleted) throw new SalesforceFault('ENTITY_IS_DELETED', 'entity is deleted', 404);
    this.consumeLock(id);
    record.IsDeleted = true;
    record.SystemModstamp = formatSalesforceDateTime(this.now());
  }

  /** Insert a ContentVersion with its bytes (what the multipart endpoint does). */
  insertContentVersion(fields: Record<string, unknown>, bytes: Buffer, upload: StoredFile['upload']): SfRecord {
    const { VersionData: _ignored, ...rest } = fields;
    if (!rest.PathOnClient) throw new SalesforceFault('REQUIRED_FIELD_MISSING', 'Required fields are missing: [PathOnClient]', 400, ['PathOnClient']);
    const firstPublish = rest.FirstPublishLocationId;
    if (typeof firstPublish === 'string' && !this.findById(firstPublish)) {
      throw new SalesforceFault('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, 400, ['FirstPublishLocationId']);
    }
    const record = this.insert('ContentVersion', rest);
    const title = (typeof rest.Title === 'string' && rest.Title) || String(rest.PathOnClient).replace(/\.[^.]*$/, '');
    const doc = this.insert('ContentDocument', { Title: title });
    doc.LatestPublishedVersionId = record.Id;
    Object.assign(record, {
      Title: title,
      VersionData: `/services/data/v62.0/sobjects/ContentVersion/${record.Id}/VersionData`,
      ContentSize: bytes.length,
      FileExtension: /\.([^.]+)$/.exec(String(rest.PathOnClient))?.[1]?.toLowerCase() ?? null,
      ContentDocumentId: doc.Id,
      IsLatest: true,
    });
    this.files.set(record.Id, {
      contentVersionId: record.Id,
      title,
      pathOnClient: typeof rest.PathOnClient === 'string' ? rest.PathOnClient : null,
      firstPublishLocationId: typeof firstPublish === 'string' ? firstPublish : null,
      bytes,
      upload,
    });
    return record;
  }

  /**
   * Snapshot all records (for allOrNone rollbacks); the returned function restores them in place,
   * so record objects the caller holds stay valid. Stored files and consumed locks are not rolled back.
   */
  snapshot(): () => void {
    const saved = new Map<string, Map<string, SfRecord>>();
    for (const [name, rows] of this.tables) {
      saved.set(name, new Map([...rows].map(([id, r]) => [id, structuredClone(r)])));
    }
    return () => {
      for (const [name, rows] of this.tables) {
        const before = saved.get(name)!;
        for (const [id, r] of rows) {
          const old = before.get(id);
          if (!old) {
            rows.delete(id);
            continue;
          }
          for (const k of Object.keys(r)) delete r[k];
          Object.assign(r, old);
        }
      }
    };
  }

  /** Run a parsed SOQL query; returns rows shaped like the REST API's (with `attributes`). */
  runQuery(query: SoqlQuery, options: { apiVersion: number; includeDeleted: boolean }): Record<string, unknown>[] {
    let def: ObjectDef;
    try {
      def = this.objectDef(query.object, options.apiVersion);
    } catch {
      throw new SoqlError(`sObject type '${query.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`, 'INVALID_TYPE');
    }
    for (const path of [...query.fields, ...conditionFields(query.where), ...query.orderBy.map((o) => o.field)]) {
      this.resolvePath(def, path);
    }
    const version = `v${options.apiVersion.toFixed(1)}`;
    let rows = this.all(def.name, { includeDeleted: options.includeDeleted });
    if (query.where) {
      const where = query.where;
      rows = rows.filter((r) => evaluate(where, (path) => this.valueAt(def, r, path)));
    }
    if (query.orderBy.length > 0) {
      rows = [...rows].sort((a, b) => {
        for (const order of query.orderBy) {
          const cmp = compareForOrder(this.valueAt(def, a, order.field), this.valueAt(def, b, order.field), order);
          if (cmp !== 0) return cmp;
        }
        return 0;
      });
    }
    rows = rows.slice(query.offset ?? 0, query.limit === undefined ? undefined : (query.offset ?? 0) + query.limit);
    return rows.map((r) => this.project(def, r, query.fields, version));
  }

  /** Validate a (possibly dotted) field path; returns the final field's definition. */
  private resolvePath(def: ObjectDef, path: string): FieldDef {
    const parts = path.split('.');
    let current = def;
    for (let i = 0; i < parts.length - 1; i++) {
      const rel = current.fields.find((fd) => fd.relationshipName?.toLowerCase() === parts[i]!.toLowerCase());
      if (!rel) {
        throw new SoqlError(`Didn't understand relationship '${parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`, 'INVALID_FIELD');
      }
      current = this.objectDef(rel.referenceTo![0]!);
    }
    const last = parts[parts.length - 1]!;
    const fd = this.fieldDef(current, last);
    if (!fd) {
      throw new SoqlError(`No such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`, 'INVALID_FIELD');
    }
    return fd;
  }

  private valueAt(def: ObjectDef, record: SfRecord, path: string): unknown {
    const parts = path.split('.');
    let current: SfRecord | undefined = record;
    let currentDef = def;
    for (let i = 0; i < parts.length - 1 && current; i++) {
      const rel = currentDef.fields.find((fd) => fd.relationshipName?.toLowerCase() === parts[i]!.toLowerCase())!;
      const target: unknown = current[rel.name];
      const found: { object: string; record: SfRecord } | undefined = typeof target === 'string' ? this.findById(target) : undefined;
      current = found?.record;
      if (found) currentDef = this.objectDef(found.object);
    }
    if (!current) return null;
    const fd = this.fieldDef(currentDef, parts[parts.length - 1]!);
    return fd ? (current[fd.name] ?? null) : null;
  }

  private project(def: ObjectDef, record: SfRecord, fields: string[], version: string): Record<string, unknown> {
    const out: Record<string, unknown> = {
      attributes: { type: def.name, url: `/services/data/${version}/sobjects/${def.name}/${record.Id}` },
    };
    for (const path of fields) {
      const parts = path.split('.');
      if (parts.length === 1) {
        const fd = this.fieldDef(def, path)!;
        out[fd.name] = record[fd.name] ?? null;
        continue;
      }
      // Relationship path: nest objects like the REST API does ({ Owner: { attributes, Name } }).
      let targetOut = out;
      let current: SfRecord | undefined = record;
      let currentDef = def;
      for (let i = 0; i < parts.length - 1; i++) {
        const rel = currentDef.fields.find((fd) => fd.relationshipName?.toLowerCase() === parts[i]!.toLowerCase())!;
        const targetId: unknown = current?.[rel.name];
        const found: { object: string; record: SfRecord } | undefined = typeof targetId === 'string' ? this.findById(targetId) : undefined;
        if (!found) {
          targetOut[rel.relationshipName!] = null;
          current = undefined;
          break;
        }
        const target: SfRecord = found.record;
        current = target;
        currentDef = this.objectDef(found.object);
        const existing = targetOut[rel.relationshipName!];
        const nested: Record<string, unknown> =
          existing && typeof existing === 'object'
            ? (existing as Record<string, unknown>)
            : { attributes: { type: currentDef.name, url: `/services/data/${version}/sobjects/${currentDef.name}/${target.Id}` } };
        targetOut[rel.relationshipName!] = nested;
        targetOut = nested;
      }
      if (current) {
        const fd = this.fieldDef(currentDef, parts[parts.length - 1]!);
        if (fd) targetOut[fd.name] = current[fd.name] ?? null;
      }
    }
    return out;
  }
}

export { startFakeOrg, DEFAULT_FAKE_USERS } from './server.js';
export type { FakeOrg, FakeOrgOptions, FakeAuthUser, FaultKind, FaultSpec, FaultRule, LoggedRequest } from './server.js';
export { OrgData, SalesforceFault, toId18 } from './org-data.js';
export type { SfRecord, StoredFile, OrgDataOptions } from './org-data.js';
export type { FscModel, SchemaOptions, FieldDef } from './schema.js';
export { parseSoql, formatSalesforceDateTime, parseSalesforceDateTime, SoqlError } from './soql.js';

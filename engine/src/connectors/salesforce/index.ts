/** Salesforce connector: connection, retry, reads (REST/Bulk 2.0/describe) and writes. */
export * from './connection.js';
export * from './retry.js';
export * from './query.js';
export * from './dml.js';

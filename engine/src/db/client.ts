import postgres from 'postgres';
import { startEmbeddedServer } from './embedded.js';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
/** Either the pool or a transaction handle: query functions accept both. */
export type Queryable = Sql | TransactionSql;

export interface Database {
  sql: Sql;
  kind: 'embedded' | 'postgres';
  /** How another thread or process reaches this same store (embedded: the engine's PGlite socket). */
  url: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  poolMax?: number;
  /** `databaseUrl` is an embedded engine's socket (a worker joining it): no COPY, unnamed statements. */
  joinEmbedded?: boolean;
}

const common = {
  onnotice: () => {},
  connection: { application_name: 'pms-intelligence-hub' },
} satisfies postgres.Options<Record<string, never>>;

/**
 * Opens the store: the PostgreSQL at `databaseUrl`, or embedded PGlite under `dataDir`.
 * Both are reached through postgres.js, so there is one SQL dialect and one code path.
 */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const joining = opts.joinEmbedded === true;
    const sql = postgres(opts.databaseUrl, { ...common, max: joining ? 1 : (opts.poolMax ?? 10), prepare: !joining });
    return { sql, kind: joining ? 'embedded' : 'postgres', url: opts.databaseUrl, close: () => sql.end({ timeout: 5 }) };
  }
  const server = await startEmbeddedServer(opts.dataDir);
  // PGlite is one backend session shared by every socket connection: one pooled connection keeps
  // transactions and prepared statements unambiguous. A process joining another's server uses
  // unnamed statements so its names cannot collide with the owner's.
  const sql = postgres({
    ...common,
    host: '127.0.0.1',
    port: server.port,
    user: 'postgres',
    database: 'postgres',
    max: 1,
    prepare: !server.shared,
  });
  return {
    sql,
    kind: 'embedded',
    url: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    async close() {
      await sql.end({ timeout: 5 });
      await server.stop();
    },
  };
}

import net from 'node:net';
import postgres from 'postgres';
import { startEmbeddedServer } from './embedded.js';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
export type ReservedSql = postgres.ReservedSql;
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

/** What postgres.js hands a custom socket factory (its parsed options). */
interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
  connect_timeout?: number;
}

/**
 * A TCP connection with Nagle's algorithm off, for postgres.js (`socket` option), which leaves it on. A COPY into the
 * server ends with two small writes (the last rows, then CopyDone): with Nagle the second waits until the server
 * acknowledges the first, and Linux delays that acknowledgement by 40 ms. Measured: a COPY of one row took 40–45 ms,
 * and every level of an incremental analytics run ends such COPYs. Hosts are tried in order (as postgres.js does).
 */
export async function noDelaySocket(target: SocketTarget): Promise<net.Socket> {
  if (target.path) return connectOnce(() => net.connect(target.path as string), target.connect_timeout);
  let failure: unknown = new Error('no host to connect to');
  for (let i = 0; i < target.host.length; i++) {
    try {
      return await connectOnce(() => net.connect(target.port[i] ?? target.port[0]!, target.host[i]!), target.connect_timeout);
    } catch (err) {
      failure = err;
    }
  }
  throw failure;
}

function connectOnce(open: () => net.Socket, timeoutSeconds = 30): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = open();
    socket.setNoDelay(true);
    const timer = setTimeout(() => socket.destroy(new Error(`connect timed out after ${timeoutSeconds} s`)), timeoutSeconds * 1000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    // Stays attached after the connect: an error before postgres.js adds its own listener must not go unhandled.
    socket.once('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Options every client of the store uses: the engine's pool, workers, benches and tests. */
export const CONNECTION_OPTIONS = { onnotice: () => {}, socket: noDelaySocket } as postgres.Options<Record<string, never>>;

const common = {
  ...CONNECTION_OPTIONS,
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

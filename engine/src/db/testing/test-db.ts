import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import postgres from 'postgres';
import { inject } from 'vitest';
import { CONNECTION_OPTIONS, type Database } from '../client.js';

let counter = 0;

/** A fresh, migrated database of its own for one test file: real PostgreSQL or PGlite. */
export async function createTestDatabase(): Promise<Database> {
  const testDb = inject('testDb');
  if (testDb.kind === 'postgres') {
    const name = `pmshub_t_${process.pid}_${Date.now()}_${counter++}`;
    const admin = postgres(testDb.url, { ...CONNECTION_OPTIONS, max: 1 });
    await admin.unsafe(`create database ${name} template ${testDb.template}`);
    const url = new URL(testDb.url);
    url.pathname = `/${name}`;
    const sql = postgres(url.toString(), { ...CONNECTION_OPTIONS, max: 10 });
    return {
      sql,
      kind: 'postgres',
      url: url.toString(),
      async close() {
        await sql.end({ timeout: 5 });
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const db = await PGlite.create({ loadDataDir: new Blob([fs.readFileSync(testDb.snapshot)]) });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  const sql = postgres({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 1, ...CONNECTION_OPTIONS });
  return {
    sql,
    kind: 'embedded',
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      await sql.end({ timeout: 5 });
      await server.stop();
      await db.close();
    },
  };
}

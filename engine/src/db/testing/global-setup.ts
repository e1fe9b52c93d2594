import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import postgres from 'postgres';
import { CONNECTION_OPTIONS } from '../client.js';
import type { TestProject } from 'vitest/node';
import { migrate } from '../migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: { kind: 'postgres'; url: string; template: string } | { kind: 'embedded'; snapshot: string };
  }
}

/**
 * Prepares one migrated database for the whole run; each test file then gets its own copy
 * (see test-db.ts): `CREATE DATABASE … TEMPLATE` on PostgreSQL, a loaded data-dir snapshot on PGlite.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const template = `pmshub_tpl_${process.pid}_${Date.now()}`;
    const admin = postgres(url, { ...CONNECTION_OPTIONS, max: 1 });
    await admin.unsafe(`create database ${template}`);
    const tplUrl = new URL(url);
    tplUrl.pathname = `/${template}`;
    const tpl = postgres(tplUrl.toString(), { ...CONNECTION_OPTIONS, max: 1 });
    await migrate(tpl);
    await tpl.end();
    project.provide('testDb', { kind: 'postgres', url, template });
    return async () => {
      await admin.unsafe(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }

  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  const sql = postgres({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 1, ...CONNECTION_OPTIONS });
  await migrate(sql);
  await sql.end();
  await server.stop();
  const dump = await db.dumpDataDir('none');
  await db.close();
  const snapshot = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pmshub-test-')), 'snapshot.tar');
  fs.writeFileSync(snapshot, Buffer.from(await dump.arrayBuffer()));
  project.provide('testDb', { kind: 'embedded', snapshot });
  return () => fs.rmSync(path.dirname(snapshot), { recursive: true, force: true });
}

import { loadEnv } from '../env.js';
import { openDatabase } from './client.js';
import { migrate } from './migrate.js';

const env = loadEnv();
const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
try {
  const applied = await migrate(db.sql);
  console.log(applied.length ? `Applied ${applied.map((m) => `${m.version} ${m.name}`).join(', ')}` : 'Database is up to date.');
} finally {
  await db.close();
}

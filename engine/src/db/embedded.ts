import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** An embedded PostgreSQL (PGlite) reachable over the wire protocol on 127.0.0.1. */
export interface EmbeddedServer {
  port: number;
  /** True when another process owns the data directory and we connect to its socket. */
  shared: boolean;
  stop(): Promise<void>;
}

interface LockInfo {
  pid: number;
  port: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Starts PGlite on `dataDir` behind a socket server, or joins the one a running engine already owns.
 * PGlite does not lock its data directory, so we do: `engine.lock` holds the owner's pid and port.
 */
export async function startEmbeddedServer(dataDir: string): Promise<EmbeddedServer> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'engine.lock');

  if (fs.existsSync(lockPath)) {
    const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockInfo;
    if (isAlive(lock.pid) && (await canConnect(lock.port))) {
      return { port: lock.port, shared: true, stop: async () => {} };
    }
    fs.rmSync(lockPath, { force: true }); // stale: its owner is gone
  }

  const fd = fs.openSync(lockPath, 'wx'); // fails if another process won the race
  try {
    const db = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    fs.writeSync(fd, JSON.stringify({ pid: process.pid, port } satisfies LockInfo));
    fs.closeSync(fd);
    return {
      port,
      shared: false,
      async stop() {
        await server.stop();
        await db.close();
        fs.rmSync(lockPath, { force: true });
      },
    };
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(lockPath, { force: true });
    throw err;
  }
}

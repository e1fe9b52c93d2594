import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noDelaySocket } from './client.js';

describe('noDelaySocket', () => {
  let server: net.Server;
  let port = 0;
  /** A port nothing listens on. */
  let closedPort = 0;
  beforeAll(async () => {
    server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('connects to the first host that answers, in order', async () => {
    const socket = await noDelaySocket({ host: ['127.0.0.1', '127.0.0.1'], port: [closedPort, port] });
    expect(socket.remotePort).toBe(port);
    socket.destroy();
  });

  it('fails with the last host’s error when none answers', async () => {
    await expect(noDelaySocket({ host: ['127.0.0.1'], port: [closedPort] })).rejects.toThrow(/ECONNREFUSED/);
  });
});

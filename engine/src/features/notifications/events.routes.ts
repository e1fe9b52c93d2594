import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../../app-env.js';
import { requireScope } from '../auth/auth.middleware.js';
import { errorResponses, security } from '../../lib/openapi.js';
import { refreshBus, type DataRefreshEvent } from './refresh-bus.js';

/** A comment line every 25 s keeps proxies and browsers from closing an idle stream. */
export const HEARTBEAT_MS = 25_000;

const events = createRoute({
  method: 'get',
  path: '/api/events',
  tags: ['Notifications'],
  summary: 'Server-Sent Events: data-refresh notifications after imports, Salesforce syncs and analytics runs',
  description:
    'Scope read. A text/event-stream of `event: refresh` messages whose data is JSON { kind: import|sync|analytics, runId, asOf, scope }; ' +
    'no client data is sent, so every caller gets every event. A `: heartbeat` comment is sent every 25 s. The stand-alone ' +
    "dashboard's lightning/empApi adapter listens here; inside Salesforce the same notice arrives as the PMS_Data_Refresh__e Platform Event.",
  security,
  middleware: [requireScope('read')] as const,
  responses: {
    200: {
      description: 'The event stream (stays open)',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...errorResponses,
  },
});

export const eventRoutes = new OpenAPIHono<AppEnv>().openapi(events, (c) => {
  const bus = refreshBus(c.var.deps);
  c.header('cache-control', 'no-cache, no-transform');
  c.header('x-accel-buffering', 'no'); // nginx: do not buffer the stream
  return streamSSE(c, async (stream) => {
    let seq = 0;
    const queue: DataRefreshEvent[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const finish = () => {
      done = true;
      wake?.();
    };
    const unsubscribe = bus.subscribe((event) => {
      queue.push(event);
      wake?.();
    });
    const unregister = bus.onClose(finish);
    stream.onAbort(finish);
    const heartbeat = setInterval(() => {
      queue.length === 0 && wake?.();
    }, HEARTBEAT_MS);
    try {
      await stream.write(': connected\n\n');
      while (!done && !stream.aborted) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            // Woken by an event, the heartbeat timer, abort or shutdown.
          });
          wake = null;
          if (done || stream.aborted) break;
          if (queue.length === 0) {
            await stream.write(': heartbeat\n\n');
            continue;
          }
        }
        const event = queue.shift()!;
        await stream.writeSSE({
          event: 'refresh',
          id: String(++seq),
          data: JSON.stringify(event),
        });
      }
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
      unregister();
    }
  });
});

import crypto from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { matchedRoutes } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps, AppEnv } from './app-env.js';
import { requireAuth } from './features/auth/auth.middleware.js';
import { healthRoutes } from './features/health/health.routes.js';
import { apiRoutes } from './features/api-routes.js';
import { rateLimit } from './features/rate-limit/rate-limit.js';
import { uiRoutes } from './features/ui/ui.routes.js';
import { AppError } from './lib/errors.js';

const jsonBodyLimit = bodyLimit({
  maxSize: 1024 * 1024,
  onError: () => {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is over 1 MB.');
  },
});
const calculatorBodyLimit = bodyLimit({
  maxSize: 64 * 1024 * 1024,
  onError: () => {
    throw new AppError(400, 'TOO_MANY_POINTS', 'The request is over 64 MB: a calculator takes at most 1,000,000 points per series.');
  },
});

/** Builds the HTTP app: middleware, one error model, routes. No I/O happens here. */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json(
          {
            error: {
              code: 'VALIDATION_FAILED',
              message: 'The request is invalid.',
              details: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
            },
          },
          400,
        );
      }
    },
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('deps', deps);
    c.set('requestId', c.req.header('x-request-id')?.slice(0, 64) || crypto.randomUUID());
    c.header('x-request-id', c.var.requestId);
    await next();
    const ms = performance.now() - started;
    // The handler's route pattern (not a middleware's like /api/*): bounded label cardinality.
    const route = matchedRoutes(c).filter((r) => r.method !== 'ALL').pop()?.path ?? 'unmatched';
    deps.metrics.httpDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, ms / 1000);
    if (route !== '/health' && route !== '/metrics') {
      deps.log.info(
        { event: 'request', requestId: c.var.requestId, method: c.req.method, route, path: c.req.path, status: c.res.status, ms: Math.round(ms * 10) / 10, actor: c.var.principal?.id },
        'request',
      );
    }
  });
  app.use('*', secureHeaders());
  const origins = deps.env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.length) app.use('/api/*', cors({ origin: origins, credentials: true }));
  app.use('/api/*', async (c, next) => {
    // Uploads stream to disk with their own limit; every other body is small JSON.
    if (c.req.path === '/api/imports' && c.req.method === 'POST') return next();
    // The calculators take series of up to 1,000,000 points (well under 64 MB of JSON); a larger body is
    // a series that is too long, answered as bad input without parsing it.
    if (c.req.path.startsWith('/api/analytics/')) return calculatorBodyLimit(c, next);
    return jsonBodyLimit(c, next);
  });

  app.route('/', healthRoutes);
  app.get('/metrics', async (c) => c.text(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'API key' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'PMS Intelligence Hub engine', version: deps.version, description: 'Wealth Spectrum and Salesforce data in; TWRR, XIRR, risk and compliance figures out.' },
  });
  app.get('/api/docs', swaggerUI({ url: '/api/openapi.json' }));

  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/openapi.json' || c.req.path === '/api/docs') return next();
    return requireAuth(c, next);
  });
  app.use('/api/*', rateLimit(deps.env.RATE_LIMIT_PER_MINUTE));
  for (const routes of apiRoutes) app.route('/', routes);
  app.route('/', uiRoutes(deps)); // the stand-alone dashboard at / (engine/public)

  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((err, c) => {
    if (err instanceof AppError) {
      return c.json({ error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } }, err.status);
    }
    if (err instanceof HTTPException) {
      return c.json({ error: { code: err.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'HTTP_ERROR', message: err.message || 'Request failed' } }, err.status);
    }
    deps.log.error({ event: 'error', requestId: c.var.requestId, err }, 'unhandled error');
    return c.json({ error: { code: 'INTERNAL', message: 'Something went wrong on our side; the request id identifies it in the logs.', details: { requestId: c.var.requestId } } }, 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

import fs from 'node:fs';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppDeps, AppEnv } from '../../app-env.js';
import { ROOT_DIR } from '../../env.js';

/** The command that builds the stand-alone dashboard into engine/public/build/. */
export const BUILD_UI_COMMAND = 'npx rollup -c rollup.config.mjs';

export const UI_DIRS = {
  public: path.join(ROOT_DIR, 'engine', 'public'),
  build: path.join(ROOT_DIR, 'engine', 'public', 'build'),
  slds: path.join(ROOT_DIR, 'node_modules', '@salesforce-ux', 'design-system', 'assets'),
};

/** True when the stand-alone bundle exists (engine/public/build/main.js). */
export function uiBuilt(dirs = UI_DIRS): boolean {
  return fs.existsSync(path.join(dirs.build, 'main.js'));
}

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PMS Intelligence Hub</title></head>
<body style="font-family:sans-serif;padding:2rem;max-width:40rem">
<h1>The dashboard is not built yet</h1>
<p>The engine and its API are running (<a href="/api/docs">API reference</a>). Build the stand-alone dashboard from the repository root, then reload:</p>
<pre style="background:#f3f3f3;padding:1rem">${BUILD_UI_COMMAND}</pre>
</body></html>`;

/**
 * The stand-alone dashboard: the Lightning components compiled by rollup (engine/public/build), the page
 * that loads them (engine/public/index.html: sign-in and hash routes) and SLDS assets at /assets/.
 * Everything here is public; the data behind it is the session-authenticated /api.
 */
export function uiRoutes(deps: Pick<AppDeps, 'log'>, dirs = UI_DIRS) {
  const app = new Hono<AppEnv>();
  const built = uiBuilt(dirs);
  if (!built) deps.log.warn({ event: 'ui', build: dirs.build }, `the stand-alone dashboard is not built: run "${BUILD_UI_COMMAND}" (the API works without it)`);
  let index: string | undefined; // read on first request: createApp does no I/O
  const page = (c: Context<AppEnv>) => {
    index ??= built ? fs.readFileSync(path.join(dirs.public, 'index.html'), 'utf8') : notBuiltPage;
    return c.html(index, built ? 200 : 503, { 'cache-control': 'no-cache' });
  };
  app.get('/', (c) => page(c));
  app.get('/login', (c) => page(c));
  app.get('/index.html', (c) => page(c));
  app.get('/app.css', serveStatic({ root: dirs.public, path: 'app.css' }));
  app.use('/build/*', async (c, next) => {
    await next();
    // Bundle names are stable (main.js) across builds: revalidate instead of caching for a long time.
    if (c.res.ok) c.res.headers.set('cache-control', 'no-cache');
  });
  app.use('/build/*', serveStatic({ root: dirs.build, rewriteRequestPath: (p) => p.replace(/^\/build/, '') }));
  app.use('/assets/*', serveStatic({ root: dirs.slds, rewriteRequestPath: (p) => p.replace(/^\/assets/, '') }));
  return app;
}

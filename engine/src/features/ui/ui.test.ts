import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BUILD_UI_COMMAND, uiRoutes } from './ui.routes.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-ui-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A public dir with index.html and app.css, a build dir with main.js (or not), an SLDS assets dir. */
function dirs(built: boolean) {
  const root = fs.mkdtempSync(path.join(tmp, 'd-'));
  const d = { public: path.join(root, 'public'), build: path.join(root, 'public', 'build'), slds: path.join(root, 'assets') };
  fs.mkdirSync(path.join(d.build, 'static'), { recursive: true });
  fs.mkdirSync(path.join(d.slds, 'styles'), { recursive: true });
  fs.writeFileSync(path.join(d.public, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(d.public, 'app.css'), 'body{}');
  fs.writeFileSync(path.join(d.slds, 'styles', 'slds.css'), '.slds-scope{}');
  if (built) {
    fs.writeFileSync(path.join(d.build, 'main.js'), 'export {}');
    fs.writeFileSync(path.join(d.build, 'static', 'chartjs.js'), '/* chart */');
  }
  return d;
}

describe('stand-alone dashboard routes', () => {
  it('serves the page, the bundle, the static resource and SLDS assets when built', async () => {
    const log = { warn: vi.fn() };
    const app = uiRoutes({ log } as never, dirs(true));
    const page = await app.request('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html><div id="root"></div>');
    expect((await app.request('/login')).status).toBe(200);
    const bundle = await app.request('/build/main.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.headers.get('cache-control')).toBe('no-cache');
    expect(await (await app.request('/build/static/chartjs.js')).text()).toBe('/* chart */');
    expect(await (await app.request('/assets/styles/slds.css')).text()).toBe('.slds-scope{}');
    expect((await app.request('/build/missing.js')).status).toBe(404);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('still answers without a build: a 503 page with the build command, and a warning in the log', async () => {
    const log = { warn: vi.fn() };
    const app = uiRoutes({ log } as never, dirs(false));
    const page = await app.request('/');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain(BUILD_UI_COMMAND);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(String(log.warn.mock.calls[0]![1])).toContain(BUILD_UI_COMMAND);
  });

  it('does not serve files outside its folders', async () => {
    const d = dirs(true);
    fs.writeFileSync(path.join(d.public, '..', 'secret.txt'), 'secret');
    const app = uiRoutes({ log: { warn: vi.fn() } } as never, d);
    for (const p of ['/build/%2e%2e/%2e%2e/secret.txt', '/assets/%2e%2e/secret.txt', '/assets/..%2fsecret.txt', '/build/..%2f..%2fsecret.txt']) {
      const res = await app.request(p);
      expect(await res.text(), p).not.toBe('secret');
    }
  });
});

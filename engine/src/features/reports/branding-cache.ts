import type { AppDeps } from '../../app-env.js';
import { configDir } from '../../env.js';
import { loadBranding, type Branding } from '../../reports/branding.js';

const cache = new WeakMap<object, Branding>();

/** config/branding.json (and its logo), read once per engine. */
export function brandingOf(deps: Pick<AppDeps, 'env'>): Branding {
  let b = cache.get(deps.env);
  if (!b) cache.set(deps.env, (b = loadBranding(configDir(deps.env))));
  return b;
}

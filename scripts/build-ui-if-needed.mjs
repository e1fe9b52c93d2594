// Builds the stand-alone dashboard (rollup, ~20 s) only when its output is missing or older than its sources,
// so `npm start` stays quick after the first run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const entry = path.join(root, 'engine/public/build/main.js'); // rewritten on every build (directories' mtimes are not)
const sources = ['force-app/main/default/lwc', 'force-app/main/default/staticresources', 'engine/public/src', 'engine/public/shims', 'rollup.config.mjs'];

function newest(p) {
  const full = path.join(root, p);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(full).reduce((m, name) => Math.max(m, newest(path.join(p, name))), stat.mtimeMs);
}

const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
const changed = Math.max(...sources.map(newest));
if (built && built >= changed) {
  console.log('dashboard build is up to date');
} else {
  console.log('building the dashboard (rollup, about 20 s)…');
  execFileSync(process.execPath, [path.join(root, 'node_modules/rollup/dist/bin/rollup'), '-c', 'rollup.config.mjs', '--silent'], { cwd: root, stdio: 'inherit' });
}

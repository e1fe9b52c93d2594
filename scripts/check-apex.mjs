// CI check for the Salesforce side that needs no org: every Apex class and trigger parses (prettier with
// prettier-plugin-apex, which reports syntax errors), and the Chart.js static resource is the pinned npm file.
// Run: node scripts/check-apex.mjs   (exit 1 on any failure)
import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';

const root = path.resolve(import.meta.dirname, '..');
const classesDir = path.join(root, 'force-app/main/default');
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(cls|trigger)$/.test(e.name)) files.push(p);
  }
})(classesDir);

let failed = 0;
for (const file of files) {
  try {
    await prettier.format(fs.readFileSync(file, 'utf8'), { parser: 'apex', plugins: ['prettier-plugin-apex'], filepath: file });
    console.log(`ok    ${path.relative(root, file)}`);
  } catch (e) {
    failed++;
    console.error(`FAIL  ${path.relative(root, file)}\n${String(e.message).split('\n').slice(0, 6).join('\n')}`);
  }
}
if (files.length === 0) {
  failed++;
  console.error('no Apex found under force-app/main/default');
}

const resource = path.join(root, 'force-app/main/default/staticresources/chartjs.js');
const pinned = path.join(root, 'node_modules/chart.js/dist/chart.umd.js');
if (!fs.readFileSync(resource).equals(fs.readFileSync(pinned))) {
  failed++;
  console.error('FAIL  staticresources/chartjs.js differs from node_modules/chart.js/dist/chart.umd.js: copy it again');
} else {
  console.log('ok    staticresources/chartjs.js is the pinned chart.umd.js');
}
console.log(failed ? `${failed} problem(s)` : `${files.length} Apex file(s) parse`);
process.exit(failed ? 1 : 0);

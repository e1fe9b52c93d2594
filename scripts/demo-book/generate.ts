/** CLI: `npm run demo:generate -- --out <dir> [--seed N] [--clients N] [--from yyyy-mm-dd] [--to yyyy-mm-dd]` */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoBook } from './generate-demo-book.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'demo-book' },
    seed: { type: 'string' },
    clients: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
});

const started = performance.now();
const result = await generateDemoBook({
  outDir: values.out ?? 'demo-book',
  ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
  ...(values.clients !== undefined ? { clients: Number(values.clients) } : {}),
  ...(values.from !== undefined ? { from: values.from } : {}),
  ...(values.to !== undefined ? { to: values.to } : {}),
});
const seconds = (performance.now() - started) / 1000;

const mb = (b: number): string => `${(b / 1_048_576).toFixed(1)} MB`;
console.log(`Demo book as of ${result.asOf} written to ${values.out} in ${seconds.toFixed(1)} s`);
for (const f of result.files) {
  console.log(`  ${f.kind.padEnd(22)} ${relative(process.cwd(), f.path).padEnd(48)} ${String(f.rows).padStart(9)} rows ${mb(statSync(f.path).size).padStart(9)}`);
}
console.log('Stats:');
for (const [k, v] of Object.entries(result.stats)) console.log(`  ${k.padEnd(22)} ${v.toLocaleString('en-IN')}`);

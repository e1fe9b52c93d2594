/**
 * Checks that need no configuration: no focused or skipped tests (they silently shrink the suite),
 * and no reads of process.env outside engine/src/env.ts (configuration has one reader).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.js', '*.mjs'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.includes('node_modules/'));

const problems: string[] = [];
for (const file of files) {
  if (!fs.existsSync(file)) continue;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (/\b(it|test|describe|suite)\.(only|skip)\s*\(/.test(line)) problems.push(`${file}:${i + 1}: focused or skipped test`);
    if (/\bprocess\.env\b/.test(line) && file.startsWith('engine/src/') && file !== 'engine/src/env.ts' && !file.includes('/testing/') && !file.endsWith('.test.ts')) {
      problems.push(`${file}:${i + 1}: process.env read outside engine/src/env.ts`);
    }
  });
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`lint: ${files.length} files checked, no problems`);

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Sql } from '../../db/client.js';
import { syncFeePlanConfig } from '../compliance/fee-plans.js';

const SebiCategory = z.enum(['Equity', 'Debt', 'Hybrid', 'Multi Asset']);
const Weight = z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'a weight is a decimal string between 0 and 1');

const BenchmarksFile = z.object({
  indices: z.array(z.object({ code: z.string().min(1), name: z.string().min(1), type: z.string().default('total-return') })),
  benchmarks: z.array(
    z.object({
      code: z.string().min(1),
      name: z.string().min(1),
      sebiCategory: SebiCategory.optional(),
      components: z.array(z.object({ index: z.string(), weight: Weight })).min(1),
    }),
  ),
});

const StrategiesFile = z.object({
  strategies: z.array(
    z.object({
      code: z.string().min(1),
      name: z.string().min(1),
      sebiCategory: SebiCategory,
      benchmark: z.string(),
      inceptionDate: z.iso.date().optional(),
    }),
  ),
});

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return parsed.data;
}

/**
 * Upserts indices, benchmarks (with blend weights), strategies and fee plan defaults from config/ so files can
 * reference them by code. Weights of a blend must add up to 1.
 */
export async function syncReferenceData(sql: Sql, configDir: string): Promise<void> {
  const bm = readJson(path.join(configDir, 'benchmarks.json'), BenchmarksFile);
  const st = readJson(path.join(configDir, 'strategies.json'), StrategiesFile);
  const indexCodes = new Set(bm.indices.map((i) => i.code));
  for (const b of bm.benchmarks) {
    const sum = b.components.reduce((s, c) => s + Math.round(Number(c.weight) * 1e6), 0);
    if (sum !== 1e6) throw new Error(`config/benchmarks.json: weights of ${b.code} add up to ${sum / 1e6}, not 1`);
    for (const c of b.components) if (!indexCodes.has(c.index)) throw new Error(`config/benchmarks.json: ${b.code} uses unknown index ${c.index}`);
  }
  const benchmarkCodes = new Set(bm.benchmarks.map((b) => b.code));
  for (const s of st.strategies) if (!benchmarkCodes.has(s.benchmark)) throw new Error(`config/strategies.json: ${s.code} uses unknown benchmark ${s.benchmark}`);

  await sql.begin(async (tx) => {
    for (const i of bm.indices) {
      await tx`insert into indices (code, name, index_type) values (${i.code}, ${i.name}, ${i.type})
               on conflict (code) do update set name = excluded.name, index_type = excluded.index_type`;
    }
    for (const b of bm.benchmarks) {
      const [row] = await tx<{ id: number }[]>`
        insert into benchmarks (code, name, sebi_category) values (${b.code}, ${b.name}, ${b.sebiCategory ?? null})
        on conflict (code) do update set name = excluded.name, sebi_category = excluded.sebi_category returning id`;
      await tx`delete from benchmark_components where benchmark_id = ${row!.id}`;
      for (const c of b.components) {
        await tx`insert into benchmark_components (benchmark_id, index_code, weight) values (${row!.id}, ${c.index}, ${c.weight})`;
      }
    }
    for (const s of st.strategies) {
      await tx`
        insert into strategies (code, name, sebi_category, benchmark_id, inception_date)
        values (${s.code}, ${s.name}, ${s.sebiCategory}, (select id from benchmarks where code = ${s.benchmark}), ${s.inceptionDate ?? null})
        on conflict (code) do update set name = excluded.name, sebi_category = excluded.sebi_category,
          benchmark_id = excluded.benchmark_id, inception_date = excluded.inception_date`;
    }
  });
  // config/fee-plans.json: fee plan defaults per strategy and per portfolio (features/compliance/fee-plans.ts)
  await syncFeePlanConfig(sql, configDir, new Set(st.strategies.map((s) => s.code)));
}

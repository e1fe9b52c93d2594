/** Report pack settings from config/reports.json, and the working-day schedule rule. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configDir, type Env } from '../../env.js';

const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const SettingsSchema = z.object({
  pack: z
    .object({
      enabled: z.boolean().default(true),
      /** When the job wakes (UTC); it runs only on the configured working day. */
      cron: z.string().default('30 1 * * *'),
      /** 1 = first working day of the month. */
      workingDay: z.number().int().min(1).max(23).default(5),
      holidays: z.array(IsoDay).default([]),
      concurrency: z.number().int().min(1).max(8).default(2),
      /** Attempts per client within one run (render and upload), with backoff between them. */
      maxAttempts: z.number().int().min(1).max(10).default(3),
      titleTemplate: z.string().default('Performance Report {month} – {clientName} ({clientCode})'),
      fileTemplate: z.string().regex(/\.pdf$/).default('performance-report-{clientCode}-{periodEnd}.pdf'),
    })
    .default({ enabled: true, cron: '30 1 * * *', workingDay: 5, holidays: [], concurrency: 2, maxAttempts: 3, titleTemplate: 'Performance Report {month} – {clientName} ({clientCode})', fileTemplate: 'performance-report-{clientCode}-{periodEnd}.pdf' }),
});
export type ReportSettings = z.output<typeof SettingsSchema>;

export function parseReportSettings(input: unknown, source = 'report settings'): ReportSettings {
  const { $comment: _c, ...rest } = (input ?? {}) as Record<string, unknown>;
  const parsed = SettingsSchema.safeParse(rest);
  if (!parsed.success) throw new Error(`${source} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return parsed.data;
}

/** <config dir>/reports.json (defaults when absent). */
export function loadReportSettings(env: Pick<Env, 'CONFIG_DIR'>): ReportSettings {
  const file = path.join(configDir(env), 'reports.json');
  if (!fs.existsSync(file)) return parseReportSettings({}, file);
  return parseReportSettings(JSON.parse(fs.readFileSync(file, 'utf8')), file);
}

const dayOfWeek = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The n-th working day (Mon–Fri, not a holiday) of the month of `iso`. */
export function nthWorkingDay(iso: string, n: number, holidays: readonly string[]): string {
  const hol = new Set(holidays);
  let d = `${iso.slice(0, 7)}-01`;
  let count = 0;
  for (;;) {
    const wd = dayOfWeek(d);
    if (wd !== 0 && wd !== 6 && !hol.has(d)) count++;
    if (count === n) return d;
    d = addDays(d, 1);
  }
}

/** The last calendar month-end before `iso`: 2025-12-05 → 2025-11-30. */
export function lastMonthEnd(iso: string): string {
  return addDays(`${iso.slice(0, 7)}-01`, -1);
}

/** Fills {month} {monthEnd} {periodEnd} {clientName} {clientCode} in a title or file template. */
export function fillTemplate(template: string, v: { periodEnd: string; clientName: string; clientCode: string }): string {
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const month = `${MONTHS[Number(v.periodEnd.slice(5, 7)) - 1]} ${v.periodEnd.slice(0, 4)}`;
  return template.replaceAll('{month}', month).replaceAll('{periodEnd}', v.periodEnd).replaceAll('{clientName}', v.clientName).replaceAll('{clientCode}', v.clientCode);
}

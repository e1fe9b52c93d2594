/**
 * Import kind `fee-plans`: a Wealth Spectrum fee structure export, one row per portfolio (config/import-mappings.json).
 * Rows become stored plans (fee_plans, source 'import'), replacing the portfolio's stored plan, whatever its source;
 * percentages in the file, fractions in the table. No SEBI caps here: a plan above them is stored and surfaces as a
 * compliance check (docs/methodology.md §10.6). Same file twice: every row unchanged.
 */
import type { Queryable } from '../../db/client.js';
import type { RowProblem } from '../../lib/errors.js';
import type { KindHandler } from '../imports/import-kinds.js';
import { mergeRows } from '../imports/merge-rows.js';

const PCT_FIELDS = ['management_fee_pct', 'performance_fee_pct', 'hurdle_pct', 'exit_load_y1_pct', 'exit_load_y2_pct', 'exit_load_y3_pct', 'operating_expense_pct', 'gst_pct'] as const;
/** For columns missing from the file altogether (blank cells take the mapping's defaults). */
const DEFAULTS: Record<string, string> = {
  management_fee_frequency: 'quarterly',
  performance_fee_pct: '0',
  performance_fee_frequency: 'annual',
  exit_load_y1_pct: '0',
  exit_load_y2_pct: '0',
  exit_load_y3_pct: '0',
  operating_expense_pct: '0',
  gst_pct: '18',
  period_anchor: 'financial-year',
};

const frac = (field: string) => `(s.${field}::numeric / 100)`;

export const feePlansImport: KindHandler = {
  derived: [],
  derive(r) {
    for (const [field, value] of Object.entries(DEFAULTS)) if (r[field] === undefined || r[field] === null) r[field] = value;
    for (const field of PCT_FIELDS) {
      const v = r[field];
      if (v !== undefined && v !== null && (Number(v) < 0 || Number(v) > 100)) return { field, message: 'a percentage between 0 and 100' };
    }
    if (r.hurdle_type === undefined || r.hurdle_type === null) r.hurdle_type = r.hurdle_pct && Number(r.hurdle_pct) > 0 ? 'fixed' : 'none';
    if (r.hurdle_type === 'fixed') {
      if (r.hurdle_pct === undefined || r.hurdle_pct === null) return { field: 'hurdle_pct', message: 'a fixed hurdle needs its rate' };
    } else if (r.hurdle_pct && Number(r.hurdle_pct) !== 0) {
      return { field: 'hurdle_pct', message: `a hurdle rate goes with hurdle type "fixed", not "${r.hurdle_type}"` };
    } else {
      r.hurdle_pct = null;
    }
    return undefined;
  },
  async references(tx: Queryable, stg: string): Promise<RowProblem[]> {
    const rows = await tx.unsafe<{ row_no: number; v: string }[]>(
      `select s.row_no, s.ws_account_code as v from ${stg} s
       where not exists (select 1 from portfolios p where p.portfolio_code = s.ws_account_code) order by s.row_no limit 100`,
    );
    return rows.map((r) => ({ row: r.row_no, column: null, columnName: 'ws_account_code', value: r.v, message: `unknown portfolio (account) code "${r.v}"` }));
  },
  merge: (tx, stg, runId, present) =>
    mergeRows(tx, {
      table: 'fee_plans',
      key: ['portfolio_id'],
      columns: [
        { col: 'portfolio_id', expr: 'p.id' },
        { col: 'management_fee_rate', expr: frac('management_fee_pct') },
        { col: 'management_fee_frequency', expr: 's.management_fee_frequency' },
        { col: 'performance_fee_rate', expr: frac('performance_fee_pct') },
        { col: 'performance_fee_frequency', expr: 's.performance_fee_frequency' },
        { col: 'hurdle_kind', expr: 's.hurdle_type' },
        { col: 'hurdle_rate', expr: frac('hurdle_pct') },
        { col: 'exit_load_y1', expr: frac('exit_load_y1_pct') },
        { col: 'exit_load_y2', expr: frac('exit_load_y2_pct') },
        { col: 'exit_load_y3', expr: frac('exit_load_y3_pct') },
        { col: 'operating_expense_rate', expr: frac('operating_expense_pct') },
        { col: 'gst_rate', expr: frac('gst_pct') },
        { col: 'period_anchor', expr: 's.period_anchor' },
        // a plan set through the API and then imported with the same terms becomes an imported plan (counted as updated)
        { col: 'source', expr: `'import'` },
        { col: 'updated_at', expr: 'now()', compare: false },
        { col: 'updated_by', expr: `'import:${runId}'`, compare: false },
      ],
      from: `${stg} s join portfolios p on p.portfolio_code = s.ws_account_code`,
      present,
    }),
};

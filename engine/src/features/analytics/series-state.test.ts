import { describe, expect, it } from 'vitest';
import { dailyTwrr } from '../../analytics/index.js';
import { fromDayNumber, toDayNumber } from '../../analytics/shared/iso-date.js';
import { MonthPacker, SeriesState, START, type BenchmarkDays, type MonthRow, type SeriesCheckpoint } from './series-state.js';

// A hand-made book: business days over three calendar months with a month-long gap, a corpus top-up, a full redemption
// (the next day has no return), and a benchmark with missing days.
const start = toDayNumber('2024-01-30');
const days: number[] = [];
for (let d = start; d <= toDayNumber('2024-05-10'); d++) {
  const wd = new Date(d * 86_400_000).getUTCDay();
  if (wd === 0 || wd === 6 || (d >= toDayNumber('2024-03-01') && d < toDayNumber('2024-04-01'))) continue;
  days.push(d);
}
let seed = 7;
const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.04;
const values: number[] = [];
const flows: number[] = [];
let v = 10_000_000_00;
for (const [i, d] of days.entries()) {
  let flow = 0;
  if (d === toDayNumber('2024-02-15')) flow = 2_500_000_00;
  if (d === toDayNumber('2024-04-10')) {
    flow = -v;
    v = 0;
  } else if (d === toDayNumber('2024-04-12')) flow = 5_000_000_00;
  v = i === 0 ? v : Math.round((v + flow) * (1 + rand()));
  if (d === toDayNumber('2024-04-10')) v = 0;
  values.push(v);
  flows.push(i === 0 ? v : flow);
}
const benchReturns = Float64Array.from({ length: 120 }, (_, i) => (i % 9 === 4 ? NaN : Math.sin(i) / 100));
const bench: BenchmarkDays = { first: start, r: benchReturns, lg: benchReturns.map(() => 0) };

function pack(watch: number[] = []) {
  const months: MonthRow[] = [];
  const packer = new MonthPacker('portfolio', 1, START, bench, (m) =>
    // The packer reuses its arrays: keep copies.
    months.push({ ...m, value: m.value.slice(0, m.len), flow: m.flow.slice(0, m.len) }),
  );
  const openings = packer.watch(watch);
  days.forEach((d, i) => packer.add(d, values[i]!, flows[i]!));
  packer.finish();
  return { months, final: packer.state.snapshot(), openings };
}

/** Each stored day's return (NaN: none), as a replay of its month from the checkpoint computes it. */
function returnsOf(m: MonthRow): { day: number; r: number }[] {
  const state = new SeriesState(m.c, bench);
  const out: { day: number; r: number }[] = [];
  for (let i = 0; i < m.len; i++) {
    if (Number.isNaN(m.value[i]!)) continue;
    const f = m.flow[i]!;
    out.push({ day: m.month + i, r: state.add(m.month + i, m.value[i]!, Number.isNaN(f) ? 0 : f) });
  }
  return out;
}

describe('MonthPacker and SeriesState', () => {
  it('daily returns equal dailyTwrr (flows at the start of the day) on the same values', () => {
    const { months } = pack();
    const stored = months.flatMap((m) => returnsOf(m).flatMap(({ day, r }) => (Number.isNaN(r) ? [] : [{ date: fromDayNumber(day), return: r }])));
    const pure = dailyTwrr({
      valuations: days.map((d, i) => ({ date: fromDayNumber(d), value: values[i]! / 100 })),
      flows: days.flatMap((d, i) => (flows[i] ? [{ date: fromDayNumber(d), amount: flows[i]! / 100 }] : [])),
    });
    expect(stored).toEqual(pure.subperiods);
  });

  it('packs one row per month with rows, each checkpoint the state after replaying the months before', () => {
    const { months, final } = pack();
    expect(months.map((m) => fromDayNumber(m.month))).toEqual(['2024-01-01', '2024-02-01', '2024-04-01', '2024-05-01']);
    expect(months[0]!.c).toEqual(START);
    let state: SeriesCheckpoint = START;
    for (const m of months) {
      expect(m.c).toEqual(state);
      state = new SeriesState(state, bench).replay(m).snapshot();
    }
    expect(state).toEqual(final);
    // The gap: April's checkpoint is the last February row.
    expect(fromDayNumber(months[2]!.c.date!)).toBe('2024-02-29');
    // After the full redemption the next day has no return (denominator 0) and the running count skips it.
    expect(returnsOf(months[2]!).find((x) => x.day === toDayNumber('2024-04-11'))!.r).toBeNaN();
  });

  it('watch keeps, for each day, the state after the last row on or before it', () => {
    const watched = ['2024-01-29', '2024-01-31', '2024-02-03', '2024-03-15', '2024-04-10', '2024-06-30'].map(toDayNumber);
    const { months, openings, final } = pack(watched);
    const replayTo = (day: number) => {
      const row = [...months].reverse().find((m) => m.month <= day);
      if (!row) return null;
      const s = new SeriesState(row.c, bench).replay(row, day);
      return s.date === null ? null : s.snapshot();
    };
    for (const d of watched) expect(openings.get(d), fromDayNumber(d)).toEqual(replayTo(d));
    expect(openings.get(toDayNumber('2024-01-29'))).toBeNull();
    expect(openings.get(toDayNumber('2024-06-30'))).toEqual(final);
  });

  it('counts (return, benchmark) pairs only on days both exist', () => {
    const { final } = pack();
    let pairs = 0;
    let returns = 0;
    const { months } = pack();
    for (const m of months)
      for (const { day, r } of returnsOf(m)) {
        if (Number.isNaN(r)) continue;
        returns++;
        if (!Number.isNaN(bench.r[day - bench.first]!)) pairs++;
      }
    expect([final.n, final.pn]).toEqual([returns, pairs]);
    expect(pairs).toBeLessThan(returns);
  });
});

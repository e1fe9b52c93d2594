import { AnalyticsInputError } from '../shared/analytics-error.js';
import { toDayNumber } from '../shared/iso-date.js';
import { bucketsBetween } from './reporting-bucket.js';

export interface ClientOnboarding {
  clientId: string;
  /** Date the client was onboarded (first corpus in). */
  onboardedOn: string;
}

/** New clients per calendar month ('YYYY-MM'), every month from the first to the last listed; a client counts once, in its earliest month. */
export function newClientsByMonth(clients: readonly ClientOnboarding[]): { month: string; count: number }[] {
  const earliest = new Map<string, string>();
  for (const c of clients) {
    toDayNumber(c.onboardedOn);
    const seen = earliest.get(c.clientId);
    if (seen === undefined || c.onboardedOn < seen) earliest.set(c.clientId, c.onboardedOn);
  }
  if (earliest.size === 0) return [];
  const counts = new Map<string, number>();
  const dates = [...earliest.values()].sort();
  for (const d of dates) {
    const month = d.slice(0, 7);
    counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  return bucketsBetween(dates[0] as string, dates[dates.length - 1] as string, 'month').map((b) => ({
    month: b.period,
    count: counts.get(b.period) ?? 0,
  }));
}

export interface ClientLifetime {
  clientId: string;
  onboardedOn: string;
  /** Date the client's AUM went to zero by redemption; null while invested. */
  fullyRedeemedOn: string | null;
}

export interface ChurnResult {
  from: string;
  to: string;
  /** Clients onboarded on or before `from` and not fully redeemed by then. */
  clientsAtStart: number;
  /** Of those, the clients fully redeemed in (from, to]. */
  churned: number;
  /** churned / clientsAtStart; null with no clients at start. */
  rate: number | null;
  /** Clients who joined after `from` and fully redeemed by `to` (not in the rate). */
  joinedAndLeft: number;
}

/** Client churn: clients fully redeemed in the period / clients at the start of the period. */
export function churn(clients: readonly ClientLifetime[], from: string, to: string): ChurnResult {
  const fromDay = toDayNumber(from);
  const toDay = toDayNumber(to);
  if (toDay < fromDay) throw new AnalyticsInputError(`Period ends (${to}) before it starts (${from})`);
  let clientsAtStart = 0;
  let churned = 0;
  let joinedAndLeft = 0;
  for (const c of clients) {
    const joined = toDayNumber(c.onboardedOn);
    const left = c.fullyRedeemedOn === null ? Number.POSITIVE_INFINITY : toDayNumber(c.fullyRedeemedOn);
    if (left < joined) throw new AnalyticsInputError(`Client ${c.clientId} redeemed before onboarding`);
    if (joined <= fromDay && left > fromDay) {
      clientsAtStart++;
      if (left <= toDay) churned++;
    } else if (joined > fromDay && left <= toDay) {
      joinedAndLeft++;
    }
  }
  return { from, to, clientsAtStart, churned, rate: clientsAtStart === 0 ? null : churned / clientsAtStart, joinedAndLeft };
}

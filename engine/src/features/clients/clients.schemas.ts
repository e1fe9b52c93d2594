import { z } from '@hono/zod-openapi';
import { NAMED_PERIODS } from '../../analytics/index.js';

/**
 * Every filter value has a strict format: a value that could carry SQL (quotes, semicolons, comments,
 * operators) fails validation with 400 before any query runs. Values then travel as bind parameters.
 */
const Code = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only');
const Place = z.string().regex(/^\p{L}[\p{L} .-]{0,59}$/u, 'letters, spaces, . and - only');
const Amount = z.string().regex(/^\d{1,16}(\.\d{1,2})?$/, 'a rupee amount such as 5000000 or 5000000.50');
const Ratio = z.coerce.number().min(-100).max(100);

export const SORT_COLUMNS = [
  'name',
  'clientCode',
  'aum',
  'onboardingDate',
  'rm',
  'city',
  'state',
  'status',
  'riskProfile',
  'portfolioCount',
  'return',
  'xirr',
] as const;

/** Filters shared by the clients list, the dashboards and saved views (query-string form). */
export const ClientFilterFields = {
  year: z.coerce.number().int().min(1900).max(2200).optional().openapi({ description: 'Onboarding calendar year' }),
  aumMin: Amount.optional().openapi({ description: 'Minimum AUM, ₹' }),
  aumMax: Amount.optional().openapi({ description: 'Maximum AUM, ₹' }),
  sebiCategory: z.enum(['Equity', 'Debt', 'Hybrid', 'Multi Asset']).optional().openapi({ description: 'Has a portfolio in a strategy of this SEBI category' }),
  strategy: Code.optional().openapi({ description: 'Has a portfolio in this strategy (code)' }),
  period: z.enum(NAMED_PERIODS).default('1Y').openapi({ description: 'Period of the return filter, sort and column' }),
  returnMetric: z
    .enum(['twrr', 'cagr', 'xirr'])
    .default('twrr')
    .openapi({ description: 'twrr: the SEBI figure (absolute under a year, annualised from a year); cagr: annualised TWRR (periods of a year or more); xirr' }),
  returnMin: Ratio.optional().openapi({ description: 'Minimum return for the period, a fraction (0.12 = 12%)' }),
  returnMax: Ratio.optional().openapi({ description: 'Maximum return for the period, a fraction' }),
  riskProfile: z.string().regex(/^[A-Za-z][A-Za-z -]{0,39}$/, 'letters, spaces and - only').optional(),
  rm: Code.optional().openapi({ description: 'RM code' }),
  city: Place.optional(),
  state: Place.optional(),
  status: z.enum(['Active', 'Closed']).optional(),
  q: z
    .string()
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} .&,-]{0,79}$/u, 'letters, digits, spaces and . & , - only')
    .optional()
    .openapi({ description: 'Search in name and client code; PAN when given in full (partial PAN for callers who may see it)' }),
};

export const ClientFilters = z.object(ClientFilterFields);
export type ClientFilters = z.infer<typeof ClientFilters>;

export const ClientSort = {
  sort: z.enum(SORT_COLUMNS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
};
export type ClientSortKey = (typeof SORT_COLUMNS)[number];

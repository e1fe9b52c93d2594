import { z } from '@hono/zod-openapi';
import { toDayNumber } from '../analytics/shared/iso-date.js';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'INVALID_ROWS' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const errorResponses = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: ErrorBody } } },
  401: { description: 'Missing or unknown credentials', content: { 'application/json': { schema: ErrorBody } } },
  403: { description: 'Not allowed for this caller', content: { 'application/json': { schema: ErrorBody } } },
} as const;

export const security = [{ bearerAuth: [] }];

export const Page = z.coerce.number().int().min(1).max(1_000_000).default(1).openapi({ param: { in: 'query', name: 'page' } });
export const PageSize = z.coerce.number().int().min(1).max(500).default(50).openapi({ param: { in: 'query', name: 'pageSize' } });

/** A calendar date `YYYY-MM-DD` that exists (no 31 February), as the analytics modules read dates. */
export const IsoDate = z
  .string()
  .refine((s) => {
    try {
      toDayNumber(s);
      return true;
    } catch {
      return false;
    }
  }, 'must be a calendar date YYYY-MM-DD')
  .openapi({ example: '2024-03-31' });

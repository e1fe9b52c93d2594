import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const IMPORT_KINDS = [
  'benchmark-values',
  'relationship-managers',
  'clients',
  'portfolios',
  'transactions',
  'capital-flows',
  'holdings',
  'valuations',
  'reported-performance',
  'fee-plans',
  'salesforce-users',
  'salesforce-accounts',
  'salesforce-activities',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const TRANSACTION_CLASSES = ['flow_in', 'flow_out', 'trade', 'income', 'fee', 'internal'] as const;
export type TransactionClass = (typeof TRANSACTION_CLASSES)[number];

const ColumnType = z.enum([
  'text',
  'code',
  'date',
  'amount',
  'decimal',
  'enum',
  'email',
  'pan',
  'isin',
  'salesforce-id',
  'transaction-code',
  'identity',
  'boolean',
]);
export type ColumnType = z.infer<typeof ColumnType>;

const ColumnSpec = z
  .object({
    headers: z.array(z.string().min(1)).min(1),
    type: ColumnType,
    required: z.boolean().default(false),
    values: z.array(z.string()).optional(),
    default: z.string().optional(),
    splitInto: z.tuple([z.string(), z.string()]).optional(),
  })
  .refine((c) => c.type !== 'enum' || (c.values?.length ?? 0) > 0, 'an enum column needs "values"')
  .refine((c) => c.type !== 'identity' || c.splitInto, 'an identity column needs "splitInto": [nameField, codeField]');
export type ColumnSpec = z.infer<typeof ColumnSpec>;

const KindSpec = z.object({
  order: z.number().int(),
  filePattern: z.string().transform((p, ctx) => {
    try {
      return new RegExp(p, 'i');
    } catch {
      ctx.addIssue({ code: 'custom', message: `invalid filePattern ${p}` });
      return z.NEVER;
    }
  }),
  key: z.array(z.string()).min(1),
  columns: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'field names are snake_case'), ColumnSpec),
});
export type KindSpec = z.infer<typeof KindSpec>;

const MappingSchema = z.object({
  defaults: z.object({
    dateFormats: z.array(z.string()).min(1),
    blankValues: z.array(z.string()),
    maxErrors: z.number().int().positive().default(100),
  }),
  transactionCodes: z.object({
    flow_in: z.array(z.string()),
    flow_out: z.array(z.string()),
    trade: z.array(z.string()),
    income: z.array(z.string()),
    fee: z.array(z.string()),
    internal: z.array(z.string()),
    internalWhenMemoMatches: z.array(z.object({ codes: z.array(z.string()), pattern: z.string() })).default([]),
    securitiesCodes: z.array(z.string()).default([]),
  }),
  kinds: z.object(Object.fromEntries(IMPORT_KINDS.map((k) => [k, KindSpec])) as Record<ImportKind, typeof KindSpec>),
});

export interface ImportMapping extends z.infer<typeof MappingSchema> {
  /** Upper-cased transaction code → its class. */
  codeClass: Map<string, TransactionClass>;
  internalMemoRules: { codes: Set<string>; pattern: RegExp }[];
}

/** Loads and validates `import-mappings.json`; a broken mapping stops the engine at start, not mid-import. */
export function loadImportMapping(configDir: string): ImportMapping {
  const file = path.join(configDir, 'import-mappings.json');
  const parsed = MappingSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const mapping = parsed.data;
  const codeClass = new Map<string, TransactionClass>();
  for (const cls of TRANSACTION_CLASSES) {
    for (const code of mapping.transactionCodes[cls]) {
      const upper = code.toUpperCase();
      const existing = codeClass.get(upper);
      if (existing && existing !== cls) throw new Error(`${file}: transaction code ${code} is both ${existing} and ${cls}`);
      codeClass.set(upper, cls);
    }
  }
  const internalMemoRules = mapping.transactionCodes.internalWhenMemoMatches.map((r) => ({
    codes: new Set(r.codes.map((c) => c.toUpperCase())),
    pattern: new RegExp(r.pattern, 'i'),
  }));
  return { ...mapping, codeClass, internalMemoRules };
}

/** The kind a file name announces (inbox pickup), by each kind's `filePattern`. */
export function kindForFileName(mapping: ImportMapping, fileName: string): ImportKind | undefined {
  const base = path.basename(fileName);
  return IMPORT_KINDS.find((k) => mapping.kinds[k].filePattern.test(base));
}

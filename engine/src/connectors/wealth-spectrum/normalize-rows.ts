import { ImportRejectedError, type RowProblem } from '../../lib/errors.js';
import {
  IMPORT_KINDS,
  type ColumnSpec,
  type ImportKind,
  type ImportMapping,
} from './mapping.js';
import type { Cell, RawRow } from './read-rows.js';
import {
  ValueError,
  dateParser,
  parseAmount,
  parseBoolean,
  parseEmail,
  parseIsin,
  parsePan,
  parseSalesforceId,
  splitIdentity,
} from './values.js';

export type NormalizedRecord = Record<string, string | null>;

const HEADER_SEARCH_ROWS = 20;

export function normalizeHeader(h: string): string {
  return h.toLowerCase().replace(/[^a-z0-9%]+/g, '');
}

interface BoundColumn {
  field: string;
  spec: ColumnSpec;
  index: number; // 0-based position in the row
  header: string;
}

export interface HeaderBinding {
  columns: BoundColumn[];
  /** Fields the file supplies (directly or through an identity column). */
  present: Set<string>;
  headerRow: number;
  width: number;
}

/** Matches a header row against a kind's columns; undefined when required columns are missing. */
export function bindHeader(mapping: ImportMapping, kind: ImportKind, cells: Cell[], row: number): { binding?: HeaderBinding; missing: string[] } {
  const specs = mapping.kinds[kind].columns;
  const headers = cells.map((c) => (c === null ? '' : normalizeHeader(String(c))));
  const taken = new Set<number>();
  const columns: BoundColumn[] = [];
  for (const [field, spec] of Object.entries(specs)) {
    const wanted = new Set(spec.headers.map(normalizeHeader));
    const index = headers.findIndex((h, i) => !taken.has(i) && h !== '' && wanted.has(h));
    if (index >= 0) {
      taken.add(index);
      columns.push({ field, spec, index, header: String(cells[index]) });
    }
  }
  const present = new Set<string>();
  for (const c of columns) {
    if (c.spec.type === 'identity') c.spec.splitInto!.forEach((f) => present.add(f));
    else present.add(c.field);
  }
  const missing = Object.entries(specs)
    .filter(([field, spec]) => spec.required && !present.has(field))
    .map(([field]) => field);
  if (missing.length) return { missing };
  return { binding: { columns, present, headerRow: row, width: cells.length }, missing };
}

/** A file of another kind: its required headers all match that kind (answers "wrong kind"). */
function guessKind(mapping: ImportMapping, cells: Cell[], row: number, not: ImportKind): ImportKind | undefined {
  return IMPORT_KINDS.find((k) => k !== not && bindHeader(mapping, k, cells, row).binding);
}

export interface RowNormalizer {
  binding: HeaderBinding;
  normalize(raw: RawRow, problems: RowProblem[]): NormalizedRecord | undefined;
}

/**
 * Reads rows until the header is found (title rows above it are allowed) and returns a converter
 * for the data rows. Converting never throws for bad values: problems are appended with row and column.
 */
export async function bindRows(
  mapping: ImportMapping,
  kind: ImportKind,
  rows: AsyncIterator<RawRow>,
): Promise<RowNormalizer | undefined> {
  let first: { cells: Cell[]; row: number } | undefined;
  let bestMissing: string[] | undefined;
  for (let i = 0; i < HEADER_SEARCH_ROWS; i++) {
    const next = await rows.next();
    if (next.done) break;
    const { cells, row } = next.value;
    first ??= { cells, row };
    const { binding, missing } = bindHeader(mapping, kind, cells, row);
    if (binding) return makeNormalizer(mapping, kind, binding);
    if (!bestMissing || missing.length < bestMissing.length) bestMissing = missing;
  }
  if (!first) return undefined; // no rows at all
  const other = guessKind(mapping, first.cells, first.row, kind);
  if (other) {
    throw new ImportRejectedError('WRONG_KIND', `This looks like a "${other}" file, not "${kind}".`, [
      { row: first.row, column: null, columnName: null, value: null, message: `headers match the "${other}" layout` },
    ]);
  }
  const specs = mapping.kinds[kind].columns;
  const missing = bestMissing ?? [];
  throw new ImportRejectedError(
    'MISSING_COLUMNS',
    `Required column${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}.`,
    missing.map((f) => ({
      row: first.row,
      column: null,
      columnName: f,
      value: null,
      message: `no header matches ${specs[f]!.headers.map((h) => `"${h}"`).join(', ')}`,
    })),
  );
}

function cellText(c: Cell): string {
  if (c === null) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return String(c);
}

function makeNormalizer(mapping: ImportMapping, kind: ImportKind, binding: HeaderBinding): RowNormalizer {
  const required = Object.entries(mapping.kinds[kind].columns)
    .filter(([, spec]) => spec.required)
    .map(([field]) => field);
  const blanks = new Set(mapping.defaults.blankValues.map((b) => b.toLowerCase()));
  const parseDate = dateParser(mapping.defaults.dateFormats);
  const enumMaps = new Map<string, Map<string, string>>();
  for (const c of binding.columns) {
    if (c.spec.type === 'enum') enumMaps.set(c.field, new Map(c.spec.values!.map((v) => [v.toLowerCase(), v])));
  }

  const convert = (c: BoundColumn, cell: Cell): string => {
    switch (c.spec.type) {
      case 'text':
        return String(cell).trim();
      case 'code':
        return String(cell).trim().toUpperCase();
      case 'date':
        return parseDate(typeof cell === 'string' ? cell : (cell as number | Date));
      case 'amount':
      case 'decimal':
        if (cell instanceof Date) throw new ValueError('not a number');
        return parseAmount(cell as string | number);
      case 'enum': {
        const v = enumMaps.get(c.field)!.get(String(cell).trim().toLowerCase());
        if (!v) throw new ValueError(`expected one of ${c.spec.values!.join(', ')}`);
        return v;
      }
      case 'email':
        return parseEmail(String(cell));
      case 'pan':
        return parsePan(String(cell));
      case 'isin':
        return parseIsin(String(cell));
      case 'salesforce-id':
        return parseSalesforceId(String(cell));
      case 'transaction-code': {
        const code = String(cell).trim().toUpperCase();
        if (!mapping.codeClass.has(code)) throw new ValueError(`unknown transaction code "${code}"`);
        return code;
      }
      case 'identity':
        return String(cell).trim();
      case 'boolean':
        if (cell instanceof Date) throw new ValueError('not a yes/no value');
        return parseBoolean(cell as string | number);
    }
  };

  return {
    binding,
    normalize(raw, problems) {
      const out: NormalizedRecord = {};
      let ok = true;
      const problem = (c: BoundColumn | null, value: Cell, message: string) => {
        ok = false;
        problems.push({
          row: raw.row,
          column: c ? c.index + 1 : null,
          columnName: c ? c.header : null,
          value: value === null ? null : cellText(value).slice(0, 200),
          message,
        });
      };
      const extra = raw.cells.slice(binding.width).findIndex((c) => c !== null && String(c).trim() !== '');
      if (extra >= 0) {
        problem(null, null, `row has more cells (${raw.cells.length}) than the header (${binding.width})`);
      }
      for (const c of binding.columns) {
        const cell = raw.cells[c.index] ?? null;
        const blank = cell === null || (typeof cell === 'string' && blanks.has(cell.trim().toLowerCase()));
        if (c.spec.type === 'identity') {
          if (blank) continue;
          try {
            const { name, code } = splitIdentity(String(cell));
            const [nameField, codeField] = c.spec.splitInto!;
            out[nameField] ??= name;
            out[codeField] ??= code.toUpperCase();
          } catch (err) {
            problem(c, cell, (err as Error).message);
          }
          continue;
        }
        if (blank) {
          if (c.spec.default !== undefined) out[c.field] = c.spec.default;
          else if (out[c.field] === undefined) out[c.field] = null;
          continue;
        }
        try {
          out[c.field] = convert(c, cell);
        } catch (err) {
          if (!(err instanceof ValueError)) throw err;
          problem(c, cell, err.message);
        }
      }
      for (const field of required) {
        if (out[field] !== null && out[field] !== undefined) continue;
        const c = binding.columns.find((b) => b.field === field) ?? binding.columns.find((b) => b.spec.splitInto?.includes(field));
        const reported = problems.some((p) => p.row === raw.row && c !== undefined && p.column === c.index + 1);
        if (!reported) problem(c ?? null, c ? (raw.cells[c.index] ?? null) : null, `a value is required (${field})`);
      }
      return ok ? out : undefined;
    },
  };
}

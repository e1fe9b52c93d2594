/**
 * Strict parsers for the values found in Wealth Spectrum exports. Each returns the normalised
 * value or throws a ValueError whose message is shown to the user next to the row and column.
 */
export class ValueError extends Error {}

const AMOUNT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Indian-format amount → canonical decimal string ("12,34,567.89" → "1234567.89").
 * Accepts digit grouping of any style, a leading ₹/Rs./INR, parentheses or a trailing minus for negatives.
 */
export function parseAmount(raw: string | number): string {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw new ValueError('not a finite number');
    return String(raw).includes('e') ? raw.toFixed(10).replace(/\.?0+$/, '') : String(raw);
  }
  let s = raw.trim().replace(/^(?:₹|rs\.?|inr)\s*/i, '');
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  } else if (s.endsWith('-') && s.length > 1) {
    negative = true;
    s = s.slice(0, -1).trim();
  }
  s = s.replace(/^(?:₹|rs\.?|inr)\s*/i, '').replace(/[,\s\u00a0]/g, '');
  if (!AMOUNT.test(s)) throw new ValueError('not a number');
  if (negative) {
    if (s.startsWith('-') || s.startsWith('+')) throw new ValueError('not a number');
    s = `-${s}`;
  }
  s = s.replace(/^\+/, '').replace(/^(-?)\./, '$10.').replace(/\.$/, '');
  return s;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

function iso(y: number, m: number, d: number): string | undefined {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return undefined;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function twoDigitYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? (n < 70 ? 2000 + n : 1900 + n) : n;
}

/** Excel serial date (1900 system, with Excel's phantom 29-Feb-1900) → ISO date. */
export function excelSerialToIso(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 61 || serial > 150000) return undefined;
  const ms = Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

type DateParser = (s: string) => string | undefined;

const DATE_PARSERS: Record<string, DateParser> = {
  'dd/MM/yyyy': (s) => {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    return m ? iso(+m[3]!, +m[2]!, +m[1]!) : undefined;
  },
  'dd-MM-yyyy': (s) => {
    const m = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(s);
    return m ? iso(+m[3]!, +m[2]!, +m[1]!) : undefined;
  },
  'dd.MM.yyyy': (s) => {
    const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
    return m ? iso(+m[3]!, +m[2]!, +m[1]!) : undefined;
  },
  'MM/dd/yyyy': (s) => {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    return m ? iso(+m[3]!, +m[1]!, +m[2]!) : undefined;
  },
  'dd-MMM-yyyy': (s) => {
    const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})$/.exec(s);
    const month = m && MONTHS[m[2]!.toLowerCase()];
    return m && month ? iso(twoDigitYear(m[3]!), month, +m[1]!) : undefined;
  },
  'dd MMM yyyy': (s) => {
    const m = /^(\d{1,2}) ([A-Za-z]{3}) (\d{4})$/.exec(s);
    const month = m && MONTHS[m[2]!.toLowerCase()];
    return m && month ? iso(+m[3]!, month, +m[1]!) : undefined;
  },
  'yyyy-MM-dd': (s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
    return m ? iso(+m[1]!, +m[2]!, +m[3]!) : undefined;
  },
  'excel-serial': (s) => (/^\d{5}(?:\.\d+)?$/.test(s) ? excelSerialToIso(Number(s)) : undefined),
};

export const SUPPORTED_DATE_FORMATS = Object.keys(DATE_PARSERS);

/** Builds a date parser that accepts exactly the configured formats, tried in order. */
export function dateParser(formats: string[]): (raw: string | number | Date) => string {
  const parsers = formats.map((f) => {
    const p = DATE_PARSERS[f];
    if (!p) throw new Error(`Unsupported date format "${f}"; supported: ${SUPPORTED_DATE_FORMATS.join(', ')}`);
    return p;
  });
  const acceptsSerial = formats.includes('excel-serial');
  const expected = formats.filter((f) => f !== 'excel-serial').join(', ');
  return (raw) => {
    if (raw instanceof Date) {
      // XLSX date cells arrive as UTC midnight (exceljs); keep the calendar date.
      if (Number.isNaN(raw.getTime())) throw new ValueError('not a date');
      const out = iso(raw.getUTCFullYear(), raw.getUTCMonth() + 1, raw.getUTCDate());
      if (!out) throw new ValueError('date out of range');
      return out;
    }
    if (typeof raw === 'number') {
      const out = acceptsSerial ? excelSerialToIso(raw) : undefined;
      if (!out) throw new ValueError(`not a date (expected ${expected})`);
      return out;
    }
    const s = raw.trim();
    for (const p of parsers) {
      const out = p(s);
      if (out) return out;
    }
    throw new ValueError(`not a date (expected ${expected})`);
  };
}

const PAN = /^[A-Z]{5}[0-9]{4}[A-Z]$/;
export function parsePan(raw: string): string {
  const s = raw.trim().toUpperCase();
  if (!PAN.test(s)) throw new ValueError('not a PAN (expected AAAAA9999A)');
  return s;
}

const ISIN = /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/;
export function parseIsin(raw: string): string {
  const s = raw.trim().toUpperCase();
  if (!ISIN.test(s)) throw new ValueError('not an ISIN (expected 12 characters like INE002A01018)');
  return s;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function parseEmail(raw: string): string {
  const s = raw.trim();
  if (!EMAIL.test(s)) throw new ValueError('not an email address');
  return s.toLowerCase();
}

const SF_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
export function parseSalesforceId(raw: string): string {
  const s = raw.trim();
  if (!SF_ID.test(s)) throw new ValueError('not a Salesforce Id (15 or 18 characters)');
  return s;
}

/** "NAME - CODE": the code follows the last " - " (names may themselves contain " - "). */
export function splitIdentity(raw: string): { name: string; code: string } {
  const s = raw.trim();
  const at = s.lastIndexOf(' - ');
  if (at <= 0 || at + 3 >= s.length) throw new ValueError('expected "NAME - CODE"');
  return { name: s.slice(0, at).trim(), code: s.slice(at + 3).trim() };
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);
/** Data Loader and report booleans: true/false, yes/no, 1/0 → "true" | "false". */
export function parseBoolean(raw: string | number): string {
  const s = String(raw).trim().toLowerCase();
  if (TRUE.has(s)) return 'true';
  if (FALSE.has(s)) return 'false';
  throw new ValueError('not a yes/no value (true/false, yes/no, 1/0)');
}

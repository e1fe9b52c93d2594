import fs from 'node:fs';
import { once } from 'node:events';

/** Indian digit grouping of a paise amount: 123456789 → "12,34,567.89". */
export function indianAmount(paise: bigint): string {
  const neg = paise < 0n;
  const abs = neg ? -paise : paise;
  const rupees = (abs / 100n).toString();
  const p = (abs % 100n).toString().padStart(2, '0');
  const last3 = rupees.slice(-3);
  const rest = rupees.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${rest ? `${rest},` : ''}${last3}.${p}`;
}

const SECURITIES = [
  ['Reliance Industries Ltd', 'INE002A01018'],
  ['HDFC Bank Ltd', 'INE040A01034'],
  ['Infosys Ltd', 'INE009A01021'],
  ['ICICI Bank Ltd', 'INE090A01021'],
  ['Tata Consultancy Services Ltd', 'INE467B01029'],
  ['Larsen & Toubro Ltd', 'INE018A01030'],
  ['Asian Paints Ltd', 'INE021A01026'],
  ['Bharti Airtel Ltd', 'INE397D01024'],
] as const;
const TYPES = ['BY-', 'SL+', 'BY-', 'SL+', 'IN1', 'MGF', 'CS+', 'CS-'] as const;

export const FEED_HEADER = 'ws_account_code,trandate,set_date,tran_type,tran_desc,security_name,isin,qty,rate,net_amount,brokerage,stt,servicetax,total_trxnfee,txn_ref_no,descmemo';

export interface FeedRow {
  account: string;
  date: string; // ISO
  type: string;
  security: string | null;
  isin: string | null;
  qty: number | null;
  ratePaise: bigint | null;
  amountPaise: bigint;
  brokeragePaise: bigint | null;
  ref: string;
}

/** Deterministic rows of a realistic transaction feed (LCG, no Math.random). */
export function* feedRows(rows: number, accounts: string[], seed = 42): Generator<FeedRow> {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const start = Date.UTC(2019, 3, 1);
  for (let i = 0; i < rows; i++) {
    const type = TYPES[Math.floor(rnd() * TYPES.length)]!;
    const date = new Date(start + Math.floor(rnd() * 2400) * 86_400_000).toISOString().slice(0, 10);
    const trade = type === 'BY-' || type === 'SL+' || type === 'IN1';
    const [security, isin] = trade ? SECURITIES[Math.floor(rnd() * SECURITIES.length)]! : [null, null];
    const qty = trade ? 10 + Math.floor(rnd() * 5000) : null;
    const ratePaise = trade ? BigInt(10000 + Math.floor(rnd() * 400000)) : null;
    const amountPaise = trade ? BigInt(qty!) * ratePaise! : BigInt(100000 + Math.floor(rnd() * 1e9));
    yield {
      account: accounts[i % accounts.length]!,
      date,
      type,
      security,
      isin,
      qty,
      ratePaise,
      amountPaise,
      brokeragePaise: trade ? amountPaise / 400n : null,
      ref: `TX${String(i + 1).padStart(9, '0')}`,
    };
  }
}

const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const q = (s: string) => `"${s}"`;

export function feedLine(r: FeedRow): string {
  const dash = '-';
  return [
    r.account, ddmmyyyy(r.date), ddmmyyyy(r.date), r.type, r.type === 'BY-' ? 'Purchase' : r.type === 'SL+' ? 'Sale' : 'Cash',
    r.security ?? dash, r.isin ?? dash, r.qty === null ? dash : q(r.qty.toLocaleString('en-IN')),
    r.ratePaise === null ? dash : indianAmount(r.ratePaise).replace(/,/g, ''), q(indianAmount(r.amountPaise)),
    r.brokeragePaise === null ? dash : q(indianAmount(r.brokeragePaise)), dash, dash, dash, r.ref, dash,
  ].join(',');
}

/** Writes a Wealth Spectrum transaction feed CSV of `rows` rows; returns its size in bytes. */
export async function writeTransactionFeed(file: string, rows: number, accounts: string[], seed = 42): Promise<number> {
  const out = fs.createWriteStream(file);
  out.write(`${FEED_HEADER}\n`);
  let batch: string[] = [];
  for (const r of feedRows(rows, accounts, seed)) {
    batch.push(feedLine(r));
    if (batch.length === 5000) {
      if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
      batch = [];
    }
  }
  if (batch.length) out.write(`${batch.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  return fs.statSync(file).size;
}

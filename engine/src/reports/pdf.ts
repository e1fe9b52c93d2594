/**
 * pdfmake 0.3 set up once for the process (it is a singleton): Roboto from pdfmake's own TTFs (they carry ₹ U+20B9)
 * by absolute path, no URL or other local file access, one table layout, and the report frame
 * every report shares: a branded header from page 2, the compliance footer on every page (disclaimer, "Page x of y",
 * generation time).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import pdfmake, { type Content, type TDocumentDefinitions } from 'pdfmake';
import type { Branding } from './branding.js';
import { logoPng } from './charts.js';
import { formatTimestampIst } from './format.js';

const require = createRequire(import.meta.url);
/** Roboto TTFs shipped with pdfmake (the same fonts as build/vfs_fonts.js): used by pdfmake and by the chart canvas. */
export const ROBOTO_DIR = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
export const ROBOTO_FILES = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
} as const;

/**
 * pdfkit shapes every word with fontkit (OpenType lookups) and caches the result per document only, so a pack of
 * reports re-shapes the same words for every PDF — half of a report's render time. The word cache is shared across
 * documents here (keyed by font and text; a run holds glyph ids and scaled advances, the same for every document
 * using the same font file) and bounded so memory stays flat over a pack.
 */
const SHARED_LAYOUT_LIMIT = 50_000;
function shareWordLayouts() {
  const pdfkitRequire = createRequire(require.resolve('pdfmake'));
  const PDFDocument = pdfkitRequire('pdfkit') as new (o?: object) => { font(src: string): { _font: object } };
  const probe = new PDFDocument({ autoFirstPage: false }).font(path.join(ROBOTO_DIR, ROBOTO_FILES.normal));
  const proto = Object.getPrototypeOf(probe._font) as { layoutCached?: (text: string) => unknown; layoutRun?: unknown };
  if (typeof proto.layoutCached !== 'function' || typeof proto.layoutRun !== 'function') return; // pdfkit changed: keep its own cache
  const shared = new Map<string, unknown>();
  type Run = { glyphs: { id: number; advanceWidth: number; codePoints: number[] }[]; positions: unknown[]; advanceWidth: number };
  proto.layoutCached = function (this: { font: { postscriptName: string }; layoutRun(text: string): Run }, text: string) {
    const key = `${this.font.postscriptName}\u0000${text}`;
    let run = shared.get(key) as Run | undefined;
    if (run === undefined) {
      const r = this.layoutRun(text);
      // Keep only what pdfkit reads from a glyph (id, advance, code points): a fontkit glyph holds its document's font.
      run = { glyphs: r.glyphs.map((g) => ({ id: g.id, advanceWidth: g.advanceWidth, codePoints: g.codePoints })), positions: r.positions, advanceWidth: r.advanceWidth };
      if (shared.size >= SHARED_LAYOUT_LIMIT) shared.clear();
      shared.set(key, run);
    }
    return run;
  };
}

let ready = false;
function setUp() {
  if (ready) return;
  shareWordLayouts();
  // Absolute paths (not pdfmake's virtual file system): the SVG logo's text asks PDFKit for the same font files.
  const file = (f: string) => path.join(ROBOTO_DIR, f);
  pdfmake.setFonts({ Roboto: { normal: file(ROBOTO_FILES.normal), bold: file(ROBOTO_FILES.bold), italics: file(ROBOTO_FILES.italics), bolditalics: file(ROBOTO_FILES.bolditalics) } });
  // Reports are built from our own data: no document may fetch a URL or read a file other than the fonts.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p) => path.dirname(path.resolve(p)) === ROBOTO_DIR);
  pdfmake.addTableLayouts({
    report: {
      hLineWidth: (i: number, node: { table: { body: unknown[]; headerRows?: number } }) =>
        i === 0 || i === node.table.body.length || i < (node.table.headerRows ?? 0) ? 0 : i === (node.table.headerRows ?? 0) ? 0.8 : 0.4,
      vLineWidth: () => 0,
      hLineColor: (i: number, node: { table: { headerRows?: number } }) => (i === (node.table.headerRows ?? 0) ? '#0b3d63' : '#d5dde5'),
      paddingLeft: () => 4,
      paddingRight: () => 4,
      paddingTop: () => 3,
      paddingBottom: () => 3,
      fillColor: (row: number, node: { table: { headerRows?: number } }) => (row >= (node.table.headerRows ?? 0) && row % 2 === 0 ? '#f6f8fa' : null),
    },
  });
  ready = true;
}

/** Renders a document definition to PDF bytes. */
export async function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  setUp();
  return pdfmake.createPdf(doc).getBuffer();
}

export interface FrameOptions {
  branding: Branding;
  title: string;
  /** Shown in the running header from page 2, e.g. the client's name. */
  subject: string;
  generatedAt: Date;
  landscape?: boolean;
}

/** The shared look: page size and margins, header, compliance footer, styles. */
export function reportFrame(o: FrameOptions, content: Content[]): TDocumentDefinitions {
  const c = o.branding.colours;
  const generated = formatTimestampIst(o.generatedAt);
  return {
    pageSize: 'A4',
    pageOrientation: o.landscape ? 'landscape' : 'portrait',
    pageMargins: [40, 56, 40, 78],
    images: { logo: logoPng(o.branding.logoSvg) },
    info: { title: `${o.title} — ${o.subject}`, author: o.branding.firmName, subject: o.title, creator: 'PMS Intelligence Hub' },
    header: (page: number, _count: number, size: { width: number }) =>
      page === 1
        ? null
        : {
            margin: [40, 18, 40, 0],
            stack: [
              {
                columns: [
                  { image: 'logo', width: 78 },
                  { text: [{ text: o.title, bold: true, color: c.primary }, { text: `   ${o.subject}`, color: c.muted }], fontSize: 8.5, alignment: 'right', margin: [0, 7, 0, 0] },
                ],
              },
              { canvas: [{ type: 'line', x1: 0, y1: 4, x2: size.width - 80, y2: 4, lineWidth: 0.6, lineColor: c.accent }] },
            ],
          },
    footer: (page: number, count: number, size: { width: number }) => ({
      margin: [40, 6, 40, 0],
      stack: [
        { canvas: [{ type: 'line', x1: 0, y1: 0, x2: size.width - 80, y2: 0, lineWidth: 0.4, lineColor: c.rule }] },
        { text: o.branding.disclaimer, fontSize: 6.2, color: c.muted, margin: [0, 4, 0, 3], lineHeight: 1.1 },
        {
          columns: [
            { text: `${o.branding.firmName} · SEBI Reg. No. ${o.branding.sebiRegistration}`, fontSize: 6.8, color: c.muted, width: '*' },
            { text: `Generated ${generated}`, fontSize: 6.8, color: c.muted, width: 'auto', margin: [0, 0, 16, 0] },
            { text: `Page ${page} of ${count}`, fontSize: 6.8, color: c.text, bold: true, alignment: 'right', width: 'auto' },
          ],
        },
      ],
    }),
    defaultStyle: { font: 'Roboto', fontSize: 8.5, color: c.text, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 20, bold: true, color: c.primary },
      h2: { fontSize: 12.5, bold: true, color: c.primary, margin: [0, 14, 0, 6] },
      h3: { fontSize: 9.5, bold: true, color: c.primary, margin: [0, 8, 0, 4] },
      th: { bold: true, color: c.primary, fontSize: 7.8 },
      small: { fontSize: 7.2, color: c.muted },
      note: { fontSize: 7.5, color: c.muted, italics: true },
      tileLabel: { fontSize: 7.2, color: c.muted },
      tileValue: { fontSize: 13, bold: true, color: c.primary },
    },
    content,
  };
}

/** A section heading (keep it with what follows: a table title, or an unbreakable stack with a chart). */
export function heading(text: string, style: 'h2' | 'h3' = 'h2'): Content {
  return { text, style, headlineLevel: 1 };
}

export interface Column<T> {
  header: string;
  width?: number | string;
  align?: 'left' | 'right' | 'center';
  cell: (row: T) => string | Content;
}

/** A table that breaks across pages with its header row repeated (headerRows: 1). */
export function dataTable<T>(columns: Column<T>[], rows: T[], opts: { empty?: string; fontSize?: number; title?: string; titleStyle?: 'h2' | 'h3' } = {}): Content {
  if (rows.length === 0) {
    const empty = { text: opts.empty ?? 'None in this period.', style: 'note', margin: [0, 2, 0, 6] };
    return opts.title ? { stack: [{ text: opts.title, style: opts.titleStyle ?? 'h3' }, empty], unbreakable: true } : empty;
  }
  const header = columns.map((c) => ({ text: c.header, style: 'th', alignment: c.align ?? 'left' }));
  if (opts.title) {
    // The title is a header row: it never ends a page alone and repeats above the table's continuation.
    const title = [{ text: opts.title, style: opts.titleStyle ?? 'h3', colSpan: columns.length, margin: [-4, 0, 0, 0], border: [false, false, false, false] }, ...columns.slice(1).map(() => '')];
    const body = rows.map((r) => columns.map((c) => {
      const v = c.cell(r);
      return typeof v === 'string' ? { text: v, alignment: c.align ?? 'left' } : v;
    }));
    return {
      table: { headerRows: 2, keepWithHeaderRows: 1, dontBreakRows: true, widths: columns.map((c) => c.width ?? '*'), body: [title, header, ...body] },
      layout: 'report',
      fontSize: opts.fontSize ?? 8,
      margin: [0, 0, 0, 8],
    };
  }
  const body = rows.map((r) =>
    columns.map((c) => {
      const v = c.cell(r);
      return typeof v === 'string' ? { text: v, alignment: c.align ?? 'left' } : v;
    }),
  );
  return {
    table: { headerRows: 1, dontBreakRows: true, widths: columns.map((c) => c.width ?? '*'), body: [header, ...body] },
    layout: 'report',
    fontSize: opts.fontSize ?? 8,
    margin: [0, 0, 0, 8],
  };
}

/** Key figures as tiles in a row. */
export function tiles(items: { label: string; value: string; sub?: string; colour?: string }[], branding: Branding): Content {
  return {
    table: {
      widths: items.map(() => '*'),
      body: [
        items.map((t) => ({
          stack: [
            { text: t.label, style: 'tileLabel' },
            { text: t.value, style: 'tileValue', color: t.colour ?? branding.colours.primary, margin: [0, 2, 0, 1] },
            ...(t.sub ? [{ text: t.sub, style: 'small' }] : []),
          ],
          fillColor: branding.colours.band,
          margin: [6, 6, 6, 6],
        })),
      ],
    },
    layout: { hLineWidth: () => 0, vLineWidth: (i: number) => (i > 0 && i < items.length ? 3 : 0), vLineColor: () => '#ffffff' },
    margin: [0, 0, 0, 8],
  };
}

/** The cover block shared by every report: logo, title, subject lines, as-of date. */
export function cover(branding: Branding, title: string, lines: { label: string; value: string }[], width = 515): Content[] {
  const c = branding.colours;
  return [
    {
      columns: [
        { image: 'logo', width: 150 },
        { stack: [{ text: branding.firmName, bold: true, color: c.primary, fontSize: 9 }, { text: `SEBI Reg. No. ${branding.sebiRegistration}`, style: 'small' }, { text: branding.address, style: 'small' }, { text: branding.contact, style: 'small' }], alignment: 'right' },
      ],
    },
    { canvas: [{ type: 'rect', x: 0, y: 10, w: width, h: 3, color: c.accent }], margin: [0, 0, 0, 14] },
    { text: title, style: 'h1', margin: [0, 4, 0, 8] },
    {
      table: { widths: [110, '*'], body: lines.map((l) => [{ text: l.label, color: c.muted }, { text: l.value, bold: true }]) },
      layout: 'noBorders',
      fontSize: 9.5,
      margin: [0, 0, 0, 10],
    },
  ];
}

/**
 * Server-side charts: Chart.js 4 drawing on @napi-rs/canvas, PNG out (as data URLs for pdfmake). Roboto is registered
 * with the canvas explicitly and every chart paints a white background (a canvas is transparent otherwise).
 */
import path from 'node:path';
import { createCanvas, GlobalFonts, Image } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import type { Branding } from './branding.js';
import { ROBOTO_DIR, ROBOTO_FILES } from './pdf.js';

let ready = false;
function setUp() {
  if (ready) return;
  Chart.register(...registerables);
  GlobalFonts.registerFromPath(path.join(ROBOTO_DIR, ROBOTO_FILES.normal), 'Roboto');
  Chart.defaults.font.family = 'Roboto';
  Chart.defaults.font.size = 11;
  Chart.defaults.color = '#5b6b7a';
  ready = true;
}

const background: Plugin = {
  id: 'background',
  beforeDraw: (chart) => {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** Renders one chart to a PNG data URL (width × height pixels, drawn at 1:1). */
export function renderChart(config: ChartConfiguration, width: number, height: number): string {
  setUp();
  const canvas = createCanvas(width, height);
  const chart = new Chart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, {
    ...config,
    options: { ...config.options, responsive: false, animation: false, devicePixelRatio: 1 },
    plugins: [...(config.plugins ?? []), background],
  } as ChartConfiguration);
  try {
    return `data:image/jpeg;base64,${canvas.toBuffer('image/jpeg', 92).toString('base64')}`;
  } finally {
    chart.destroy();
  }
}

/** Keeps at most `max` points, always the first and the last (charts need shape, not every day). */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}

const monthLabel = (iso: string) => `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(iso.slice(5, 7)) - 1]} ${iso.slice(2, 4)}`;

const timeAxis = { ticks: { maxTicksLimit: 9, maxRotation: 0, autoSkip: true }, grid: { display: false } };

/** Growth of ₹100: portfolio vs benchmark. */
export function growthChart(points: { date: string; portfolio: number; benchmark: number | null }[], b: Branding, benchmarkLabel: string): string {
  const p = thin(points, 200);
  return renderChart(
    {
      type: 'line',
      data: {
        labels: p.map((x) => monthLabel(x.date)),
        datasets: [
          { label: 'Portfolio (growth of ₹100, TWRR)', data: p.map((x) => x.portfolio), borderColor: b.colours.primary, backgroundColor: b.colours.primary, borderWidth: 2.5, pointRadius: 0, tension: 0 },
          { label: benchmarkLabel, data: p.map((x) => x.benchmark), borderColor: b.colours.accent, backgroundColor: b.colours.accent, borderWidth: 2, pointRadius: 0, borderDash: [6, 4], tension: 0, spanGaps: true },
        ],
      },
      options: {
        plugins: { legend: { position: 'top', align: 'start', labels: { boxWidth: 22, boxHeight: 2 } } },
        scales: { x: timeAxis, y: { ticks: { callback: (v) => `₹${Number(v).toFixed(0)}` }, grid: { color: '#e6ebf0' } } },
      },
    },
    800,
    320,
  );
}

/** Drawdown from the running peak (negative fractions), portfolio and benchmark. */
export function drawdownChart(points: { date: string; portfolio: number; benchmark: number | null }[], b: Branding, benchmarkLabel: string): string {
  const p = thin(points, 200);
  return renderChart(
    {
      type: 'line',
      data: {
        labels: p.map((x) => monthLabel(x.date)),
        datasets: [
          { label: 'Portfolio drawdown', data: p.map((x) => x.portfolio * 100), borderColor: b.colours.negative, backgroundColor: 'rgba(180,35,24,0.18)', fill: 'origin', borderWidth: 1.5, pointRadius: 0 },
          { label: `${benchmarkLabel} drawdown`, data: p.map((x) => (x.benchmark === null ? null : x.benchmark * 100)), borderColor: b.colours.benchmark, borderWidth: 1.5, borderDash: [5, 4], pointRadius: 0, spanGaps: true },
        ],
      },
      options: {
        plugins: { legend: { position: 'top', align: 'start', labels: { boxWidth: 22, boxHeight: 2 } } },
        scales: { x: timeAxis, y: { max: 0, ticks: { callback: (v) => `${Number(v).toFixed(0)}%` }, grid: { color: '#e6ebf0' } } },
      },
    },
    800,
    230,
  );
}

/** Horizontal bars of weights (fractions) by group, e.g. asset class or sector. */
export function allocationChart(groups: { name: string; weight: number }[], b: Branding): string {
  const g = groups.slice(0, 10);
  return renderChart(
    {
      type: 'bar',
      data: {
        labels: g.map((x) => x.name),
        datasets: [{ data: g.map((x) => x.weight * 100), backgroundColor: g.map((_, i) => b.colours.palette[i % b.colours.palette.length]!), borderWidth: 0, barPercentage: 0.75 }],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { callback: (v) => `${Number(v).toFixed(0)}%` }, grid: { color: '#e6ebf0' } }, y: { grid: { display: false } } },
      },
    },
    420,
    Math.max(120, 34 + g.length * 25),
  );
}

/** AUM at each bucket end as bars (₹ crore on the axis). */
export function aumChart(points: { label: string; aum: string }[], b: Branding): string {
  return renderChart(
    {
      type: 'bar',
      data: {
        labels: points.map((p) => monthLabel(p.label)),
        datasets: [{ label: 'AUM (₹ crore)', data: points.map((p) => Number(p.aum) / 1e7), backgroundColor: b.colours.primary, borderWidth: 0, barPercentage: 0.8 }],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: { x: { ...timeAxis, ticks: { maxTicksLimit: 12, maxRotation: 0 } }, y: { beginAtZero: true, ticks: { callback: (v) => `₹${Number(v).toLocaleString('en-IN')} Cr` }, grid: { color: '#e6ebf0' } } },
      },
    },
    800,
    250,
  );
}

const logoCache = new Map<string, string>();
/**
 * The SVG logo rasterised once (PNG data URL, `scale`× its own size) with the registered Roboto: a PDF then embeds one
 * image for every page's header instead of parsing and drawing the SVG on each page.
 */
export function logoPng(svg: string, scale = 4): string {
  const hit = logoCache.get(svg);
  if (hit) return hit;
  setUp();
  const img = new Image();
  img.src = Buffer.from(svg);
  const canvas = createCanvas(Math.round(img.width * scale), Math.round(img.height * scale));
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const url = `data:image/png;base64,${canvas.toBuffer('image/png').toString('base64')}`;
  logoCache.set(svg, url);
  return url;
}

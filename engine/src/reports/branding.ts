import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const Hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #0b3d63');

const BrandingSchema = z.object({
  firmName: z.string().min(1),
  shortName: z.string().min(1),
  sebiRegistration: z.string().regex(/^INP\d{9}$/, 'a SEBI PMS registration number such as INP000001234'),
  address: z.string().default(''),
  contact: z.string().default(''),
  /** An SVG file next to branding.json. */
  logo: z.string().regex(/^[\w.-]+\.svg$/, 'an .svg file name in the config folder'),
  colours: z.object({
    primary: Hex,
    accent: Hex,
    text: Hex,
    muted: Hex,
    rule: Hex,
    band: Hex,
    positive: Hex,
    negative: Hex,
    benchmark: Hex,
    palette: z.array(Hex).min(3),
  }),
  disclaimer: z.string().min(1),
  methodology: z.array(z.string()).min(1),
});

export type Branding = z.output<typeof BrandingSchema> & { logoSvg: string };

/** Reads and validates `<configDir>/branding.json` and its logo; throws with every problem listed. */
export function loadBranding(configDir: string): Branding {
  const file = path.join(configDir, 'branding.json');
  const { $comment: _c, ...raw } = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const parsed = BrandingSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  const logoSvg = fs.readFileSync(path.join(configDir, parsed.data.logo), 'utf8');
  return { ...parsed.data, logoSvg };
}

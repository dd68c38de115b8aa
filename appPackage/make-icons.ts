/**
 * Draws Keepsafe's two Teams icons: a shield with a keyhole. Teams wants color.png at 192x192 in
 * full colour and outline.png at 32x32 in white on transparent. Run it after changing the shape:
 *   node --import tsx appPackage/make-icons.ts
 * and commit the PNGs it writes next to the manifest template.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { encodePng, type RgbaImage } from "./png.js";

const BRAND = [0x0b, 0x5f, 0x6b] as const; // deep teal; also the manifest's accentColor
export const ACCENT_COLOR = "#0B5F6B";

/** Inside the shield, in unit coordinates (0..1 both ways, y down). */
function inShield(x: number, y: number): boolean {
  const half = 0.34;
  const dx = Math.abs(x - 0.5);
  if (dx > half) return false;
  // The top edge dips gently towards the middle, like a heater shield.
  const top = 0.14 + 0.05 * (1 - (dx / half) ** 2);
  if (y < top) return false;
  if (y <= 0.52) return true;
  // Below the shoulders the sides curve in to a point at the bottom.
  const t = (y - 0.52) / (0.9 - 0.52);
  return t <= 1 && dx <= half * Math.sqrt(1 - t * t);
}

/** The keyhole: a round head over a tapering slot. */
function inKeyhole(x: number, y: number): boolean {
  const [cx, cy, r] = [0.5, 0.42, 0.085];
  if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) return true;
  if (y < cy || y > 0.68) return false;
  const half = 0.035 + ((y - cy) / (0.68 - cy)) * 0.035;
  return Math.abs(x - cx) <= half;
}

/** Samples each pixel 4x4 times so the edges are smooth at 32 pixels. */
function draw(size: number, colourAt: (x: number, y: number) => [number, number, number, number]): RgbaImage {
  const data = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [r, g, b, a] = colourAt((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          acc[0] += r * a;
          acc[1] += g * a;
          acc[2] += b * a;
          acc[3] += a;
        }
      }
      const i = (py * size + px) * 4;
      const alpha = acc[3] / (n * n);
      // Colour is averaged over the covered samples only, so edges fade in alpha, not to black.
      for (let c = 0; c < 3; c++) data[i + c] = acc[3] ? Math.round(acc[c] / acc[3]) : 0;
      data[i + 3] = Math.round(alpha);
    }
  }
  return { width: size, height: size, data };
}

const WHITE: [number, number, number, number] = [255, 255, 255, 255];
const CLEAR: [number, number, number, number] = [0, 0, 0, 0];
const BRAND_SOLID: [number, number, number, number] = [...BRAND, 255];

/** Full colour: a white shield on the brand colour, with the keyhole cut through in brand colour. */
export const colorIcon = () => draw(192, (x, y) => (inShield(x, y) && !inKeyhole(x, y) ? WHITE : BRAND_SOLID));

/** Outline: the white shield on transparency, keyhole cut out, as Teams' monochrome icon. */
export const outlineIcon = () => draw(32, (x, y) => (inShield(x, y) && !inKeyhole(x, y) ? WHITE : CLEAR));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  writeFileSync(path.join(dir, "color.png"), encodePng(colorIcon()));
  writeFileSync(path.join(dir, "outline.png"), encodePng(outlineIcon()));
  console.log(`wrote ${path.join(dir, "color.png")} and outline.png`);
}

/**
 * The body map: front and back outlines of a child, with numbered marks where an injury was seen
 * (domain.md, "Recording an incident", step 6). A mark's position is a fraction of its outline's
 * box (0..1 across, 0..1 down), so it means the same at any size. `renderBodyMapSvg` is the one
 * drawing of it: the dialog, the tab and any export use it, so a mark is never drawn two ways.
 * Pure: no SDK, no DOM.
 */

export const BODY_SIDES = ["front", "back"] as const;
export type BodySide = (typeof BODY_SIDES)[number];

/** Shared by the dialog page (as the person types) and the server (as it checks). */
export const BODY_MAP_LIMITS = {
  maxMarks: 20,
  colourMaxLength: 40,
  shapeMaxLength: 40,
  sizeMaxLength: 40,
  noteMaxLength: 500,
} as const;

/** One mark. Its number is its place in the list (1-based), so numbers never clash or skip. */
export interface BodyMapMark {
  side: BodySide;
  x: number;
  y: number;
  colour?: string;
  shape?: string;
  size?: string;
  note?: string;
}

/** A body map as kept with a form until the concern is submitted. */
export interface BodyMap {
  marks: BodyMapMark[];
  recordedAt: string;
  recordedBy: string;
}

/** Each outline sits in a box this size; the whole drawing is two boxes side by side. */
export const OUTLINE_BOX = { width: 200, height: 400 } as const;
const LABEL_SPACE = 24;

/** A child's outline, drawn within one OUTLINE_BOX (arms slightly out, so marks on them are clear). */
export const CHILD_OUTLINE_PATH =
  "M 90 72 L 110 72 L 112 84 L 148 94 Q 158 98 160 110 L 172 210 Q 173 222 164 222 L 160 222 " +
  "L 146 120 L 140 118 L 140 220 L 138 232 L 134 370 Q 134 382 122 382 L 108 382 L 104 250 L 100 240 " +
  "L 96 250 L 92 382 L 78 382 Q 66 382 66 370 L 62 232 L 60 220 L 60 118 L 54 120 L 40 222 L 36 222 " +
  "Q 27 222 28 210 L 40 110 Q 42 98 52 94 L 88 84 Z";
export const HEAD = { cx: 100, cy: 45, r: 28 };

/** Where a side's outline starts across the drawing (front on the left, back on the right). */
export const sideOffsetX = (side: BodySide) => (side === "front" ? 0 : OUTLINE_BOX.width);

/** A mark's centre in the drawing's own units (its viewBox). */
export function markPoint(mark: Pick<BodyMapMark, "side" | "x" | "y">): { x: number; y: number } {
  return {
    x: round(sideOffsetX(mark.side) + mark.x * OUTLINE_BOX.width),
    y: round(LABEL_SPACE + mark.y * OUTLINE_BOX.height),
  };
}

/** The inverse of markPoint: a point in the drawing (from a click) as a side and fractions, if it is on an outline's box. */
export function pointToMark(x: number, y: number): Pick<BodyMapMark, "side" | "x" | "y"> | undefined {
  const inY = (y - LABEL_SPACE) / OUTLINE_BOX.height;
  if (x < 0 || x > OUTLINE_BOX.width * 2 || inY < 0 || inY > 1) return undefined;
  const side: BodySide = x < OUTLINE_BOX.width ? "front" : "back";
  const inX = (x - sideOffsetX(side)) / OUTLINE_BOX.width;
  return { side, x: clamp01(inX), y: clamp01(inY) };
}

/** A one-line description of a mark for lists and cards ("1. Front: bruise, purple, 3 cm — note"). */
export function describeMark(mark: BodyMapMark, index: number): string {
  const parts = [mark.shape, mark.colour, mark.size].filter((p): p is string => !!p && p.trim() !== "");
  const side = mark.side === "front" ? "Front" : "Back";
  const head = `${index + 1}. ${side}${parts.length ? `: ${parts.join(", ")}` : ""}`;
  return mark.note ? `${head} (${mark.note})` : head;
}

export interface RenderBodyMapOptions {
  /** The mark to draw highlighted (0-based), for the dialog's "selected" state. */
  selected?: number;
  /** An accessible title; defaults to a count of the marks. */
  title?: string;
}

/**
 * The body map as an SVG document string. Only numbers and positions come from the marks; the
 * descriptions are escaped into each mark's <title>, so nothing typed can become markup.
 */
export function renderBodyMapSvg(marks: readonly BodyMapMark[], options: RenderBodyMapOptions = {}): string {
  const width = OUTLINE_BOX.width * 2;
  const height = OUTLINE_BOX.height + LABEL_SPACE;
  const title = options.title ?? `Body map with ${marks.length} ${marks.length === 1 ? "mark" : "marks"}`;
  const outline = (side: BodySide) => {
    const dx = sideOffsetX(side);
    const label = side === "front" ? "Front" : "Back";
    // The back view shows a spine line, so the two outlines cannot be confused in a printout.
    const spine = side === "back" ? `<line x1="100" y1="88" x2="100" y2="226" stroke="#8a8886" stroke-dasharray="4 4"/>` : "";
    return (
      `<g data-side="${side}">` +
      `<text x="${dx + 100}" y="16" text-anchor="middle" font-size="14" font-family="Segoe UI, sans-serif" fill="#323130">${label}</text>` +
      `<g transform="translate(${dx} ${LABEL_SPACE})">` +
      `<rect x="0" y="0" width="${OUTLINE_BOX.width}" height="${OUTLINE_BOX.height}" fill="none" stroke="#edebe9"/>` +
      `<circle cx="${HEAD.cx}" cy="${HEAD.cy}" r="${HEAD.r}" fill="#faf9f8" stroke="#605e5c" stroke-width="2"/>` +
      `<path d="${CHILD_OUTLINE_PATH}" fill="#faf9f8" stroke="#605e5c" stroke-width="2" stroke-linejoin="round"/>` +
      spine +
      `</g></g>`
    );
  };
  const drawn = marks
    .map((mark, i) => {
      const { x, y } = markPoint(mark);
      const selected = options.selected === i;
      return (
        `<g class="mark" data-mark="${i + 1}">` +
        `<title>${escapeXml(describeMark(mark, i))}</title>` +
        `<circle cx="${x}" cy="${y}" r="10" fill="${selected ? "#c50f1f" : "#d13438"}" fill-opacity="0.85" stroke="#ffffff" stroke-width="${selected ? 3 : 1.5}"/>` +
        `<text x="${x}" y="${y + 4}" text-anchor="middle" font-size="11" font-weight="700" font-family="Segoe UI, sans-serif" fill="#ffffff">${i + 1}</text>` +
        `</g>`
      );
    })
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title>` +
    outline("front") +
    outline("back") +
    drawn +
    `</svg>`
  );
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const round = (n: number) => Math.round(n * 10) / 10;
const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

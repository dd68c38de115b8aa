import type { BodyMap } from "../domain/body-map.js";

/** One entry of an exported chronology, already in words: the renderer decides nothing. */
export interface ChronologyDocumentEntry {
  heading: string;
  lines: string[];
  actions: { heading: string; text: string }[];
  bodyMap?: BodyMap;
}

export interface ChronologyDocument {
  /** The document's title; "Chronology" unless given (a subject access pack is drawn the same way). */
  title?: string;
  schoolName: string;
  pupilLine: string;
  periodLine: string;
  /** Who exported it and when, on every page. */
  watermark: string;
  entries: ChronologyDocumentEntry[];
}

/** Turns a chronology into a PDF's bytes (src/adapters/pdf). */
export type ChronologyRenderer = (document: ChronologyDocument) => Promise<Uint8Array>;

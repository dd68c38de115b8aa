/**
 * The record-concern card's data as the service's input. Teams sends every input as a string:
 * multi-selects as "a,b,c", the date and time as the school's wall clock. Problems come back as
 * field problems so the form can be shown again with each message beside its field.
 */
import { z } from "zod";
import { fieldProblemsFrom, recordIncidentInputSchema, type RecordIncidentInput } from "../src/app/record-incident.js";
import type { FieldProblem } from "../src/domain/errors.js";
import { ValidationError } from "../src/domain/errors.js";
import { wallClockToIso } from "./school-time.js";

const text = z.preprocess((v) => (v === undefined || v === null ? "" : v), z.coerce.string());
const list = text.transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));
const optionalText = text.transform((s) => s.trim() || undefined);

/** Card data (Action.Execute's action.data, or the Action.Submit fallback's activity value). */
export const concernCardDataSchema = z.looseObject({
  submissionId: text,
  pupilId: text,
  categoryIds: list,
  subCategoryIds: list,
  occurredDate: text,
  occurredTime: text,
  session: optionalText,
  location: optionalText,
  account: text,
  alertStaffIds: list,
  alertGroupIds: list,
});

/** The inputs' values as sent, kept so a re-shown form loses nothing. */
export function cardValues(data: unknown): Record<string, string> {
  if (!data || typeof data !== "object") return {};
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === "submissionId" || k === "verb" || k === "msteams") continue;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") values[k] = String(v);
  }
  return values;
}

/** Throws a validation_failed KeepsafeError with field problems; returns the service's input otherwise. */
export function toRecordIncidentInput(
  data: unknown,
  timeZone: string,
  source: RecordIncidentInput["source"],
): RecordIncidentInput {
  const card = concernCardDataSchema.safeParse(data ?? {});
  if (!card.success) throw ValidationError(fieldProblemsFrom(card.error));
  const d = card.data;
  const problems: FieldProblem[] = [];
  const occurredAt = wallClockToIso(d.occurredDate, d.occurredTime, timeZone);
  if (!occurredAt) problems.push({ field: "occurredAt", message: "Give the date and time it happened." });
  const candidate = {
    submissionId: d.submissionId,
    pupilId: d.pupilId,
    categoryIds: d.categoryIds,
    subCategoryIds: d.subCategoryIds,
    occurredAt: occurredAt ?? "",
    session: d.session,
    location: d.location,
    account: d.account,
    alertStaffIds: d.alertStaffIds,
    alertGroupIds: d.alertGroupIds,
    source,
  };
  const parsed = recordIncidentInputSchema.safeParse(candidate);
  if (!parsed.success) {
    // The date problem is already reported in words that fit the two inputs.
    problems.push(...fieldProblemsFrom(parsed.error).filter((p) => !(p.field === "occurredAt" && !occurredAt)));
  }
  if (problems.length || !parsed.success) throw ValidationError(problems);
  return parsed.data;
}

/**
 * The "record a concern" form, in the order of the schools' paper form (domain.md, "Recording an
 * incident"). When the service finds problems the same card comes back with each message beside
 * its field and every value as the person left it, so nothing typed is lost.
 */
import type { FormOptions } from "../../src/app/views.js";
import type { FieldProblem } from "../../src/domain/errors.js";
import { LIMITS } from "../../src/domain/limits.js";
import { wallClockNow } from "../school-time.js";
import { card, heading, problem, text, type AdaptiveCard, type CardElement } from "./card-kit.js";

export const SUBMIT_CONCERN_VERB = "submitConcern";

export const RECORDING_GUIDANCE =
  "Write what you saw or heard: the main facts, the child's own words exactly, and what you did next. " +
  "Be factual and professional, with no opinion. Name other children by initials only.";

export interface RecordConcernState {
  submissionId: string;
  /** The inputs' raw values as the card sent them (multi-selects are comma-separated). */
  values?: Record<string, string>;
  errors?: FieldProblem[];
  /** The chosen pupil's name and class, so a re-shown form still shows who was picked. */
  pupilTitle?: string;
}

/** Where each service field's message is shown; service fields with no input of their own go at the top. */
const FIELD_TO_INPUT: Record<string, string> = { occurredAt: "occurredTime", subCategoryIds: "subCategoryIds" };

export function recordConcernCard(options: FormOptions, state: RecordConcernState): AdaptiveCard {
  const values = state.values ?? {};
  const errors = state.errors ?? [];
  const inputIds = new Set<string>();
  const problemsFor = (inputId: string) =>
    errors.filter((e) => (FIELD_TO_INPUT[e.field] ?? e.field) === inputId).map((e) => problem(e.message));
  const field = (input: CardElement, extra: CardElement[] = []): CardElement[] => {
    inputIds.add(String(input.id));
    const value = values[String(input.id)];
    return [value !== undefined ? { ...input, value } : input, ...problemsFor(String(input.id)), ...extra];
  };
  const now = wallClockNow(new Date(options.now), options.timeZone);

  const pupil = field({
    type: "Input.ChoiceSet",
    id: "pupilId",
    label: "Pupil",
    placeholder: "Start typing the pupil's name",
    style: "filtered",
    isRequired: true,
    errorMessage: "Choose the pupil this concern is about.",
    // Teams asks the bot for matches as the person types (application/search).
    choices: values.pupilId ? [{ title: state.pupilTitle ?? "The pupil you chose", value: values.pupilId }] : [],
    "choices.data": { type: "Data.Query", dataset: "pupils" },
  });

  const guidance = options.categories
    .filter((c) => c.guidance)
    .map((c) => text(`${c.name}: ${c.guidance}`, { size: "Small", isSubtle: true, spacing: "Small" }));
  const categories = field(
    {
      type: "Input.ChoiceSet",
      id: "categoryIds",
      label: "Categories",
      isMultiSelect: true,
      isRequired: true,
      errorMessage: "Choose at least one category.",
      choices: options.categories.map((c) => ({ title: c.name, value: c.id })),
    },
    guidance,
  );

  const subChoices = subCategoryChoices(options);
  const subCategories = subChoices.length
    ? field({
        type: "Input.ChoiceSet",
        id: "subCategoryIds",
        label: "Sub-categories (optional, for the categories chosen above)",
        isMultiSelect: true,
        choices: subChoices,
      })
    : [];

  const when: CardElement[] = [
    {
      type: "ColumnSet",
      columns: [
        { type: "Column", width: "stretch", items: field({ type: "Input.Date", id: "occurredDate", label: "Date", value: now.date, max: now.date, isRequired: true, errorMessage: "Give the date it happened." }) },
        { type: "Column", width: "stretch", items: field({ type: "Input.Time", id: "occurredTime", label: "Time", value: now.time, isRequired: true, errorMessage: "Give the time it happened." }) },
      ],
    },
  ];

  const session = field({
    type: "Input.ChoiceSet",
    id: "session",
    label: "Session",
    placeholder: "Choose a session",
    choices: options.sessions.map((s) => ({ title: s.label, value: s.id })),
  });
  const location = options.locations.length
    ? field({
        type: "Input.ChoiceSet",
        id: "location",
        label: "Location",
        placeholder: "Choose a location",
        choices: options.locations.map((l) => ({ title: l, value: l })),
      })
    : [];

  const account = [
    text("Account", { weight: "Bolder", spacing: "Medium" }),
    text(RECORDING_GUIDANCE, { size: "Small", isSubtle: true, spacing: "None" }),
    ...field({
      type: "Input.Text",
      id: "account",
      label: "What happened",
      isMultiline: true,
      maxLength: LIMITS.accountMaxLength,
      isRequired: true,
      // The renderer only checks presence; the length rule comes back from the service if broken.
      errorMessage: `Write what you saw or heard (at least ${LIMITS.accountMinLength} characters).`,
    }),
  ];

  const alertGroups = options.alertGroups.length
    ? field({
        type: "Input.ChoiceSet",
        id: "alertGroupIds",
        label: "Alert groups",
        isMultiSelect: true,
        choices: options.alertGroups.map((g) => ({ title: g.name, value: g.id })),
      })
    : [];
  const alertStaff = field(
    {
      type: "Input.ChoiceSet",
      id: "alertStaffIds",
      label: "Who to alert",
      isMultiSelect: true,
      choices: options.staff.map((s) => ({ title: `${s.name} (${s.role})`, value: s.id })),
    },
    [text("Think of confidentiality: the people you alert can alert others.", { size: "Small", isSubtle: true, spacing: "Small" })],
  );

  // Problems with no input of their own (an expired form id, say) are shown at the top.
  const unplaced = errors.filter((e) => !inputIds.has(FIELD_TO_INPUT[e.field] ?? e.field));
  const summary = errors.length
    ? [problem("Some fields need attention. Nothing has been saved yet; what you typed is kept below."), ...unplaced.map((e) => problem(e.message))]
    : [];

  const data = { submissionId: state.submissionId, verb: SUBMIT_CONCERN_VERB };
  return card(
    [
      heading("Record a concern"),
      ...summary,
      ...pupil,
      ...categories,
      ...subCategories,
      ...when,
      ...session,
      ...location,
      ...account,
      ...alertGroups,
      ...alertStaff,
    ],
    [
      {
        type: "Action.Execute",
        title: "Submit concern",
        verb: SUBMIT_CONCERN_VERB,
        style: "positive",
        data,
        // Older Teams clients without Universal Actions send the same data as a message.
        fallback: { type: "Action.Submit", title: "Submit concern", style: "positive", data },
      },
    ],
  );
}

/** One choice per sub-category id: several categories share "Other", so their names are merged. */
function subCategoryChoices(options: FormOptions): { title: string; value: string }[] {
  const byId = new Map<string, { name: string; categories: string[] }>();
  for (const c of options.categories) {
    for (const s of c.subCategories) {
      const seen = byId.get(s.id);
      if (seen) seen.categories.push(c.name);
      else byId.set(s.id, { name: s.name, categories: [c.name] });
    }
  }
  return [...byId].map(([id, s]) => ({ title: `${s.categories.join(" / ")}: ${s.name}`, value: id }));
}


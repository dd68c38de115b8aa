/**
 * The "record a concern" form, in the order of the schools' paper form (domain.md, "Recording an
 * incident"). Choosing categories and pressing "Update form for these categories" brings back the
 * same card with each chosen category's sub-categories, fields and guidance, every typed value
 * kept. When the service finds problems the card also comes back, each message beside its input.
 */
import type { FormOptions } from "../../src/app/views.js";
import type { FieldProblem } from "../../src/domain/errors.js";
import { LIMITS } from "../../src/domain/limits.js";
import type { Role } from "../../src/domain/roles.js";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { card, heading, markdownLiteral, problem, sideBySide, text, type AdaptiveCard, type CardElement } from "./card-kit.js";
import { allegationSection, categorySections, disclosureSection, followUpSection, linkedPupilsSection } from "./concern-card-sections.js";
import { FormKit, choice, hint, literalChoice } from "./concern-form-kit.js";

export const SUBMIT_CONCERN_VERB = "submitConcern";
export const REFRESH_CONCERN_VERB = "refreshConcernForm";

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
  /** Names and classes of pupils chosen in the linked-pupil rows, by pupil id. */
  pupilTitles?: Record<string, string>;
  /** The person filling it in: DSLs and deputies are not asked whether they told a DSL. */
  role?: Role;
}

export function recordConcernCard(options: FormOptions, state: RecordConcernState): AdaptiveCard {
  const kit = new FormKit(state.values ?? {}, state.errors ?? []);
  const now = wallClockNow(new Date(options.now), options.timeZone);
  const chosenIds = new Set(kit.list("categoryIds"));
  const chosen = options.categories.filter((c) => chosenIds.has(c.id));

  const pupil = kit.field({
    type: "Input.ChoiceSet",
    id: "pupilId",
    label: "Pupil",
    placeholder: "Start typing the pupil's name",
    style: "filtered",
    isRequired: true,
    errorMessage: "Choose the pupil this concern is about.",
    // Teams asks the bot for matches as the person types (application/search).
    choices: kit.values.pupilId ? [choice(state.pupilTitle ?? "The pupil you chose", kit.values.pupilId)] : [],
    "choices.data": { type: "Data.Query", dataset: "pupils" },
  });

  // Before any category is chosen, the guidance that exists is shown so nobody guesses blind.
  const overallGuidance = chosen.length
    ? []
    : options.categories.filter((c) => c.guidance).map((c) => hint(markdownLiteral(`${c.name}: ${c.guidance}`)));
  const categories = kit.field(
    {
      type: "Input.ChoiceSet",
      id: "categoryIds",
      label: "Categories",
      isMultiSelect: true,
      isRequired: true,
      errorMessage: "Choose at least one category.",
      choices: options.categories.map((c) => literalChoice(c.name, c.id)),
    },
    [
      ...overallGuidance,
      hint("After choosing, press the button below for each category's sub-categories and questions."),
      {
        type: "ActionSet",
        actions: [refreshAction(state.submissionId)],
      },
    ],
  );

  const when: CardElement[] = [
    sideBySide(
      kit.field({ type: "Input.Date", id: "occurredDate", label: "Date", value: now.date, max: now.date, isRequired: true, errorMessage: "Give the date it happened." }),
      kit.field({ type: "Input.Time", id: "occurredTime", label: "Time", value: now.time, isRequired: true, errorMessage: "Give the time it happened." }),
    ),
  ];
  const session = kit.field({
    type: "Input.ChoiceSet",
    id: "session",
    label: "Session",
    placeholder: "Choose a session",
    choices: options.sessions.map((s) => choice(s.label, s.id)),
  });
  const location = options.locations.length
    ? kit.field({
        type: "Input.ChoiceSet",
        id: "location",
        label: "Location",
        placeholder: "Choose a location",
        choices: options.locations.map((l) => choice(l, l)),
      })
    : [];

  const account = [
    text("Account", { weight: "Bolder", spacing: "Medium" }),
    text(RECORDING_GUIDANCE, { size: "Small", isSubtle: true, spacing: "None" }),
    ...kit.field({
      type: "Input.Text",
      id: "account",
      label: `What happened (required, ${LIMITS.accountMinLength} to ${LIMITS.accountMaxLength.toLocaleString("en-GB")} characters)`,
      isMultiline: true,
      maxLength: LIMITS.accountMaxLength,
      // Not isRequired: Teams validates required inputs before any Action.Execute, and an empty
      // account must not stop "Update form for these categories". The service checks it instead.
    }),
  ];

  const alertGroups = options.alertGroups.length
    ? kit.field({
        type: "Input.ChoiceSet",
        id: "alertGroupIds",
        label: "Alert groups",
        isMultiSelect: true,
        choices: options.alertGroups.map((g) => literalChoice(g.name, g.id)),
      })
    : [];
  const alertStaff = kit.field(
    {
      type: "Input.ChoiceSet",
      id: "alertStaffIds",
      label: "Who to alert",
      isMultiSelect: true,
      choices: options.staff.map((s) => literalChoice(s.name, s.id, ` (${s.role})`)),
    },
    [hint("Think of confidentiality: the people you alert can alert others.")],
  );

  const body: CardElement[] = [
    ...pupil,
    ...categories,
    ...categorySections(kit, chosen),
    ...disclosureSection(kit, chosen, state.role),
    ...when,
    ...session,
    ...location,
    ...account,
    ...linkedPupilsSection(kit, state.pupilTitles ?? {}),
    ...allegationSection(kit, options),
    ...followUpSection(kit, options, now.date),
    text("Alerts", { weight: "Bolder", spacing: "Large", separator: true }),
    ...alertGroups,
    ...alertStaff,
  ];

  // Problems with no input of their own (an expired form id, say) are shown at the top.
  const errors = state.errors ?? [];
  const summary = errors.length
    ? [problem("Some fields need attention. Nothing has been saved yet; what you typed is kept below."), ...kit.unplaced().map((e) => problem(e.message))]
    : [];

  const data = { submissionId: state.submissionId, verb: SUBMIT_CONCERN_VERB };
  return card(
    [heading("Record a concern"), ...summary, ...body],
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

function refreshAction(submissionId: string): CardElement {
  const title = "Update form for these categories";
  const data = { submissionId, verb: REFRESH_CONCERN_VERB };
  return { type: "Action.Execute", title, verb: REFRESH_CONCERN_VERB, data, fallback: { type: "Action.Submit", title, data } };
}

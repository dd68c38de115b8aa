/**
 * The "record a concern" form, in the order of the schools' paper form (domain.md, "Recording an
 * incident"). Choosing categories and pressing "Update form for these categories" brings back the
 * same card with each chosen category's sub-categories, fields and guidance, every typed value
 * kept. When the service finds problems the card also comes back, each message beside its input.
 */
import type { FormOptions } from "../../src/app/views.js";
import type { FieldProblem } from "../../src/domain/errors.js";
import type { ConcernFormModel } from "../../src/domain/concern-form/model.js";
import { RECORDING_GUIDANCE, alertApprovalNote } from "../../src/domain/concern-form/model.js";
import { CONCERN_FIELDS as F } from "../../src/app/concern-fields.js";
import { CONCERN_FORM } from "../../src/domain/concern-form/standard-form.js";
import type { Role } from "../../src/domain/roles.js";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { card, heading, markdownLiteral, problem, sideBySide, text, type AdaptiveCard, type CardElement } from "./card-kit.js";
import { allegationSection, categorySections, disclosureSection, followUpSection, linkedPupilsSection } from "./concern-card-sections.js";
import { FormKit, PUPIL_NAME_INPUT, PUPIL_NAME_MAX_LENGTH, choice, hint, literalChoice, uniqueChoices } from "./concern-form-kit.js";

export const SUBMIT_CONCERN_VERB = "submitConcern";
export const REFRESH_CONCERN_VERB = "refreshConcernForm";

export { RECORDING_GUIDANCE };

export interface RecordConcernState {
  submissionId: string;
  /** The inputs' raw values as the card sent them (multi-selects are comma-separated). */
  values?: Record<string, string>;
  errors?: FieldProblem[];
  /**
   * The Pupil field's fixed choices (the chosen pupil, a typed name's matches, the pupils this
   * member of staff recorded about recently), for clients without typeahead and so a re-shown
   * form shows the chosen pupil by name.
   */
  pupilChoices?: { title: string; value: string }[];
  /** Names and classes of the chosen pupils (the subject and the linked-pupil rows), by pupil id. */
  pupilTitles?: Record<string, string>;
  /** The person filling it in: DSLs and deputies are not asked whether they told a DSL. */
  role?: Role;
}

/** The form as a card, rendered from `model` (the standard form unless a test gives another). */
export function recordConcernCard(options: FormOptions, state: RecordConcernState, model: ConcernFormModel = CONCERN_FORM): AdaptiveCard {
  const kit = new FormKit(state.values ?? {}, state.errors ?? [], model);
  const now = wallClockNow(new Date(options.now), options.timeZone);
  const chosenIds = new Set(kit.list("categoryIds"));
  const chosen = options.categories.filter((c) => chosenIds.has(c.id));

  const chosenPupil = kit.values.pupilId;
  const titles = state.pupilTitles ?? {};
  // The chosen pupil is always among the choices, so its title (never its id) is what shows.
  const pupilChoices = uniqueChoices([
    ...(chosenPupil ? [choice(titles[chosenPupil] ?? "The pupil you chose", chosenPupil)] : []),
    ...(state.pupilChoices ?? []),
  ]);
  const pupil = [
    ...kit.field(
      kit.input("Input.ChoiceSet", "pupilId", {
        placeholder: "Start typing the pupil's name",
        style: "filtered",
        // Not isRequired: a client would then refuse to send the form when the pupil is named in the
        // box below instead (the Agents Playground does), though the bot takes that name. The bot
        // checks that one of the two is given and says so beside this field.
        choices: pupilChoices,
        // Teams asks the bot for matches as the person types (application/search); the chosen pupil
        // goes with the query so the bot leaves out the choices already listed here.
        "choices.data": { type: "Data.Query", dataset: "pupils", associatedInputs: "auto" },
      }),
    ),
    ...(state.pupilChoices?.length ? [hint("Listed first: pupils you recorded about recently.")] : []),
    // Where the list cannot search (some Teams clients): resolved by the bot on refresh or submit.
    ...kit.field({
      type: "Input.Text",
      id: PUPIL_NAME_INPUT,
      label: "Or type the pupil's name",
      placeholder: "Then press Update form or Submit",
      maxLength: PUPIL_NAME_MAX_LENGTH,
    }),
  ];

  // Before any category is chosen, the guidance that exists is shown so nobody guesses blind.
  const overallGuidance = chosen.length
    ? []
    : options.categories.filter((c) => c.guidance).map((c) => hint(markdownLiteral(`${c.name}: ${c.guidance}`)));
  const categories = kit.field(
    kit.input("Input.ChoiceSet", "categoryIds", {
      isMultiSelect: true,
      isRequired: true,
      errorMessage: "Choose at least one category.",
      choices: options.categories.map((c) => literalChoice(c.name, c.id)),
    }),
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
      kit.field(
        kit.input("Input.Date", "occurredDate", { value: now.date, max: now.date, isRequired: true, errorMessage: "Give the date it happened." }),
      ),
      kit.field(kit.input("Input.Time", "occurredTime", { value: now.time, isRequired: true, errorMessage: "Give the time it happened." })),
    ),
  ];
  const session = kit.field(
    kit.input("Input.ChoiceSet", "session", { placeholder: "Choose a session", choices: options.sessions.map((s) => choice(s.label, s.id)) }),
  );
  const location = options.locations.length
    ? kit.field(kit.input("Input.ChoiceSet", "location", { placeholder: "Choose a location", choices: options.locations.map((l) => choice(l, l)) }))
    : [];

  const account = [
    text("Account", { weight: "Bolder", spacing: "Medium" }),
    text(model.field("account").guidance ?? "", { size: "Small", isSubtle: true, spacing: "None" }),
    // Not isRequired: Teams validates required inputs before any Action.Execute, and an empty
    // account must not stop "Update form for these categories". The service checks it instead.
    ...kit.field(kit.input("Input.Text", "account", { isMultiline: true })),
  ];

  const alertGroups = options.alertGroups.length
    ? kit.field(
        kit.input("Input.ChoiceSet", "alertGroupIds", { isMultiSelect: true, choices: options.alertGroups.map((g) => literalChoice(g.name, g.id)) }),
      )
    : [];
  const alertStaff = kit.field(
    kit.input("Input.ChoiceSet", "alertStaffIds", {
      isMultiSelect: true,
      choices: options.staff.map((s) => literalChoice(s.name, s.id, ` (${s.role})`)),
    }),
    [hint(model.field("alertStaffIds").guidance ?? ""), ...heldNote(state.role, chosen, kit.values[F.allegation] === "true")],
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
    ...linkedPupilsSection(kit, titles, refreshAction(state.submissionId, "Link another pupil")),
    ...allegationSection(kit, options),
    ...followUpSection(kit, options, now.date),
    text("Alerts", { weight: "Bolder", spacing: "Large", separator: true }),
    ...alertGroups,
    ...alertStaff,
  ];

  // Problems with no input of their own (an expired form id, say) are shown at the top.
  const errors = state.errors ?? [];
  const summary = errors.length
    ? [
        problem(
          `Nothing has been saved yet. Please put ${errors.length === 1 ? "this" : `these ${errors.length} things`} right; what you typed is kept below.`,
        ),
        ...kit.named().map((e) => problem(e.label ? `${e.label}: ${e.message}` : e.message)),
      ]
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

function refreshAction(submissionId: string, title = "Update form for these categories"): CardElement {
  const data = { submissionId, verb: REFRESH_CONCERN_VERB };
  return { type: "Action.Execute", title, verb: REFRESH_CONCERN_VERB, data, fallback: { type: "Action.Submit", title, data } };
}

/**
 * On a protected record raised by anyone but a DSL, the alert box says a chosen alert waits for a
 * DSL, and on an allegation that it will be declined (the form model's rule). The card learns the
 * allegation toggle as it learns the categories: when the form is sent back to refresh it.
 */
function heldNote(role: Role | undefined, chosen: readonly { id: string; protected?: boolean }[], allegation: boolean): CardElement[] {
  const note = alertApprovalNote({ role, categories: chosen, categoryIds: chosen.map((c) => c.id), allegation });
  return note ? [hint(note)] : [];
}

/**
 * Dialogs (task modules) opened from the record-concern card: the body map and evidence files.
 * task/fetch answers with the page's URL; the page ends with `dialog.url.submit(result)`, which
 * reaches the bot as task/submit. Teams cannot change the form card from task/submit, so marks
 * and files are kept as the form's draft (keyed by its submissionId) until the concern itself is
 * submitted. The files page uploads straight to POST /api/files with the person's Teams SSO token,
 * so its task/submit only confirms what the draft now holds.
 */
import type { TaskModuleRequest, TaskModuleResponse, TurnContext } from "botbuilder";
import { z } from "zod";
import { bodyMapMarksSchema } from "../src/contract/requests.js";
import type { Actor } from "../src/domain/actor.js";
import { isKeepsafeError, UnauthenticatedError } from "../src/domain/errors.js";
import { canNoteWhoWroteScan } from "../src/domain/policy/index.js";
import { childLogger } from "../src/logger.js";
import { UNEXPECTED_FAILURE_MESSAGE } from "./cards/error-card.js";
import { BODY_MAP_DIALOG, FILES_DIALOG } from "./cards/body-map-dialog.js";
import type { BotService } from "./keepsafe-bot.js";
import type { KeepsafeService } from "../src/app/keepsafe-service.js";
import { cardDataSchema, UNSAFE_KEY_MESSAGE } from "./card-data.js";

const log = childLogger("bot-dialogs");

export interface DialogDeps {
  /** Keepsafe's public https origin (PUBLIC_URL); dialog pages must be on the app's valid domains. */
  /** Where Teams loads dialog pages from; a function when the port is known only after listening. */
  publicUrl: string | (() => string);
  /** The form's draft, through its use cases: what it holds, and keeping a body map with it. */
  drafts: FormDraftUseCases;
}

export type FormDraftUseCases = Pick<KeepsafeService, "viewFormDraft" | "saveBodyMapDraft">;

export const BODY_MAP_DIALOG_SIZE = { height: 600, width: 800 } as const;
export const FILES_DIALOG_SIZE = { height: 520, width: 640 } as const;

const submissionIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{8,100}$/, "The form is missing its id; open a new form.");

/** What the body map page submits. */
export const bodyMapSubmitSchema = z.object({
  dialog: z.literal(BODY_MAP_DIALOG),
  submissionId: submissionIdSchema,
  // One mark schema for the dialog and the tab's form: the contract's.
  marks: bodyMapMarksSchema,
});

/** What the files page submits: the files it saw stored. The draft, not this list, is what counts. */
export const filesSubmitSchema = z.object({
  dialog: z.literal(FILES_DIALOG),
  submissionId: submissionIdSchema,
  files: z
    .array(z.object({ fileId: z.string() }))
    .max(100)
    .default([]),
});

const fetchDataSchema = z.object({ dialog: z.enum([BODY_MAP_DIALOG, FILES_DIALOG]), submissionId: submissionIdSchema });

const message = (value: string): TaskModuleResponse => ({ task: { type: "message", value } });

/** Dialog data with an unsafe key (bot/card-data.ts) is answered with why, before any schema reads it. */
function refused(data: unknown): TaskModuleResponse | undefined {
  const checked = cardDataSchema.safeParse(data);
  return checked.success ? undefined : message(checked.error.issues[0]?.message ?? UNSAFE_KEY_MESSAGE);
}

export class Dialogs {
  constructor(
    private readonly service: Pick<BotService, "resolveActor">,
    private readonly deps: DialogDeps,
  ) {}

  async fetch(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    const refusal = refused(request?.data);
    if (refusal) return refusal;
    const parsed = fetchDataSchema.safeParse(request?.data ?? {});
    if (!parsed.success) return message("This button is no longer supported. Send Keepsafe a message for a new form.");
    try {
      const actor = await actorFromActivity(this.service, context);
      const draft = await this.deps.drafts.viewFormDraft(actor, parsed.data.submissionId);
      const base = typeof this.deps.publicUrl === "function" ? this.deps.publicUrl() : this.deps.publicUrl;
      const url = new URL(`/dialogs/${parsed.data.dialog}.html`, base);
      url.searchParams.set("submissionId", parsed.data.submissionId);
      log.info({ event: "dialog.opened", dialog: parsed.data.dialog, staffId: actor.staffId }, "dialog opened");
      if (parsed.data.dialog === FILES_DIALOG) {
        // Only a DSL notes who wrote a scanned paper form; the page shows the box, the API decides.
        if (canNoteWhoWroteScan(actor)) url.searchParams.set("scan", "1");
        const count = draft.files.length;
        return {
          task: {
            type: "continue",
            value: {
              title: count ? `Attach files (${count} attached)` : "Attach files",
              ...FILES_DIALOG_SIZE,
              url: url.toString(),
              fallbackUrl: url.toString(),
            },
          },
        };
      }
      return {
        task: {
          type: "continue",
          value: {
            title: draft.bodyMapMarks ? `Body map (${draft.bodyMapMarks} marks saved)` : "Body map",
            ...BODY_MAP_DIALOG_SIZE,
            url: url.toString(),
            fallbackUrl: url.toString(),
          },
        },
      };
    } catch (error) {
      return failed(error, "fetch");
    }
  }

  async submit(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    const refusal = refused(request?.data);
    if (refusal) return refusal;
    if ((request?.data as { dialog?: unknown } | undefined)?.dialog === FILES_DIALOG) return this.submitFiles(context, request);
    const parsed = bodyMapSubmitSchema.safeParse(request?.data ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      log.info({ event: "body-map.refused", path: first?.path.join(".") }, "body map refused");
      return message(`The body map was not saved: ${first?.message ?? "it could not be read."} Open the body map again and check the marks.`);
    }
    try {
      const actor = await actorFromActivity(this.service, context);
      const { marks } = await this.deps.drafts.saveBodyMapDraft(actor, { submissionId: parsed.data.submissionId, marks: parsed.data.marks });
      log.info({ event: "body-map.saved", marks, staffId: actor.staffId }, "body map kept with the form");
      return message(
        marks
          ? `Body map saved with ${marks} ${marks === 1 ? "mark" : "marks"}. It will be part of the record when you submit the concern.`
          : "Body map saved with no marks.",
      );
    } catch (error) {
      return failed(error, "submit");
    }
  }

  /** The files page is done: say what the form now holds, from the draft itself. */
  private async submitFiles(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    const parsed = filesSubmitSchema.safeParse(request?.data ?? {});
    if (!parsed.success) return message("The files dialog could not be read. Open it again from the form.");
    try {
      const actor = await actorFromActivity(this.service, context);
      const draft = await this.deps.drafts.viewFormDraft(actor, parsed.data.submissionId);
      const names = draft.files.map((f) => f.name);
      log.info({ event: "files.confirmed", files: names.length, staffId: actor.staffId }, "files kept with the form");
      if (!names.length) return message("No files are attached to this form.");
      const pending = draft.pending;
      return message(
        `${names.length === 1 ? "1 file" : `${names.length} files`} attached: ${names.join(", ")}. ` +
          (pending ? `${pending === 1 ? "1 more is" : `${pending} more are`} still uploading. ` : "") +
          "They will be part of the record when you submit the concern.",
      );
    } catch (error) {
      return failed(error, "submit");
    }
  }
}

/** Teams puts the person's Entra object id on every activity; the service decides if they are staff. */
export async function actorFromActivity(service: Pick<BotService, "resolveActor">, context: TurnContext): Promise<Actor> {
  const staffId = context.activity.from?.aadObjectId;
  if (!staffId) throw UnauthenticatedError("Keepsafe could not tell who you are. Open it from Microsoft Teams.");
  // The bot channel carries no sign-in strength, so bot requests never count as MFA.
  return service.resolveActor(staffId, { mfa: false, via: "bot" });
}

function failed(error: unknown, step: string): TaskModuleResponse {
  log.warn(
    { event: `dialog.${step}-failed`, code: isKeepsafeError(error) ? error.code : error instanceof Error ? error.name : "unknown" },
    "dialog step failed",
  );
  return message(isKeepsafeError(error) ? error.message : UNEXPECTED_FAILURE_MESSAGE);
}

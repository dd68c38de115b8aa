/**
 * The request bodies the sandbox accepts, shaped like Microsoft Graph v1.0 documents them
 * (userTeamwork: sendActivityNotification, user: sendMail). Anything Graph would refuse is
 * refused here too, so a malformed request fails in local runs rather than in a school's tenant.
 */
import { z } from "zod";

/** Graph's webUrl for a text topic must open Teams, typically a deep link to the app's tab. */
const teamsLink = z.string().refine((u) => /^https:\/\/teams\.microsoft\.com\//i.test(u), "webUrl must be a Microsoft Teams link");

const keyValuePair = z.object({ name: z.string().min(1), value: z.string() });

export const activityNotificationBody = z.object({
  topic: z.discriminatedUnion("source", [
    z.object({ source: z.literal("text"), value: z.string().min(1), webUrl: teamsLink }),
    z.object({ source: z.literal("entityUrl"), value: z.url(), webUrl: teamsLink.optional() }),
  ]),
  activityType: z.string().min(1),
  previewText: z.object({ content: z.string() }),
  templateParameters: z.array(keyValuePair),
  teamsAppId: z.string().optional(),
  chainId: z.number().int().optional(),
  iconId: z.string().optional(),
});
export type ActivityNotificationBody = z.infer<typeof activityNotificationBody>;

const recipient = z.object({ emailAddress: z.object({ address: z.email(), name: z.string().optional() }) });

export const sendMailBody = z.object({
  message: z.object({
    subject: z.string(),
    body: z.object({
      contentType: z.string().refine((t) => /^(text|html)$/i.test(t), "contentType must be Text or HTML"),
      content: z.string(),
    }),
    toRecipients: z.array(recipient).min(1),
    ccRecipients: z.array(recipient).optional(),
    bccRecipients: z.array(recipient).optional(),
    // Graph only accepts custom headers named x-...; Keepsafe puts its alert id there.
    internetMessageHeaders: z.array(z.object({ name: z.string().regex(/^x-/i, "custom headers must start with x-"), value: z.string() })).optional(),
  }),
  saveToSentItems: z.boolean().optional(),
});
export type SendMailBody = z.infer<typeof sendMailBody>;

/** Graph's one-line description of what was wrong, from zod's first issue. */
export function describeProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid request body.";
  const where = issue.path.length ? issue.path.join(".") : "body";
  return `Invalid value for '${where}': ${issue.message}`;
}

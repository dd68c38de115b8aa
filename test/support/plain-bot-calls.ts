/**
 * Calls a Keepsafe that runs in another process, over plain HTTP, as the local Teams host and
 * Teams do: a sign-in through the host's SSO endpoint, and a form submission to /api/messages.
 */
import assert from "node:assert/strict";
import { LOCAL_TENANT_ID } from "../../src/config.js";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import type { DemoStaffMember } from "../../src/local/demo-school.js";

/** Submits the concern form as `from` would, alerting `alert`, with the time five minutes ago. */
export function submitConcern(
  url: string,
  who: { from: DemoStaffMember; alert: DemoStaffMember },
  submissionId: string,
  pupilId: string,
  account: string,
) {
  const fiveMinutesAgo = wallClockNow(new Date(Date.now() - 5 * 60_000), "Europe/London");
  return fetch(`${url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      type: "invoke",
      name: "adaptiveCard/action",
      id: `act-${submissionId}`,
      channelId: "msteams",
      serviceUrl: `${url}/local-connector/`,
      from: { id: `29:${who.from.oid}`, aadObjectId: who.from.oid, name: who.from.displayName },
      recipient: { id: "28:keepsafe-bot" },
      conversation: { id: `local-${who.from.oid}`, conversationType: "personal", tenantId: LOCAL_TENANT_ID },
      value: {
        action: {
          type: "Action.Execute",
          verb: "submitConcern",
          data: {
            submissionId,
            pupilId,
            categoryIds: "welfare",
            occurredDate: fiveMinutesAgo.date,
            occurredTime: fiveMinutesAgo.time,
            account,
            alertStaffIds: who.alert.oid,
          },
        },
        trigger: "manual",
      },
    }),
  });
}

/** Signs in the way the local Teams host does and returns the access token. */
export async function ssoTokenFor(url: string, staff: DemoStaffMember): Promise<string> {
  const res = await fetch(`${url}/teams-host/sso-token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ oid: staff.oid, mfa: true }),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { access_token?: string; token?: string };
  return (body.access_token ?? body.token)!;
}

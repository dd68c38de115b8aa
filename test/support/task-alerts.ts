/**
 * The set-up the overdue-task tests share: a DSL gives a task on a record through the tab API, and
 * the owner's overdue alerts (activity feed and mail) are read back from the Graph sandbox.
 */
import assert from "node:assert/strict";
import type { DemoStaffMember } from "../../src/local/demo-school.js";
import type { TestKeepsafe } from "./keepsafe-instance.js";

/** The owner's "overdue" activity notifications and mails the Graph sandbox has seen, in order. */
export const overdueAlertsTo = (k: TestKeepsafe, owner: DemoStaffMember) =>
  k.local
    .graph!.requests()
    .filter(
      (r) =>
        (r.kind === "activity-notification" && r.userId === owner.oid && (r.body as any).activityType === "taskOverdue") ||
        (r.kind === "mail" && JSON.stringify(r.body).includes(owner.email) && JSON.stringify(r.body).includes("overdue")),
    );

/** Adds an action that is a task for `owner`, due on `dueOn`, through POST /api/incidents/:id/actions; answers its id. */
export async function addTask(
  k: TestKeepsafe,
  token: string,
  incidentId: string,
  { requestId, owner, dueOn, occurredAt }: { requestId: string; owner: DemoStaffMember; dueOn: string; occurredAt: string },
): Promise<string> {
  const res = await k.api(`/api/incidents/${incidentId}/actions`, token, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      requestId,
      text: "Check the cloakroom plan with the class teacher.",
      occurredAt,
      task: { ownerStaffId: owner.oid, dueOn },
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { action: { id: string } }).action.id;
}

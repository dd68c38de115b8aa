/**
 * The access matrix, generated from the contract: every tab API route that reads or writes a record
 * (route.record in src/contract/routes.ts), for every role in the README's table and every category
 * sensitivity, over real HTTP against the whole of Keepsafe. Each attempt must answer exactly as the
 * README says (readme-table.ts, written by hand, never the policy) and leave its audit event. A route
 * added to the contract without a request below fails here, so a new route cannot escape the matrix.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ROUTE_LIST, routes, pathOf, type RouteId } from "../../src/contract/routes.js";
import { DEMO_SCHOOL_ID, type DemoStaffMember } from "../../src/local/demo-school.js";
import type { AuditEventType } from "../../src/domain/incident.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import {
  MATRIX_ROLES,
  RAISER,
  SENSITIVITIES,
  TASK_OWNER,
  TASK_TAGGED,
  addsCaseEntries,
  downloadsCaseEntryFiles,
  alertedTo,
  browses,
  handlesSubjectAccess,
  homeListFor,
  listedInMyConcerns,
  marksTask,
  reads,
  readsGovernorsSummary,
  REPORT_VIEW_EVENTS,
  safeguardingTeam,
  type MatrixRole,
  type Outcome,
  type Sensitivity,
} from "./readme-table.js";

const STAFF: Record<MatrixRole, DemoStaffMember> = {
  DSL: staffByRole(/^DSL/),
  "deputy DSL": staffByRole(/Deputy DSL/),
  SLT: staffByRole(/^SLT/),
  "head of year": staffByRole(/^Head of year \(Year 5\)/),
  teacher: staffByRole(/Year 3/),
  "admin staff": staffByRole(/^Admin staff/),
  "named adult": staffByRole(/Reception/),
};

/** One matrix record: its incident, pupil, file and the day it happened (a report over that day counts only it). */
interface Made {
  incidentId: string;
  pupilId: string;
  fileId: string;
  day: string;
}

/** An attempt's answer, and the audit event type it must leave (undefined: nothing to audit, said why in the probe). */
interface Probe {
  /** What the README says this role gets for this record. */
  expect: (role: MatrixRole, s: Sensitivity) => Outcome;
  /** Makes the attempt; returns the HTTP status and, for lists, whether the record was in the answer. */
  attempt: (ctx: Ctx, role: MatrixRole, s: Sensitivity) => Promise<Outcome>;
  /** The audit event an allowed attempt leaves; refusals always leave access.refused. */
  audited: AuditEventType | { none: string };
  /** The answer is a list: "not-found" means the record is left out of it. */
  list?: true;
  /** Sensitivity does not enter the route (drafts, audit trails): run once per role. */
  perRole?: true;
}

interface Ctx {
  keepsafe: TestKeepsafe;
  made: Record<Sensitivity, Made>;
  /** A record made afresh for an attempt that changes access (a change, an approval). */
  fresh: (s: Sensitivity) => Promise<Made & { pendingActionId: string }>;
  pupils: string[];
  /** A form the DSL has started (a file kept with it) but not submitted. */
  raiserDraft: string;
  /** A document the DSL put on the protected record's pupil's file, made once when first asked for. */
  document?: Promise<string>;
}

const statusOutcome = (status: number, body: string): Outcome => {
  if (status >= 200 && status < 300) return "allow";
  if (status === 404) return "not-found";
  if (status === 403) return "forbidden";
  if (status === 400) return "invalid";
  throw new Error(`unexpected ${status}: ${body}`);
};
const json = (body: object): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const call = async (ctx: Ctx, role: MatrixRole, path: string, init?: RequestInit) => {
  const res = await ctx.keepsafe.api(path, await ctx.keepsafe.tokenFor(STAFF[role]), init);
  return { status: res.status, body: await res.text() };
};
const byStatus = async (ctx: Ctx, role: MatrixRole, path: string, init?: RequestInit) => {
  const { status, body } = await call(ctx, role, path, init);
  return statusOutcome(status, body);
};
/** A list's answer: refused for the role, or whether the record is in it. */
const inList = async (ctx: Ctx, role: MatrixRole, path: string, has: (body: any) => boolean): Promise<Outcome> => {
  const { status, body } = await call(ctx, role, path);
  if (status !== 200) return statusOutcome(status, body);
  return has(JSON.parse(body)) ? "allow" : "not-found";
};
const readOr =
  (ok: Outcome) =>
  (role: MatrixRole, s: Sensitivity): Outcome =>
    reads(role, s) ? ok : "not-found";
const teamOnly = (role: MatrixRole): Outcome => (safeguardingTeam(role) ? "allow" : "forbidden");
const reportQuery = (m: Made) => `from=${m.day}&to=${m.day}&groupBy=category`;
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const phoneCall = () => ({
  kind: "phone-call",
  requestId: `matrix-${randomUUID()}`,
  occurredAt: minutesAgo(5),
  who: "Social worker",
  direction: "in",
  notes: "Asked for attendance figures.",
});
const summaryQuery = () => `period=term&date=${new Date().toISOString().slice(0, 10)}`;
/** Received a few days ago, so no school time zone puts it after today. */
const sarBody = (c: Ctx) => ({
  pupilId: c.made.standard.pupilId,
  requester: "Mrs Example Parent",
  relationship: "parent",
  receivedOn: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10),
});
/** Something the DSL makes for an attempt (a referral, a task, a request, a pack): posts it and returns its id. */
const dslMade = async (ctx: Ctx, path: string, body: object, idOf: (b: any) => string): Promise<string> => {
  const { status, body: text } = await call(ctx, RAISER, path, json(body));
  assert.equal(status, 201, text);
  return idOf(JSON.parse(text));
};
/** The DSL uploads a letter through the one upload path and files it as a document; its entry id. */
const documentOf = (ctx: Ctx) =>
  (ctx.document ??= (async () => {
    const requestId = `matrix-doc-${randomUUID()}`;
    const up = await ctx.keepsafe.api(`/api/files?submissionId=${requestId}&name=letter.txt`, await ctx.keepsafe.tokenFor(STAFF[RAISER]), {
      method: "POST",
      body: NOTE,
      headers: { "content-type": "application/octet-stream" },
    });
    assert.equal(up.status, 201, await up.clone().text());
    const fileId = ((await up.json()) as any).fileId as string;
    return dslMade(
      ctx,
      pathOf(routes.addCaseEntry, { pupilId: ctx.made.protected.pupilId }),
      { kind: "document", requestId, occurredAt: minutesAgo(60), title: "Letter", documentType: "Letter from social care", fileId },
      (b) => b.entry.id,
    );
  })());
const freshSar = (ctx: Ctx) => dslMade(ctx, routes.openSubjectAccessRequest.path, sarBody(ctx), (b) => b.request.id);

/** The per-route request builder: one entry for every route that reads or writes a record. */
const PROBES: Partial<Record<RouteId, Probe>> = {
  getIncident: {
    expect: readOr("allow"),
    audited: "incident.viewed",
    attempt: (c, r, s) => byStatus(c, r, pathOf(routes.getIncident, { incidentId: c.made[s].incidentId })),
  },
  downloadFile: {
    expect: readOr("allow"),
    audited: "file.downloaded",
    attempt: (c, r, s) => byStatus(c, r, pathOf(routes.downloadFile, { incidentId: c.made[s].incidentId, fileId: c.made[s].fileId })),
  },
  acknowledgeAlert: {
    // Only one's own alert is marked read; someone who may read but was not alerted is told so.
    expect: (r, s) => (!reads(r, s) ? "not-found" : alertedTo(r, s) ? "allow" : "forbidden"),
    audited: "alert.acknowledged",
    attempt: (c, r, s) => byStatus(c, r, pathOf(routes.acknowledgeAlert, { incidentId: c.made[s].incidentId }), { method: "POST" }),
  },
  addAction: {
    expect: readOr("allow"),
    audited: "action.added",
    attempt: (c, r, s) =>
      byStatus(
        c,
        r,
        pathOf(routes.addAction, { incidentId: c.made[s].incidentId }),
        json({
          requestId: `matrix-${randomUUID()}`,
          text: "Checked in with the pupil at break.",
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
        }),
      ),
  },
  approvePendingTags: {
    // Only protected records ever hold a tag pending, so elsewhere the team's approval has nothing to approve.
    expect: (r, s) => (!reads(r, s) ? "not-found" : !safeguardingTeam(r) ? "forbidden" : s === "protected" ? "allow" : "invalid"),
    audited: "action.added",
    attempt: async (c, r, s) => {
      const m = await c.fresh(s);
      return byStatus(c, r, pathOf(routes.approvePendingTags, { incidentId: m.incidentId, actionId: m.pendingActionId }), { method: "POST" });
    },
  },
  approveHeldAlerts: {
    // The matrix's records are raised by a DSL, whose alerts on a protected record are never held: the team
    // finds nothing to approve (the allowed approval is in test/api/held-alerts.test.ts). On an allegation
    // even a DSL's alert to someone it cannot open (the admin) is held, so the team decides it (declining it),
    // each on a record of its own.
    expect: (r, s) => (!reads(r, s) ? "not-found" : !safeguardingTeam(r) ? "forbidden" : s === "allegation" ? "allow" : "invalid"),
    audited: "action.added",
    attempt: async (c, r, s) => {
      const incidentId = s === "allegation" ? (await c.fresh(s)).incidentId : c.made[s].incidentId;
      return byStatus(c, r, pathOf(routes.approveHeldAlerts, { incidentId }), { method: "POST" });
    },
  },
  changeIncident: {
    expect: (r, s) => (!reads(r, s) ? "not-found" : teamOnly(r)),
    audited: "incident.closed",
    attempt: async (c, r, s) => {
      const m = await c.fresh(s);
      return byStatus(
        c,
        r,
        pathOf(routes.changeIncident, { incidentId: m.incidentId }),
        json({ kind: "close", reason: "Resolved with the family.", version: 0 }),
      );
    },
  },
  getChronology: {
    list: true,
    expect: (r, s) => (!browses(r) ? "forbidden" : reads(r, s) ? "allow" : "not-found"),
    audited: "chronology.viewed",
    attempt: (c, r, s) =>
      inList(c, r, pathOf(routes.getChronology, { pupilId: c.made[s].pupilId }), (b) =>
        b.entries.some((e: any) => e.incidentId === c.made[s].incidentId),
      ),
  },
  exportChronologyPdf: {
    expect: (r) => teamOnly(r),
    audited: "chronology.exported",
    attempt: (c, r, s) =>
      byStatus(c, r, `${pathOf(routes.exportChronologyPdf, { pupilId: c.made[s].pupilId })}?from=${c.made[s].day}&to=${c.made[s].day}`),
  },
  getIncidentReport: {
    list: true,
    expect: (r, s) => (!browses(r) ? "forbidden" : reads(r, s) ? "allow" : "not-found"),
    audited: REPORT_VIEW_EVENTS.incidentReport,
    attempt: (c, r, s) => inList(c, r, `${routes.getIncidentReport.path}?${reportQuery(c.made[s])}`, (b) => b.total === 1),
  },
  getIncidentReportCsv: {
    list: true,
    expect: (r, s) => (!browses(r) ? "forbidden" : reads(r, s) ? "allow" : "not-found"),
    audited: REPORT_VIEW_EVENTS.incidentReport,
    attempt: async (c, r, s) => {
      const { status, body } = await call(c, r, `${routes.getIncidentReportCsv.path}?${reportQuery(c.made[s])}`);
      if (status !== 200) return statusOutcome(status, body);
      return /total[^\n]*,1\s*$/im.test(body) ? "allow" : "not-found";
    },
  },
  listMyConcerns: {
    list: true,
    expect: (r, s) => (listedInMyConcerns(r, s) ? "allow" : "not-found"),
    audited: "concerns.listed",
    attempt: (c, r, s) => inList(c, r, routes.listMyConcerns.path, (b) => b.concerns.some((x: any) => x.incidentId === c.made[s].incidentId)),
  },
  recordIncident: {
    // Anyone on the staff list adds a concern, whatever its categories (README, "Add a concern").
    expect: () => "allow",
    audited: "incident.recorded",
    attempt: async (c, r, s) => byStatus(c, r, routes.recordIncident.path, json(concernBody(s, c.pupils[3], `matrix-${randomUUID()}`))),
  },
  getPupilAudit: {
    expect: teamOnly,
    audited: "audit.viewed",
    perRole: true,
    attempt: (c, r) => byStatus(c, r, pathOf(routes.getPupilAudit, { pupilId: c.made.standard.pupilId })),
  },
  exportPupilAudit: {
    expect: teamOnly,
    audited: "audit.exported",
    perRole: true,
    attempt: (c, r) => byStatus(c, r, pathOf(routes.exportPupilAudit, { pupilId: c.made.standard.pupilId })),
  },
  getStaffAudit: {
    expect: teamOnly,
    audited: "audit.viewed",
    perRole: true,
    attempt: (c, r) => byStatus(c, r, pathOf(routes.getStaffAudit, { staffId: STAFF.teacher.oid })),
  },
  exportStaffAudit: {
    expect: teamOnly,
    audited: "audit.exported",
    perRole: true,
    attempt: (c, r) => byStatus(c, r, pathOf(routes.exportStaffAudit, { staffId: STAFF.teacher.oid })),
  },
  uploadFile: {
    // A file kept with one's own unsent form: anyone may, and it is no record yet (kept on the form, audited when it is recorded).
    expect: () => "allow",
    audited: { none: "a draft's file is no record until the form is submitted" },
    perRole: true,
    attempt: (c, r) =>
      byStatus(c, r, `${routes.uploadFile.path}?submissionId=${randomUUID()}&name=note.txt`, {
        method: "POST",
        body: NOTE,
        headers: { "content-type": "application/octet-stream" },
      }),
  },
  listDraftFiles: {
    list: true,
    // Someone else's form lists as an unknown one (test/security/api-not-found.test.ts): only the raiser sees its files.
    expect: (r) => (r === RAISER ? "allow" : "not-found"),
    audited: { none: "a draft's files are no record until the form is submitted" },
    perRole: true,
    attempt: (c, r) => inList(c, r, `${routes.listDraftFiles.path}?submissionId=${c.raiserDraft}`, (b) => b.files.length > 0),
  },
  addCaseEntry: {
    expect: (r) => (addsCaseEntries(r) ? "allow" : "forbidden"),
    audited: "case-entry.recorded",
    perRole: true,
    attempt: (c, r) => byStatus(c, r, pathOf(routes.addCaseEntry, { pupilId: c.made.protected.pupilId }), json(phoneCall())),
  },
  recordReferralOutcome: {
    expect: (r) => (addsCaseEntries(r) ? "allow" : "forbidden"),
    audited: "case-entry.recorded",
    perRole: true,
    attempt: async (c, r) => {
      const pupilId = c.made.protected.pupilId;
      const referralId = await dslMade(
        c,
        pathOf(routes.addCaseEntry, { pupilId }),
        { kind: "referral", requestId: `matrix-${randomUUID()}`, occurredAt: minutesAgo(30), agencyId: "social-care", contact: "MASH duty desk" },
        (b) => b.entry.id,
      );
      return byStatus(
        c,
        r,
        pathOf(routes.recordReferralOutcome, { pupilId, referralId }),
        json({ outcome: "Accepted for assessment.", occurredAt: minutesAgo(1) }),
      );
    },
  },
  downloadCaseEntryFile: {
    // A document on a pupil's file is casework: to anyone but the team it is not there.
    expect: (r) => (downloadsCaseEntryFiles(r) ? "allow" : "not-found"),
    audited: "file.downloaded",
    perRole: true,
    attempt: async (c, r) =>
      byStatus(c, r, pathOf(routes.downloadCaseEntryFile, { pupilId: c.made.protected.pupilId, caseEntryId: await documentOf(c) })),
  },
  markTask: {
    // A fresh standard record: SLT reads it but not the action; the teacher tagged in the action sees it but may not mark it.
    expect: marksTask,
    audited: "task.marked",
    perRole: true,
    attempt: async (c, r) => {
      const m = await c.fresh("standard");
      const actionId = await dslMade(
        c,
        pathOf(routes.addAction, { incidentId: m.incidentId }),
        {
          requestId: `matrix-task-${randomUUID()}`,
          text: "Ring the family about attendance.",
          occurredAt: minutesAgo(1),
          task: { ownerStaffId: STAFF[TASK_OWNER].oid, dueOn: new Date().toISOString().slice(0, 10) },
          taggedStaffIds: [STAFF[TASK_TAGGED].oid],
        },
        (b) => b.action.id,
      );
      return byStatus(c, r, pathOf(routes.markTask, { incidentId: m.incidentId, actionId }), json({ done: true, version: 0 }));
    },
  },
  listMyActions: {
    // Everyone has a list of the tasks they own (it may be empty); each row's record is one the owner may open.
    expect: () => "allow",
    audited: "actions.listed",
    perRole: true,
    attempt: (c, r) => byStatus(c, r, routes.listMyActions.path),
  },
  getHome: {
    expect: () => "allow",
    audited: { none: "the home page holds counts only, no record" },
    perRole: true,
    attempt: (c, r) => byStatus(c, r, routes.getHome.path),
  },
  getHomeList: {
    // Each role asks for a list on its own home page.
    expect: () => "allow",
    audited: "home.listed",
    perRole: true,
    attempt: (c, r) => byStatus(c, r, pathOf(routes.getHomeList, { list: homeListFor(r) })),
  },
  getGovernorsSummary: {
    expect: (r) => (readsGovernorsSummary(r) ? "allow" : "forbidden"),
    audited: REPORT_VIEW_EVENTS.governorsSummary,
    perRole: true,
    attempt: (c, r) => byStatus(c, r, `${routes.getGovernorsSummary.path}?${summaryQuery()}`),
  },
  exportGovernorsSummaryPdf: {
    expect: (r) => (readsGovernorsSummary(r) ? "allow" : "forbidden"),
    audited: REPORT_VIEW_EVENTS.governorsSummaryPdf,
    perRole: true,
    attempt: (c, r) => byStatus(c, r, `${routes.exportGovernorsSummaryPdf.path}?${summaryQuery()}`),
  },
  listSubjectAccessRequests: {
    expect: (r) => (handlesSubjectAccess(r) ? "allow" : "forbidden"),
    audited: "subject-access.listed",
    perRole: true,
    attempt: (c, r) => byStatus(c, r, routes.listSubjectAccessRequests.path),
  },
  openSubjectAccessRequest: {
    expect: (r) => (handlesSubjectAccess(r) ? "allow" : "forbidden"),
    audited: "subject-access.opened",
    perRole: true,
    attempt: (c, r) => byStatus(c, r, routes.openSubjectAccessRequest.path, json(sarBody(c))),
  },
  extendSubjectAccessRequest: {
    expect: (r) => (handlesSubjectAccess(r) ? "allow" : "forbidden"),
    audited: "subject-access.extended",
    perRole: true,
    attempt: async (c, r) =>
      byStatus(
        c,
        r,
        pathOf(routes.extendSubjectAccessRequest, { requestId: await freshSar(c) }),
        json({ reason: "Many records across several years." }),
      ),
  },
  previewSubjectAccessPack: {
    expect: (r) => (handlesSubjectAccess(r) ? "allow" : "forbidden"),
    audited: "subject-access.previewed",
    perRole: true,
    attempt: async (c, r) => byStatus(c, r, pathOf(routes.previewSubjectAccessPack, { requestId: await freshSar(c) }), json({ passages: [] })),
  },
  approveSubjectAccessPack: {
    expect: (r) => (handlesSubjectAccess(r) ? "allow" : "forbidden"),
    audited: "subject-access.approved",
    perRole: true,
    attempt: async (c, r) => byStatus(c, r, pathOf(routes.approveSubjectAccessPack, { requestId: await freshSar(c) }), json({ passages: [] })),
  },
  exportSubjectAccessPackPdf: {
    expect: (r) => (handlesSubjectAccess(r) ? "allow" : "forbidden"),
    audited: "subject-access.exported",
    perRole: true,
    attempt: async (c, r) => {
      const requestId = await freshSar(c);
      const packId = await dslMade(c, pathOf(routes.approveSubjectAccessPack, { requestId }), { passages: [] }, (b) => b.pack.id);
      return byStatus(c, r, pathOf(routes.exportSubjectAccessPackPdf, { requestId, packId }));
    },
  },
  // Early warning (issue 9): the team's alone. The matrix school has no firing, so the team's review finds none.
  listEarlyWarnings: {
    list: true,
    expect: teamOnly,
    audited: "early-warning.listed",
    perRole: true,
    attempt: (c, r) => byStatus(c, r, routes.listEarlyWarnings.path),
  },
  reviewEarlyWarning: {
    expect: (r) => (safeguardingTeam(r) ? "not-found" : "forbidden"),
    audited: "early-warning.reviewed",
    perRole: true,
    attempt: (c, r) =>
      byStatus(
        c,
        r,
        pathOf(routes.reviewEarlyWarning, { pupilId: c.made.standard.pupilId, firingId: `ew:${c.made.standard.pupilId}:any-concerns:none` }),
        json({ note: "Reviewed." }),
      ),
  },
};

const NOTE = Buffer.from("Note from the playground: pupil was upset.\n");

function concernBody(s: Sensitivity, pupilId: string, submissionId: string, occurredAt = new Date(Date.now() - 3600_000).toISOString()) {
  return {
    submissionId,
    source: "tab",
    pupilId,
    occurredAt,
    account: "Was upset at lunch and would not say why.",
    categoryIds: [s === "protected" ? "safeguarding" : "behaviour"],
    toldDslInPerson: "yes",
    alertStaffIds: [STAFF["admin staff"].oid],
    ...(s === "allegation" ? { allegationAgainstStaff: { staffIds: [STAFF["named adult"].oid] } } : {}),
  };
}

describe("access matrix: every record route x every role x every sensitivity, as the README says", function () {
  this.timeout(300_000);
  const ctx = {} as Ctx;
  let keepsafe: TestKeepsafe;
  const records = () => keepsafe.service["deps"].records;

  /** The DSL raises a record with a file; on a protected one the alerted admin then tags the teacher (kept pending). */
  async function make(s: Sensitivity, pupilId: string, occurredAt?: string) {
    const dsl = await keepsafe.tokenFor(STAFF.DSL);
    const submissionId = randomUUID();
    const up = await keepsafe.api(`/api/files?submissionId=${submissionId}&name=note.txt`, dsl, {
      method: "POST",
      body: NOTE,
      headers: { "content-type": "application/octet-stream" },
    });
    assert.equal(up.status, 201);
    const res = await keepsafe.api("/api/incidents", dsl, json(concernBody(s, pupilId, submissionId, occurredAt)));
    assert.equal(res.status, 201, await res.clone().text());
    const incidentId = ((await res.json()) as any).incident.id as string;
    const incident = (await records().getIncident(incidentId))!;
    const tagger = s === "protected" ? STAFF["admin staff"] : STAFF.DSL;
    const added = await keepsafe.api(
      `/api/incidents/${incidentId}/actions`,
      await keepsafe.tokenFor(tagger),
      json({
        requestId: `matrix-tag-${randomUUID()}`,
        text: "Asked the class teacher to keep an eye.",
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        taggedStaffIds: s === "protected" ? [STAFF.teacher.oid] : [],
      }),
    );
    assert.equal(added.status, 201, await added.clone().text());
    return {
      incidentId,
      pupilId,
      fileId: incident.files![0].fileId,
      day: incident.occurredAt.slice(0, 10),
      pendingActionId: ((await added.json()) as any).action.id as string,
    };
  }

  before(async () => {
    keepsafe = await startTestKeepsafe();
    ctx.keepsafe = keepsafe;
    // Year 5 pupils: the head of year's scope (test/access/scoped-roles.test.ts covers the pupils outside it).
    ctx.pupils = (await keepsafe.service["deps"].schools.listPupils(DEMO_SCHOOL_ID)).filter((p) => p.yearGroup === "Year 5").map((p) => p.id);
    // Each on its own pupil and its own day (noon UTC, some days back), so chronologies and reports tell them apart.
    const day = (n: number) =>
      new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - n, 12)).toISOString();
    ctx.made = {} as Ctx["made"];
    for (const [i, s] of SENSITIVITIES.entries()) ctx.made[s] = await make(s, ctx.pupils[i], day(10 + i));
    ctx.fresh = (s) => make(s, ctx.pupils[4]);
    ctx.raiserDraft = randomUUID();
    await keepsafe.api(`/api/files?submissionId=${ctx.raiserDraft}&name=note.txt`, await keepsafe.tokenFor(STAFF.DSL), {
      method: "POST",
      body: NOTE,
      headers: { "content-type": "application/octet-stream" },
    });
  });
  after(async () => keepsafe?.cleanup());

  it("has a request for every route of the contract that reads or writes a record (a new route cannot escape it)", () => {
    const missing = ROUTE_LIST.filter((r) => r.record && !Object.hasOwn(PROBES, r.id)).map((r) => r.id);
    assert.deepEqual(missing, [], "add these routes to PROBES in test/access/access-matrix.test.ts");
  });

  for (const route of ROUTE_LIST.filter((r) => r.record)) {
    const probe = Object.hasOwn(PROBES, route.id) ? PROBES[route.id as RouteId] : undefined;
    if (!probe) continue;
    describe(`${route.method} ${route.path}`, () => {
      for (const role of MATRIX_ROLES) {
        for (const s of probe.perRole ? (["standard"] as const) : SENSITIVITIES) {
          const expected = probe.expect(role, s);
          it(`${role}${probe.perRole ? "" : `, ${s}`}: ${expected}, audited`, async () => {
            const who = STAFF[role].oid;
            const trail = async () => records().auditForStaff(DEMO_SCHOOL_ID, who, 1000);
            const before = new Set((await trail()).map((e) => e.id));
            assert.equal(await probe.attempt(ctx, role, s), expected);
            const fresh = (await trail()).filter((e) => !before.has(e.id)).map((e) => e.type);
            // A list answered without the record is still a view; a refusal is access.refused; an invalid request did nothing.
            const viewed = expected === "allow" || (probe.list && expected === "not-found");
            if (viewed && typeof probe.audited === "string") assert.ok(fresh.includes(probe.audited), `audited as ${probe.audited}: ${fresh}`);
            if (!viewed && expected !== "invalid") assert.ok(fresh.includes("access.refused"), `a refusal is audited as access.refused: ${fresh}`);
          });
        }
      }
    });
  }
});

/**
 * Subject access requests, for the safeguarding team: open one (the deadline is one calendar
 * month from receipt), extend it once by two months, preview the pack with its redactions, approve
 * it (the pack, its redactions and its approver are kept as they were approved) and export the
 * approved pack as a PDF in which redacted text is removed. Every step is audited against the pupil.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/actor.js";
import { NotFoundError, ValidationError } from "../domain/errors.js";
import type { AuditEvent } from "../domain/incident.js";
import { assertCanHandleSubjectAccess } from "../domain/policy/index.js";
import { dateIn } from "../domain/school-clock.js";
import { pupilDisplayName, type School } from "../domain/school.js";
import { daysUntil, sarDeadline, type SubjectAccessRecord } from "../domain/subject-access.js";
import { calendarOf } from "../domain/school-calendar.js";
import { DEFAULT_SAR_ALERT_DAYS, firstSarWatch, sarDueSoon } from "../domain/subject-access-watch.js";
import { formatWallClock } from "../domain/wall-clock.js";
import type { ChronologyRenderer } from "../ports/chronology-document.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import type { Clock } from "../ports/clock.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { SubjectAccessStore } from "../ports/subject-access-store.js";
import type { OpenSubjectAccessBody, SubjectAccessPassagesBody } from "../contract/subject-access-inputs.js";
import type { SarPreview, SarRequestView } from "../contract/subject-access-views.js";
import { auditOrigin } from "./audit-origin.js";
import { auditRefusal } from "./incident-access.js";
import { packCaseEntries, type EntryChoice } from "./subject-access-case-entries.js";
import { packSource, redactBlocks, redactionTerms, type PreviewBlock } from "./subject-access-pack.js";

export interface SubjectAccessDeps {
  schools: SchoolStore;
  records: RecordStore;
  clock: Clock;
  subjectAccess?: SubjectAccessStore;
  caseEntries?: CaseEntryStore;
  renderChronology?: ChronologyRenderer;
}

export class SubjectAccessRequests {
  constructor(private readonly deps: SubjectAccessDeps) {}

  async open(actor: Actor, body: OpenSubjectAccessBody): Promise<{ request: SarRequestView }> {
    await this.assertMay(actor, async () => (await this.deps.schools.getPupil(actor.schoolId, body.pupilId))?.id);
    const [school, pupil] = await Promise.all([this.school(actor), this.deps.schools.getPupil(actor.schoolId, body.pupilId)]);
    if (!pupil) throw NotFoundError("The pupil");
    if (body.receivedOn > this.today(school)) throw ValidationError([{ field: "receivedOn", message: "A request cannot be received after today." }]);
    const now = this.deps.clock.now().toISOString();
    const request = {
      id: `sar-${randomUUID()}`,
      schoolId: actor.schoolId,
      pupilId: pupil.id,
      requester: body.requester,
      relationship: body.relationship,
      receivedOn: body.receivedOn,
      openedBy: actor.staffId,
      openedAt: now,
    };
    // The deadline job's watch, first due on the school day the team is first alerted.
    const deadline = sarDeadline(request.receivedOn, false);
    const watch = firstSarWatch(request, calendarOf(school), deadline, this.today(school), alertDaysOf(school), school.timeZone);
    await this.store().openRequest(
      request,
      this.auditEvent(actor, "subject-access.opened", pupil.id, { requestId: request.id, relationship: body.relationship }),
      watch,
    );
    return { request: this.view(school, { request, extensions: [], packs: [] }, pupilDisplayName(pupil)) };
  }

  async list(actor: Actor): Promise<{ requests: SarRequestView[] }> {
    await this.assertMay(actor, async () => undefined);
    const [school, found, staff] = await Promise.all([
      this.school(actor),
      this.store().listForSchool(actor.schoolId),
      this.deps.schools.listStaff(actor.schoolId),
    ]);
    const pupils = new Map(
      (await this.deps.schools.getPupils(actor.schoolId, [...new Set(found.map((r) => r.request.pupilId))])).map((p) => [p.id, p]),
    );
    const names = new Map(staff.map((s) => [s.id, s.displayName]));
    // The list names pupils: who looked is kept.
    // Of no one pupil: the event is kept against the school (no pupilId), with how many were shown.
    const { pupilId: _ofNoPupil, ...listed } = this.auditEvent(actor, "subject-access.listed", "", { shown: found.length });
    await this.deps.records.appendAudit(listed);
    return {
      requests: found.map((r) =>
        this.view(school, r, pupils.has(r.request.pupilId) ? pupilDisplayName(pupils.get(r.request.pupilId)!) : "Former pupil", names),
      ),
    };
  }

  /** Extends a complex request once, by two months; extending again keeps the first. */
  async extend(actor: Actor, requestId: string, reason: string): Promise<{ request: SarRequestView }> {
    const { school, record } = await this.request(actor, requestId);
    const { request } = record;
    if (!record.extensions.length) {
      const extension = {
        id: `${request.id}:extension`,
        requestId: request.id,
        schoolId: request.schoolId,
        pupilId: request.pupilId,
        reason,
        by: actor.staffId,
        at: this.deps.clock.now().toISOString(),
      };
      // The reason may name people: it stays in the document, the audit holds only ids.
      if (await this.store().extend(extension, this.auditEvent(actor, "subject-access.extended", request.pupilId, { requestId: request.id })))
        record.extensions.push(extension);
    }
    const [pupil, staff] = await Promise.all([
      this.deps.schools.getPupil(actor.schoolId, request.pupilId),
      this.deps.schools.listStaff(actor.schoolId),
    ]);
    return { request: this.view(school, record, pupil ? pupilDisplayName(pupil) : "Former pupil", new Map(staff.map((s) => [s.id, s.displayName]))) };
  }

  /** The pack as it stands, with what will be cut and why; viewing it is audited. */
  async preview(actor: Actor, requestId: string, body: SubjectAccessPassagesBody): Promise<SarPreview> {
    const { school, record } = await this.request(actor, requestId);
    const { blocks, choices } = await this.redactedPack(actor, school, record, body);
    await this.deps.records.appendAudit(
      this.auditEvent(actor, "subject-access.previewed", record.request.pupilId, {
        requestId,
        blocks: blocks.length,
        excludedEntries: body.excludedEntries.length,
      }),
    );
    return {
      blocks: blocks.map(({ id, heading, text, released, redactions }) => ({
        id,
        heading,
        text,
        released,
        redactions: redactions.map(({ start, end, reason }) => ({ start, end, reason })),
      })),
      entries: choices,
    };
  }

  /** Keeps the pack as approved now: its released text, every redaction and who approved it. */
  async approve(actor: Actor, requestId: string, body: SubjectAccessPassagesBody) {
    const { school, record } = await this.request(actor, requestId);
    const { blocks, choices } = await this.redactedPack(actor, school, record, body);
    const redactions = blocks.flatMap((b) => b.redactions);
    // Kept with the pack (ids only, once each), so what was left out and why it is missing can be shown later.
    const excludedEntryIds = choices.filter((c) => !c.included).map((c) => c.id);
    const pack = {
      id: `pack-${randomUUID()}`,
      requestId,
      schoolId: actor.schoolId,
      pupilId: record.request.pupilId,
      approvedBy: actor.staffId,
      approvedAt: this.deps.clock.now().toISOString(),
      blocks: blocks.map(({ id, heading, released }) => ({ id, heading, text: released })),
      redactions,
      excludedEntryIds,
    };
    await this.store().savePack(
      pack,
      this.auditEvent(actor, "subject-access.approved", pack.pupilId, {
        requestId,
        packId: pack.id,
        blocks: pack.blocks.length,
        redactions: redactions.length,
        passages: body.passages.length,
        excludedEntries: excludedEntryIds,
      }),
    );
    return { pack: { id: pack.id, approvedAt: pack.approvedAt, blocks: pack.blocks.length, redactions: redactions.length } };
  }

  /** The approved pack as a PDF, drawn from the kept text (never rebuilt), watermarked for its requester. */
  async exportPdf(actor: Actor, requestId: string, packId: string) {
    const { school, record } = await this.request(actor, requestId);
    const pack = record.packs.find((p) => p.id === packId);
    if (!pack) throw NotFoundError("The pack");
    const pupil = await this.deps.schools.getPupil(actor.schoolId, record.request.pupilId);
    const render = this.deps.renderChronology;
    if (!render) throw new Error("Keepsafe was started without a PDF renderer.");
    const when = (iso: string) => formatWallClock(iso, school.timeZone);
    const now = this.deps.clock.now().toISOString();
    // No staff names anywhere in the pack, the watermark included: the approver is kept in the audit.
    const pdf = await render({
      title: "Subject access request",
      schoolName: school.name,
      pupilLine: `Records of ${pupil ? pupilDisplayName(pupil) : "a former pupil"}${pupil ? ` · born ${pupil.dateOfBirth}` : ""}`,
      periodLine: `Requested by ${record.request.requester} (${record.request.relationship}), received ${record.request.receivedOn}; approved ${when(pack.approvedAt)}. Redacted text is shown as [redacted].`,
      watermark: `Released to ${record.request.requester} · ${record.request.id} · exported ${when(now)}`,
      entries: pack.blocks.map((b) => ({ heading: b.heading, lines: b.text.split("\n"), actions: [] })),
    });
    await this.deps.records.appendAudit(this.auditEvent(actor, "subject-access.exported", record.request.pupilId, { requestId, packId }));
    return { pdf, filename: `subject-access-${pupil?.upn ?? "pupil"}-${pack.approvedAt.slice(0, 10)}.pdf` };
  }

  private async redactedPack(
    actor: Actor,
    school: School,
    record: SubjectAccessRecord,
    body: SubjectAccessPassagesBody,
  ): Promise<{ blocks: PreviewBlock[]; choices: EntryChoice[] }> {
    const [roll, staff] = await Promise.all([this.deps.schools.listPupils(actor.schoolId), this.deps.schools.listStaff(actor.schoolId)]);
    const subject = roll.find((p) => p.id === record.request.pupilId);
    if (!subject) throw NotFoundError("The pupil");
    const source = await packSource(this.deps.records, actor, school, subject.id);
    const when = (iso: string) => formatWallClock(iso, school.timeZone);
    const entries = await packCaseEntries(this.deps.caseEntries, actor, subject.id, when, body.excludedEntries);
    source.blocks.push(...entries.blocks);
    const terms = redactionTerms(subject, roll, source.linkedPupilIds, staff, entries.outsidePeople);
    return { blocks: redactBlocks(source.blocks, terms, body.passages), choices: entries.choices };
  }

  /** A refusal is audited (against the pupil when the request names one) before it is answered. */
  private async assertMay(actor: Actor, pupilOf: () => Promise<string | undefined>) {
    try {
      assertCanHandleSubjectAccess(actor);
    } catch (refusal) {
      const pupilId = await pupilOf();
      await auditRefusal(this.deps, actor, pupilId ? { pupilId } : {}, "subject-access");
      throw refusal;
    }
  }

  private async request(actor: Actor, requestId: string) {
    await this.assertMay(actor, async () => (await this.store().get(actor.schoolId, requestId))?.request.pupilId);
    const [school, record] = await Promise.all([this.school(actor), this.store().get(actor.schoolId, requestId)]);
    if (!record) throw NotFoundError("The request");
    return { school, record };
  }

  private view(school: School, r: SubjectAccessRecord, pupilName: string, staffNames = new Map<string, string>()): SarRequestView {
    const extended = r.extensions.length > 0;
    const deadline = sarDeadline(r.request.receivedOn, extended);
    const daysLeft = daysUntil(this.today(school), deadline);
    const released = r.packs.length > 0;
    return {
      id: r.request.id,
      pupil: { id: r.request.pupilId, displayName: pupilName },
      requester: r.request.requester,
      relationship: r.request.relationship,
      receivedOn: r.request.receivedOn,
      deadline,
      extended,
      daysLeft,
      dueSoon: !released && sarDueSoon(calendarOf(school), deadline, this.today(school), alertDaysOf(school)),
      status: released ? "released" : "open",
      packs: r.packs.map((p) => ({ id: p.id, approvedAt: p.approvedAt, approvedBy: staffNames.get(p.approvedBy) ?? "Former member of staff" })),
    };
  }

  private today = (school: School) => dateIn(this.deps.clock.now(), school.timeZone);

  private store(): SubjectAccessStore {
    if (!this.deps.subjectAccess) throw new Error("Keepsafe was started without a subject access store.");
    return this.deps.subjectAccess;
  }

  private async school(actor: Actor): Promise<School> {
    const school = await this.deps.schools.getSchool(actor.schoolId);
    if (!school) throw NotFoundError("The school");
    return school;
  }

  private auditEvent(actor: Actor, type: AuditEvent["type"], pupilId: string, detail: AuditEvent["detail"]): AuditEvent {
    return {
      id: `audit:${randomUUID()}`,
      schoolId: actor.schoolId,
      pupilId,
      type,
      actorStaffId: actor.staffId,
      at: this.deps.clock.now().toISOString(),
      detail,
      ...auditOrigin(actor),
    };
  }
}

/** School days before the deadline that the team is first alerted (school setup). */
export const alertDaysOf = (school: School) => school.subjectAccessAlertDays ?? DEFAULT_SAR_ALERT_DAYS;

// A stand-in for Keepsafe's /api, with fixed made-up records, for the tab's browser tests.
// It checks bearer tokens the way the real API will: an unknown or expired token
// gets a plain 401, and a token without MFA (when MFA is required) gets the
// conditional-access challenge `error="insufficient_claims"`.
// Its answers go through the contract's response schemas (answer()), so it cannot drift from what
// the real server sends and the tab parses.
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as zm from "zod/mini";
import { routes, type RouteDef } from "../../../src/contract/routes.js";

export interface StandInApiOptions {
  validTokens: string[];
  /** If set, only these tokens pass; the other valid ones get the MFA challenge. */
  mfaTokens?: string[];
}

export interface ApiCall {
  method: string;
  path: string;
  token?: string;
}

const pupils = [
  { id: "p-1", displayName: "Ada Lovelace", yearGroup: "Year 5", className: "5 Oak", flags: ["CP", "SEND", "PPG"] },
  { id: "p-2", displayName: "Adam Smith", yearGroup: "Year 3", className: "3 Ash", flags: [] },
  { id: "p-3", displayName: "Bea Brown", yearGroup: "Year 5", className: "5 Oak", flags: ["LAC"] },
];

const incident = {
  id: "inc-2",
  reference: "KS-0002",
  pupilId: "p-1",
  occurredAt: "2025-03-04T12:15:00Z",
  recordedAt: "2025-03-04T13:02:00Z",
  session: "Lunch",
  location: "Playground",
  account: 'A.L. said: "I don\'t want to go home tonight." I listened, did not ask leading questions, and told the DSL in person at 12:25.',
  categoryIds: ["safeguarding"],
  categoryNames: ["Safeguarding"],
  subCategoryNames: ["Emotional abuse"],
  raisedBy: { staffId: "s-9", name: "Mr Teacher" },
  status: "active",
  urgent: true,
  source: "bot",
  linkedPupils: [{ pupilId: "p-3", displayName: "Bea Brown", part: "witness", partLabel: "Witness" }],
  subCategories: [{ categoryName: "Safeguarding", name: "Emotional abuse" }],
  categoryFields: [],
  disclosure: true,
  files: [],
};

export class StandInApi {
  readonly calls: ApiCall[] = [];
  acknowledgedAt?: string;

  constructor(private readonly options: StandInApiOptions) {}

  /** Answers /api/* requests; returns false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (!url.pathname.startsWith("/api/")) return false;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    this.calls.push({ method: req.method ?? "GET", path: url.pathname + url.search, token });

    if (!token || !this.options.validTokens.includes(token)) {
      res.setHeader("WWW-Authenticate", 'Bearer error="invalid_token"');
      return send(res, 401, { error: { code: "unauthenticated", message: "Sign in again." } });
    }
    if (this.options.mfaTokens && !this.options.mfaTokens.includes(token)) {
      const claims = Buffer.from(JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } })).toString("base64");
      res.setHeader(
        "WWW-Authenticate",
        `Bearer realm="", authorization_uri="https://login.example.invalid/common/oauth2/authorize", error="insufficient_claims", claims="${claims}"`,
      );
      return send(res, 401, { error: { code: "mfa_required", message: "A second sign-in step is needed." } });
    }

    const path = url.pathname;
    if (req.method === "GET" && path === "/api/me") {
      return answer(res, routes.getMe, {
        staffId: "s-1",
        name: "Dee Esel",
        role: "DSL",
        mfa: true,
        school: { id: "sch-1", name: "Oakfield Primary" },
        idleHideMinutes: 5,
      });
    }
    if (req.method === "GET" && path === "/api/my/concerns") {
      return answer(res, routes.listMyConcerns, { concerns: [], truncated: false });
    }
    if (req.method === "GET" && path === "/api/home") {
      return answer(res, routes.getHome, {
        kind: "safeguarding",
        counts: [{ list: "unread", label: "Unread alerts to you", count: 0, more: false }],
      });
    }
    if (req.method === "GET" && path === "/api/pupils") {
      const query = (url.searchParams.get("query") ?? "").toLowerCase();
      return answer(res, routes.searchPupils, { pupils: pupils.filter((p) => p.displayName.toLowerCase().includes(query)) });
    }
    if (req.method === "GET" && path === "/api/pupils/p-1/chronology") {
      return answer(res, routes.getChronology, {
        pupil: { ...pupils[0], dateOfBirth: "2015-06-01" },
        entries: [
          entry("inc-1", "KS-0001", "2025-01-10T09:00:00Z", ["Behaviour"], "closed", 0, "subject"),
          entry("inc-2", "KS-0002", "2025-03-04T12:15:00Z", ["Safeguarding"], "active", this.acknowledgedAt ? 0 : 1, "subject"),
          entry("inc-3", "KS-0003", "2025-02-20T15:30:00Z", ["Bullying"], "active", 0, "alleged-victim"),
        ],
      });
    }
    if (req.method === "GET" && path === "/api/incidents/inc-2") {
      return answer(res, routes.getIncident, {
        incident,
        pupil: pupils[0],
        alerts: [
          { staffId: "s-1", name: "Dee Esel", ...(this.acknowledgedAt ? { acknowledgedAt: this.acknowledgedAt } : {}) },
          { staffId: "s-2", name: "Dep Uty", acknowledgedAt: "2025-03-04T13:30:00Z" },
        ],
        myAlert: this.acknowledgedAt ? { acknowledgedAt: this.acknowledgedAt } : {},
        actions: [],
      });
    }
    if (req.method === "GET" && path === "/api/form-options") {
      return answer(res, routes.getFormOptions, {
        categories: [],
        alertGroups: [],
        locations: [],
        sessions: [],
        timeZone: "Europe/London",
        now: new Date().toISOString(),
        staff: [
          { id: "s-1", name: "Dee Esel", role: "DSL" },
          { id: "s-9", name: "Mr Teacher", role: "STAFF" },
        ],
      });
    }
    if (req.method === "POST" && path === "/api/incidents/inc-2/acknowledge") {
      this.acknowledgedAt ??= "2025-03-05T08:45:00Z";
      return answer(res, routes.acknowledgeAlert, { alert: { staffId: "s-1", acknowledgedAt: this.acknowledgedAt } });
    }
    return send(res, 404, { error: { code: "not_found", message: "No such record." } });
  }
}

function entry(
  incidentId: string,
  reference: string,
  occurredAt: string,
  categoryNames: string[],
  status: string,
  unacknowledgedAlerts: number,
  part: string,
) {
  return {
    kind: "incident",
    incidentId,
    reference,
    part,
    occurredAt,
    recordedAt: occurredAt,
    categoryIds: categoryNames.map((n) => n.toLowerCase()),
    categoryNames,
    raisedBy: { staffId: "s-9", name: "Mr Teacher" },
    summary: "Made-up test record",
    status,
    unacknowledgedAlerts,
    unreadByYou: false,
    urgent: false,
  };
}

/** Sends a route's 200 answer, after checking it against the route's schema in the contract. */
function answer(res: ServerResponse, route: RouteDef, body: unknown): true {
  const parsed = (route.responses[200] as zm.ZodMiniType).safeParse(body);
  if (!parsed.success) throw new Error(`The stand-in's answer to ${route.id} does not match the contract: ${parsed.error.message}`);
  return send(res, 200, body);
}

function send(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
  return true;
}

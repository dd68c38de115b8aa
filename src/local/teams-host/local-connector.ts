/**
 * A stand-in for the Bot Framework connector service that Teams runs.
 *
 * In local mode the chat pane gives the bot `serviceUrl = <origin>/local-connector/`, so every reply,
 * update and delete the bot makes lands here instead of on smba.trafficmanager.net. The store is plain
 * node (no restify) so tests and the end-to-end suite can read what the bot "sent to Teams".
 *
 * Paths handled (relative to the serviceUrl), as botbuilder's ConnectorClient calls them:
 *   POST   v3/conversations                                    create a 1:1 conversation (proactive)
 *   POST   v3/conversations/{id}/activities[/{replyToId}]      send / reply
 *   PUT    v3/conversations/{id}/activities/{activityId}       update (card refresh)
 *   DELETE v3/conversations/{id}/activities/{activityId}
 *   GET    v3/conversations/{id}/members[/{memberId}], pagedmembers   (TeamsInfo.getMember)
 * and for the host page:
 *   GET    conversations/{id}/activities?after=N               change log since N
 *   POST   conversations/{id}/user-activities                  record what the tester typed
 */

export interface ConnectorStaff {
  oid: string;
  displayName: string;
  email?: string;
}

export type Activity = Record<string, unknown> & { id?: string; type?: string };

/** One change to a conversation's transcript. The page replays these in order. */
export interface TranscriptEntry {
  seq: number;
  op: "create" | "update" | "delete";
  from: "bot" | "user";
  activity: Activity;
}

export interface ConnectorRequest {
  method: string;
  /** Path below the connector root, without a leading slash, still URL-encoded. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

export interface ConnectorResponse {
  status: number;
  body?: unknown;
}

export interface LocalConnector {
  handle(req: ConnectorRequest): ConnectorResponse;
  /** The bot's activities in a conversation as they stand now (updates applied, deletes removed). */
  activities(conversationId: string): Activity[];
  /** The raw change log after `after` (exclusive). */
  entries(conversationId: string, after?: number): TranscriptEntry[];
  recordUserActivity(conversationId: string, activity: Activity): TranscriptEntry;
  /** Resolves with the first bot activity (existing or future) that matches. */
  waitForActivity(conversationId: string, match: (a: Activity) => boolean, timeoutMs?: number): Promise<Activity>;
  clear(): void;
}

export interface LocalConnectorOptions {
  staff?: ConnectorStaff[];
  tenantId?: string;
  /** Keeps memory bounded when a tester leaves the page open all day. */
  maxEntriesPerConversation?: number;
}

export const conversationIdFor = (oid: string) => `local-${oid}`;

export function createLocalConnector(options: LocalConnectorOptions = {}): LocalConnector {
  const maxEntries = options.maxEntriesPerConversation ?? 2000;
  const log = new Map<string, TranscriptEntry[]>();
  const waiters = new Set<() => void>();
  let seq = 0;
  let nextId = 0;

  const newId = () => `local-activity-${Date.now().toString(36)}-${(nextId++).toString(36)}`;

  function append(conversationId: string, entry: Omit<TranscriptEntry, "seq">): TranscriptEntry {
    const list = log.get(conversationId) ?? [];
    const full = { seq: ++seq, ...entry };
    list.push(full);
    if (list.length > maxEntries) list.splice(0, list.length - maxEntries);
    log.set(conversationId, list);
    for (const wake of [...waiters]) wake();
    return full;
  }

  function activities(conversationId: string): Activity[] {
    const current = new Map<string, Activity>();
    for (const e of log.get(conversationId) ?? []) {
      if (e.from !== "bot") continue;
      const id = String(e.activity.id);
      if (e.op === "delete") current.delete(id);
      else current.set(id, e.activity);
    }
    return [...current.values()];
  }

  function member(memberId: string) {
    const oid = memberId.replace(/^29:/, "");
    const staff = options.staff?.find((s) => s.oid === oid || s.oid === memberId);
    if (!staff) return undefined;
    return {
      id: `29:${staff.oid}`,
      aadObjectId: staff.oid,
      name: staff.displayName,
      givenName: staff.displayName.split(" ")[0],
      email: staff.email,
      userPrincipalName: staff.email,
      tenantId: options.tenantId,
      userRole: "user",
    };
  }

  function handle(req: ConnectorRequest): ConnectorResponse {
    const method = req.method.toUpperCase();
    const parts = req.path
      .replace(/^\/+|\/+$/g, "")
      .split("/")
      .map((p) => decodeURIComponent(p));
    const body = (req.body && typeof req.body === "object" ? req.body : {}) as Activity;

    // Host page routes.
    if (parts[0] === "conversations" && parts.length === 3) {
      const conversationId = parts[1];
      if (method === "GET" && parts[2] === "activities") {
        const after = Number(req.query?.after ?? 0) || 0;
        const list = entries(conversationId, after);
        return { status: 200, body: { entries: list, last: list.length ? list[list.length - 1].seq : after } };
      }
      if (method === "POST" && parts[2] === "user-activities") {
        return { status: 200, body: recordUserActivity(conversationId, body) };
      }
    }

    if (parts[0] !== "v3" || parts[1] !== "conversations") return { status: 404, body: notFound() };
    const conversationId = parts[2];

    if (!conversationId && method === "POST") {
      // createConversation: Teams returns the existing 1:1 chat with that user.
      const members = (body.members as { id?: string }[] | undefined) ?? [];
      const first = members[0]?.id?.replace(/^29:/, "");
      if (!first) return { status: 400, body: { error: { code: "BadArgument", message: "members is required" } } };
      return { status: 201, body: { id: conversationIdFor(first), activityId: undefined } };
    }

    if (parts[3] === "activities") {
      const activityId = parts[4];
      if (method === "POST") {
        const id = newId();
        const activity: Activity = { ...body, id, timestamp: new Date().toISOString() };
        if (activityId && !activity.replyToId) activity.replyToId = activityId;
        append(conversationId, { op: "create", from: "bot", activity });
        return { status: 200, body: { id } };
      }
      if (method === "PUT" && activityId) {
        append(conversationId, { op: "update", from: "bot", activity: { ...body, id: activityId } });
        return { status: 200, body: { id: activityId } };
      }
      if (method === "DELETE" && activityId) {
        append(conversationId, { op: "delete", from: "bot", activity: { id: activityId } });
        return { status: 200, body: {} };
      }
    }

    if (method === "GET" && (parts[3] === "members" || parts[3] === "pagedmembers")) {
      // A local 1:1 conversation id names its user, enough for TeamsInfo.getMembers().
      const oidFromConversation = conversationId.replace(/^local-/, "");
      if (parts[3] === "members" && parts[4]) {
        const m = member(parts[4]);
        return m ? { status: 200, body: m } : { status: 404, body: notFound("MemberNotFoundInConversation") };
      }
      const m = member(oidFromConversation);
      const list = m ? [m] : [];
      return { status: 200, body: parts[3] === "pagedmembers" ? { members: list } : list };
    }

    return { status: 404, body: notFound() };
  }

  function entries(conversationId: string, after = 0): TranscriptEntry[] {
    return (log.get(conversationId) ?? []).filter((e) => e.seq > after);
  }

  function recordUserActivity(conversationId: string, activity: Activity): TranscriptEntry {
    return append(conversationId, {
      op: "create",
      from: "user",
      activity: { ...activity, id: activity.id ?? newId(), timestamp: new Date().toISOString() },
    });
  }

  function waitForActivity(conversationId: string, match: (a: Activity) => boolean, timeoutMs = 10_000) {
    return new Promise<Activity>((resolve, reject) => {
      const check = () => {
        const found = activities(conversationId).find(match);
        if (!found) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching bot activity in ${conversationId} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  }

  return {
    handle,
    activities,
    entries,
    recordUserActivity,
    waitForActivity,
    clear: () => log.clear(),
  };
}

function notFound(code = "NotFound") {
  return { error: { code, message: "Not handled by the local connector" } };
}

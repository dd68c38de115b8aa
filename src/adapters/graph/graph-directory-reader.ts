/**
 * The EntraDirectoryReader port over Microsoft Graph v1.0, with an app-only token (application
 * permissions Application.Read.All and GroupMember.Read.All, aad.manifest.json):
 *
 * - GET /servicePrincipals(appId='{clientId}')?$select=id,appRoles resolves each appRoleId to its value;
 * - GET /servicePrincipals(appId='{clientId}')/appRoleAssignedTo lists the users and groups assigned;
 * - GET /groups/{id}/members|transitiveMembers/microsoft.graph.user?$select=id lists a group's users.
 *
 * Every page is followed through @odata.nextLink, but only on the configured Graph base URL, so the
 * token is never sent anywhere else. Each answer is parsed with zod before anything reads it, and
 * an id or value such as `__proto__` is refused by name: these become keys of the role directory.
 */
import { z } from "zod";
import {
  DirectoryAnswerRefusedError,
  DirectoryUnreachableError,
  type AppRoleHolder,
  type EntraDirectoryReader,
} from "../../ports/entra-directory.js";

export interface GraphDirectoryReaderOptions {
  /** GRAPH_BASE_URL, including the version segment (https://graph.microsoft.com/v1.0). */
  baseUrl: string;
  /** Keepsafe's Entra app (client) id: its service principal holds the app role assignments. */
  clientId: string;
  getToken: () => Promise<string>;
  timeoutMs?: number;
}

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
/** A page cap far past any school (999 objects a page), so a looping nextLink cannot run forever. */
const MAX_PAGES = 500;
/** Graph's largest page for directory collections. */
const PAGE_SIZE = 999;
/** appRoleAssignments with this appRoleId grant "default access": no app role at all. */
const DEFAULT_ACCESS = "00000000-0000-0000-0000-000000000000";

const safeKey = (what: string) =>
  z
    .string()
    .min(1)
    .max(256)
    .refine((v) => !UNSAFE_KEYS.has(v), { error: (i) => `"${String(i.input)}" cannot be ${what}` });

const objectId = safeKey("a staff id");
const servicePrincipalSchema = z.object({
  id: z.string().min(1),
  appRoles: z.array(z.object({ id: z.string().min(1), value: safeKey("an app role value").nullable().optional() })).max(1000),
});
const assignmentSchema = z.object({
  appRoleId: z.string().min(1),
  principalId: objectId,
  principalType: z.string(),
});
const userSchema = z.object({ id: objectId });
const pageSchema = <T extends z.ZodType>(item: T) => z.object({ value: z.array(item), "@odata.nextLink": z.string().optional() });

/** The first problem of a refused answer, naming the field and the value's rule; never the whole answer. */
const problemOf = (e: z.ZodError) => {
  const issue = e.issues[0];
  return issue ? `${issue.path.join(".") || "answer"}: ${issue.message}` : "unreadable answer";
};

export class GraphDirectoryReader implements EntraDirectoryReader {
  private readonly baseUrl: string;

  constructor(private readonly opts: GraphDirectoryReaderOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
  }

  async appRoleHolders(): Promise<AppRoleHolder[]> {
    const sp = `${this.baseUrl}/servicePrincipals(appId='${encodeURIComponent(this.opts.clientId)}')`;
    const principal = this.parse("servicePrincipal", servicePrincipalSchema, await this.get("servicePrincipal", `${sp}?$select=id,appRoles`));
    const valueOf = new Map(principal.appRoles.flatMap((r) => (r.value ? [[r.id, r.value] as const] : [])));
    const assignments = await this.all("appRoleAssignedTo", assignmentSchema, `${sp}/appRoleAssignedTo?$top=${PAGE_SIZE}`);
    return assignments.flatMap((a) => {
      const value = valueOf.get(a.appRoleId);
      if (a.appRoleId === DEFAULT_ACCESS || !value) return [];
      // Service principals (other apps) can hold app roles too; they are not staff.
      if (a.principalType !== "User" && a.principalType !== "Group") return [];
      return [{ principalId: a.principalId, principalType: a.principalType, value }];
    });
  }

  async groupUserIds(groupId: string, opts: { transitive: boolean }): Promise<string[]> {
    const relation = opts.transitive ? "transitiveMembers" : "members";
    const url = `${this.baseUrl}/groups/${encodeURIComponent(groupId)}/${relation}/microsoft.graph.user?$select=id&$top=${PAGE_SIZE}`;
    return (await this.all(relation, userSchema, url)).map((u) => u.id);
  }

  private async all<T extends z.ZodType>(operation: string, item: T, first: string): Promise<z.output<T>[]> {
    const items: z.output<T>[] = [];
    let next: string | undefined = first;
    for (let pages = 0; next; pages++) {
      if (pages >= MAX_PAGES) throw new DirectoryAnswerRefusedError(operation, `more than ${MAX_PAGES} pages`);
      if (!next.startsWith(`${this.baseUrl}/`)) throw new DirectoryAnswerRefusedError(operation, "@odata.nextLink leaves the Graph base URL");
      const page: { value: z.output<T>[]; "@odata.nextLink"?: string } = this.parse(operation, pageSchema(item), await this.get(operation, next));
      items.push(...page.value);
      next = page["@odata.nextLink"];
    }
    return items;
  }

  private parse<T extends z.ZodType>(operation: string, schema: T, json: unknown): z.output<T> {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new DirectoryAnswerRefusedError(operation, problemOf(parsed.error));
    return parsed.data;
  }

  private async get(operation: string, url: string): Promise<unknown> {
    let res: Response;
    try {
      const token = await this.opts.getToken();
      res = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch {
      throw new DirectoryUnreachableError(operation);
    }
    if (res.status === 429 || res.status === 408 || res.status >= 500) {
      await res.body?.cancel();
      throw new DirectoryUnreachableError(operation, res.status);
    }
    if (!res.ok) {
      // Graph's error code (Authorization_RequestDenied, Request_ResourceNotFound) says what to fix; its message may echo ids.
      const code = await res.json().then(
        (b: { error?: { code?: unknown } }) => (typeof b?.error?.code === "string" ? b.error.code : "unknown"),
        () => "unknown",
      );
      throw new DirectoryAnswerRefusedError(operation, `${res.status} ${code.slice(0, 80)}`);
    }
    try {
      return await res.json();
    } catch {
      throw new DirectoryAnswerRefusedError(operation, "answer is not JSON");
    }
  }
}

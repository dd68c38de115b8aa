/**
 * The Graph sandbox's directory reads, answered from the local identity provider's directory (the
 * same data that puts `roles` and `groups` into local tokens), so Keepsafe's role directory sync
 * runs against the shapes Microsoft Graph v1.0 documents:
 *
 * - GET /servicePrincipals(appId='{appId}')                      the app's service principal and its appRoles
 * - GET /servicePrincipals(appId='{appId}')/appRoleAssignedTo    appRoleAssignment objects (principalType User)
 * - GET /groups/{id}/members/microsoft.graph.user                the group's users ($select=id)
 * - GET /groups/{id}/transitiveMembers/microsoft.graph.user      the same (the local directory has no nesting)
 *
 * Collections are paged as Graph pages them: `$top` (at most the sandbox's page size) and an
 * absolute `@odata.nextLink` carrying a `$skiptoken`.
 */
import { createHash } from "node:crypto";
import type { LocalDirectory } from "../identity-provider/directory.js";

export interface SandboxAppRole {
  id: string;
  value: string;
}

export interface SandboxDirectory {
  /** The Entra app (client) id whose service principal the sandbox answers for. */
  appId: string;
  /** The app roles declared in aad.manifest.json; a value assigned in the directory but not declared gets a stable made-up id. */
  appRoles: readonly SandboxAppRole[];
  local: LocalDirectory;
}

export type GraphAnswer = { status: number; body: unknown } | { status: number; error: { code: string; message: string } };

/** Graph's default page for directory collections is 100; tests shrink it to see paging followed. */
export const DEFAULT_PAGE_SIZE = 100;

const SERVICE_PRINCIPAL = /^\/v1\.0\/servicePrincipals\(appId='([^']+)'\)(\/appRoleAssignedTo)?$/;
const GROUP_USERS = /^\/v1\.0\/groups\/([^/]+)\/(members|transitiveMembers)\/microsoft\.graph\.user$/;

/** A GUID-shaped id derived from text, so the same directory always gives the same ids. */
const stableId = (text: string) => {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export const isDirectoryPath = (path: string) => SERVICE_PRINCIPAL.test(path) || GROUP_USERS.test(path);

export function directoryAnswer(dir: SandboxDirectory | undefined, url: URL, pageSize: number): GraphAnswer {
  const path = url.pathname;
  const notFound = (what: string): GraphAnswer => ({
    status: 404,
    error: {
      code: "Request_ResourceNotFound",
      message: `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`,
    },
  });
  if (!dir) return notFound("directory");
  const sp = SERVICE_PRINCIPAL.exec(path);
  if (sp) {
    if (decodeURIComponent(sp[1]) !== dir.appId) return notFound(sp[1]);
    const servicePrincipalId = stableId(`sp:${dir.appId}`);
    const roles = appRolesOf(dir);
    if (!sp[2]) {
      return {
        status: 200,
        body: {
          id: servicePrincipalId,
          appId: dir.appId,
          displayName: "Keepsafe",
          appRoles: roles.map((r) => ({ ...r, isEnabled: true, allowedMemberTypes: ["User"] })),
        },
      };
    }
    const idOf = new Map(roles.map((r) => [r.value, r.id]));
    const assignments = dir.local.assignments().flatMap((a) =>
      a.roles.map((value) => ({
        id: stableId(`assignment:${a.oid}:${value}`),
        appRoleId: idOf.get(value)!,
        principalId: a.oid,
        principalType: "User",
        resourceId: servicePrincipalId,
        resourceDisplayName: "Keepsafe",
        createdDateTime: "2026-01-01T00:00:00Z",
        deletedDateTime: null,
      })),
    );
    return page(url, assignments, pageSize);
  }
  const group = GROUP_USERS.exec(path);
  if (group) {
    const groupId = decodeURIComponent(group[1]).toLowerCase();
    const users = dir.local
      .assignments()
      .filter((a) => a.groups.some((g) => g.toLowerCase() === groupId))
      .map((a) => ({ "@odata.type": "#microsoft.graph.user", id: a.oid }));
    return page(url, users, pageSize);
  }
  return notFound(path);
}

/** The declared app roles, then any other value the directory assigns (as if declared too). */
function appRolesOf(dir: SandboxDirectory): SandboxAppRole[] {
  const roles = [...dir.appRoles];
  const known = new Set(roles.map((r) => r.value));
  for (const a of dir.local.assignments()) {
    for (const value of a.roles) {
      if (known.has(value)) continue;
      known.add(value);
      roles.push({ id: stableId(`role:${value}`), value });
    }
  }
  return roles;
}

function page(url: URL, items: unknown[], pageSize: number): GraphAnswer {
  const top = Number(url.searchParams.get("$top") ?? pageSize);
  const size = Math.max(1, Math.min(Number.isInteger(top) ? top : pageSize, pageSize));
  const skip = Math.max(0, Number(url.searchParams.get("$skiptoken") ?? 0) || 0);
  const body: Record<string, unknown> = { "@odata.context": `${url.origin}/v1.0/$metadata`, value: items.slice(skip, skip + size) };
  if (skip + size < items.length) {
    const next = new URL(url);
    next.searchParams.set("$skiptoken", String(skip + size));
    body["@odata.nextLink"] = next.toString();
  }
  return { status: 200, body };
}

/**
 * Where staff roles come from (issue 7): KEEPSAFE_ROLE_SOURCE and the two mappings, parsed with zod
 * at start-up into plain Maps. Each mistake is named with its setting, so a school's IT team can
 * fix it: an unknown role, a group id that is not a GUID, a key like `__proto__`, the same key twice.
 *
 *   KEEPSAFE_ROLE_SOURCE=staff-csv | app-roles | groups | app-roles,groups   (default staff-csv)
 *   KEEPSAFE_APP_ROLE_MAP=Keepsafe.DSL=DSL,Keepsafe.DeputyDSL=DDSL,...      (default: the four in aad.manifest.json)
 *   KEEPSAFE_GROUP_ROLE_MAP=<group object id>=DSL,<group object id>=SLT   (needed with groups)
 */
import { z } from "zod";
import { ROLES, type Role } from "./domain/roles.js";
import { CLAIM_ROLE_SOURCES, type ClaimRoleSource, type RoleClaimSettings } from "./domain/policy/index.js";

/** The app roles declared in aad.manifest.json, and the Keepsafe role each stands for. */
export const DEFAULT_APP_ROLE_MAP = "Keepsafe.DSL=DSL,Keepsafe.DeputyDSL=DDSL,Keepsafe.SLT=SLT,Keepsafe.Staff=STAFF";

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Entra's rule for an app role value: up to 120 printable characters, no spaces, not starting with a dot (less our separators). */
const APP_ROLE_VALUE = /^(?!\.)[A-Za-z0-9!#$%&'()*+\-./:;<>?@[\]^_`{|}~]{1,120}$/;

const sourceList = z
  .string()
  .trim()
  .transform((s) => s.split(",").map((p) => p.trim().toLowerCase()))
  .pipe(
    z
      .array(z.enum(["staff-csv", ...CLAIM_ROLE_SOURCES], "must be staff-csv, app-roles, groups or app-roles,groups"))
      .refine(
        (l) => !(l.includes("staff-csv") && l.length > 1),
        "staff-csv cannot be combined: staff.csv always says who works here, so list only app-roles and/or groups",
      )
      .refine((l) => new Set(l).size === l.length, "names a source twice"),
  )
  .transform((l) => new Set(l.filter((s): s is ClaimRoleSource => s !== "staff-csv")));

/** "key=ROLE,key=ROLE" into a Map; `key` checked by `keyShape` (after the prototype keys are refused). */
const roleMap = (keyShape: RegExp, keyDescription: string, normalise: (k: string) => string) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      const map = new Map<string, Role>();
      for (const pair of text
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean)) {
        const eq = pair.lastIndexOf("=");
        const key = eq > 0 ? pair.slice(0, eq).trim() : "";
        const role = eq > 0 ? pair.slice(eq + 1).trim() : "";
        if (!key || !role) ctx.addIssue({ code: "custom", message: `"${pair}" is not key=ROLE` });
        else if (UNSAFE_KEYS.has(key)) ctx.addIssue({ code: "custom", message: `"${key}" cannot be a key` });
        else if (!keyShape.test(key)) ctx.addIssue({ code: "custom", message: `"${key}" is not ${keyDescription}` });
        else if (!(ROLES as readonly string[]).includes(role))
          ctx.addIssue({ code: "custom", message: `unknown role "${role}" (use ${ROLES.join(", ")})` });
        else if (map.has(normalise(key))) ctx.addIssue({ code: "custom", message: `"${key}" is mapped twice` });
        else map.set(normalise(key), role as Role);
      }
      return map;
    });

/** An empty line in an env file (`KEEPSAFE_ROLE_SOURCE=`) means the default, as for every other setting. */
const blankIsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const appRoleMap = roleMap(APP_ROLE_VALUE, "an Entra app role value", (k) => k);

export const roleSourceEnvSchema = z.object({
  KEEPSAFE_ROLE_SOURCE: z.preprocess(blankIsUnset, sourceList.optional()).transform((s) => s ?? new Set<ClaimRoleSource>()),
  KEEPSAFE_APP_ROLE_MAP: z.preprocess(blankIsUnset, appRoleMap.optional()),
  KEEPSAFE_GROUP_ROLE_MAP: z
    .preprocess(blankIsUnset, roleMap(GUID, "a group object id (GUID)", (k) => k.toLowerCase()).optional())
    .transform((m) => m ?? new Map<string, Role>()),
});

type RoleSourceEnv = z.output<typeof roleSourceEnvSchema>;

/** The settings, or the problems to report (each starting with its setting's name). */
export function roleClaimSettings(e: RoleSourceEnv): { settings: RoleClaimSettings; problems: string[] } {
  const appRoles = e.KEEPSAFE_APP_ROLE_MAP ?? appRoleMap.parse(DEFAULT_APP_ROLE_MAP);
  const problems: string[] = [];
  if (e.KEEPSAFE_ROLE_SOURCE.has("groups") && e.KEEPSAFE_GROUP_ROLE_MAP.size === 0) {
    problems.push("KEEPSAFE_GROUP_ROLE_MAP: KEEPSAFE_ROLE_SOURCE names groups, so map at least one group object id to a role");
  }
  return { settings: { sources: e.KEEPSAFE_ROLE_SOURCE, appRoles, groups: e.KEEPSAFE_GROUP_ROLE_MAP }, problems };
}

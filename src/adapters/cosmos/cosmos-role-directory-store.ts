/**
 * The role directory in the `directory` container (pk /id, point reads only): one document per
 * school (`roles:{schoolId}`) and one per lease (`lease:{name}`). Every write is conditional: a
 * replace with IfMatch on the ETag read, or a create that fails when the document already exists.
 */
import type { Container } from "@azure/cosmos";
import { z } from "zod";
import { ROLES } from "../../domain/roles.js";
import type { RoleDirectory } from "../../domain/role-directory.js";
import type { RoleDirectoryStore } from "../../ports/role-directory-store.js";
import type { CosmosDoc } from "./cosmos-docs.js";
import { guarded, statusOf } from "./cosmos-errors.js";

const directoryDoc = z.object({
  schoolId: z.string(),
  version: z.number().int(),
  syncedAt: z.string(),
  entries: z.array(z.object({ staffId: z.string(), role: z.enum(ROLES), at: z.string(), from: z.enum(["sync", "token"]) })),
});
const leaseDoc = z.object({ holder: z.string(), until: z.string() });

/** 412: changed since read; 409: created meanwhile. Either way the caller lost the race. */
const lostRace = (e: unknown) => statusOf(e) === 412 || statusOf(e) === 409;

async function readDoc(container: Container, id: string): Promise<CosmosDoc | undefined> {
  try {
    const { resource } = await container.item(id, id).read<CosmosDoc>();
    return resource;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

/** Creates (no etag) or replaces if unchanged; false when another writer got there first. */
async function writeIf(container: Container, doc: CosmosDoc, etag: string | undefined): Promise<boolean> {
  try {
    if (etag) await container.item(doc.id, doc.id).replace(doc, { accessCondition: { type: "IfMatch", condition: etag } });
    else await container.items.create(doc);
    return true;
  } catch (e) {
    if (lostRace(e)) return false;
    throw e;
  }
}

export function createCosmosRoleDirectoryStore(container: Container): RoleDirectoryStore {
  return {
    get: (schoolId) =>
      guarded("getRoleDirectory", async () => {
        const doc = await readDoc(container, `roles:${schoolId}`);
        if (!doc?._etag) return undefined;
        return { directory: directoryDoc.parse(doc), etag: doc._etag };
      }),
    put: (directory: RoleDirectory, etag) =>
      guarded("putRoleDirectory", () => writeIf(container, { id: `roles:${directory.schoolId}`, kind: "roleDirectory", ...directory }, etag)),
    claimLease: (name, holder, now, until) =>
      guarded("claimLease", async () => {
        const doc = await readDoc(container, `lease:${name}`);
        const lease = doc && leaseDoc.parse(doc);
        if (lease && lease.holder !== holder && lease.until > now) return false;
        return writeIf(container, { id: `lease:${name}`, kind: "lease", holder, until }, doc?._etag);
      }),
    releaseLease: (name, holder, now) =>
      guarded("releaseLease", async () => {
        const doc = await readDoc(container, `lease:${name}`);
        if (!doc || leaseDoc.parse(doc).holder !== holder) return;
        await writeIf(container, { id: `lease:${name}`, kind: "lease", holder, until: now }, doc._etag);
      }),
  };
}

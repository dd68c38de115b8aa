/**
 * What the role directory sync reads from the school's Entra tenant (Microsoft Graph in
 * production, the Graph sandbox locally), as plain data already validated at the adapter.
 */

/** One app role assignment to Keepsafe's service principal, with the role's value resolved. */
export interface AppRoleHolder {
  principalId: string;
  principalType: "User" | "Group";
  /** The app role's value (e.g. "Keepsafe.DSL"), as a token's `roles` claim carries it. */
  value: string;
}

export interface EntraDirectoryReader {
  /** Every user and group assigned one of Keepsafe's app roles (all pages). */
  appRoleHolders(): Promise<AppRoleHolder[]>;
  /** The object ids of a group's users: direct members, or transitive (nested groups too). */
  groupUserIds(groupId: string, opts: { transitive: boolean }): Promise<string[]>;
}

/** Graph could not be reached or asked us to wait (network, timeout, 429, 5xx, token): try again later. */
export class DirectoryUnreachableError extends Error {
  constructor(
    readonly operation: string,
    readonly status?: number,
  ) {
    super(`Microsoft Graph ${operation} could not be read${status ? ` (${status})` : ""}`);
    this.name = "DirectoryUnreachableError";
  }
}

/** Graph answered with something Keepsafe will not use (a refused permission, a malformed or unsafe answer). */
export class DirectoryAnswerRefusedError extends Error {
  constructor(
    readonly operation: string,
    reason: string,
  ) {
    super(`Microsoft Graph ${operation}: ${reason}`);
    this.name = "DirectoryAnswerRefusedError";
  }
}

/**
 * Graph's sendActivityNotification takes an optional chainId (Int64; Microsoft Learn, "userTeamwork:
 * sendActivityNotification", and the Graph PowerShell SDK's -ChainId <Int64>): a later notification
 * with the same chainId replaces the earlier one in the recipient's activity feed. Derived from the alert's
 * outbox id, it makes a resend (the first answer lost, the lease expired) show once, not twice.
 * Graph offers nothing like it for sendMail; there the X-Keepsafe-Alert-Id header marks a resend.
 */
import { createHash } from "node:crypto";

/** 52 bits of SHA-256: a safe integer in JSON, and collisions among one school's alerts are negligible. */
export function chainIdOf(alertId: string): number {
  return Number.parseInt(createHash("sha256").update(alertId).digest("hex").slice(0, 13), 16);
}

/**
 * Retries a store write that is safe to repeat (an upsert of the same state) while the store is
 * briefly unavailable or its answer was lost. Short and bounded: the outbox saves that use it hold
 * a lease, and a save that outlived the lease could overwrite another dispatcher's claim.
 */
import { isKeepsafeError } from "../domain/errors.js";

/** The store was busy, down, or its answer was lost: worth trying again later. */
export const isStoreUnavailable = (e: unknown): boolean => isKeepsafeError(e) && e.code === "store_unavailable";

export const STORE_RETRY_DELAYS_MS = [50, 150, 400, 1000];

export async function retryWhileStoreUnavailable<T>(write: () => Promise<T>, delaysMs = STORE_RETRY_DELAYS_MS): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await write();
    } catch (e) {
      if (!isStoreUnavailable(e) || i >= delaysMs.length) throw e;
      await new Promise((r) => setTimeout(r, delaysMs[i]));
    }
  }
}

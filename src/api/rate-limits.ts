/**
 * Per-user and per-address rate limits for the tab API and the bot, with rate-limiter-flexible.
 * Counts live in this instance's memory: two instances each allow the full rate (README says so).
 * - per address: every /api/* request, /api/messages included, before its body is read;
 * - per member of staff on the tab API: where the bearer token has just been validated, so a
 *   forged token cannot spend someone else's allowance;
 * - per member of staff on the bot: the activity's from.aadObjectId, after the body is parsed. The
 *   id is not proven until botbuilder has checked the Bot Framework token, so an activity the bot
 *   refuses as unauthenticated (401/403) is given back: forged activities naming someone else do
 *   not use up their allowance (the per-address limit bounds the forger).
 * A refusal is the "throttled" domain error, answered at the edge as 429 with Retry-After.
 */
import type { Request, Response } from "restify";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { z } from "zod";
import type { RateLimitSettings } from "../config.js";
import { KeepsafeError } from "../domain/errors.js";
import type { TokenValidator } from "../ports/token-validator.js";
import { childLogger } from "../logger.js";
import { toHttpError } from "./http-errors.js";

const log = childLogger("rate-limits");

export const ThrottledError = (retryAfterSeconds: number) =>
  new KeepsafeError("throttled", "Too many requests. Please wait a moment and try again.", [], retryAfterSeconds);

/** Only the id is read from the activity; anything else about it is bot/'s business. */
const activitySender = z.object({ from: z.object({ aadObjectId: z.string().min(1).max(100) }) });

export interface RateLimits {
  /** A restify `pre` handler: counts /api/* per client address before anything else runs. */
  perAddress: (req: Request, res: Response, next: (err?: false) => void) => void;
  /** The token validator, also counting each validated member of staff. */
  countingUsers(tokens: TokenValidator): TokenValidator;
  /**
   * Runs `handle` for a bot activity unless its sender is over the limit (then answers 429); an
   * activity refused as unauthenticated is not counted.
   */
  forBotSender(req: Request, res: Response, handle: () => Promise<void>): Promise<void>;
}

export function createRateLimits(settings: RateLimitSettings): RateLimits {
  const perMinute = (points: number, keyPrefix: string) => new RateLimiterMemory({ points, duration: 60, keyPrefix });
  const address = perMinute(settings.ipPerMinute, "ip");
  const user = perMinute(settings.userPerMinute, "user");
  const botUser = perMinute(settings.botPerMinute, "bot");

  /** Resolves when allowed; rejects with ThrottledError when over; never fails for another reason. */
  const spend = async (limiter: RateLimiterMemory, key: string, what: string) => {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      log.warn({ event: "rate_limited", limit: what }, "request throttled");
      throw ThrottledError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
  };

  const refuse = (res: Response, err: unknown) => {
    const answer = toHttpError(err);
    res.header("Cache-Control", "no-store");
    for (const [k, v] of Object.entries(answer.headers)) res.header(k, v);
    res.send(answer.status, answer.body);
  };

  return {
    perAddress(req, res, next) {
      if (!(req.path() ?? "").startsWith("/api/")) return next();
      spend(address, clientAddress(req), "address").then(
        () => next(),
        (err) => {
          // The body is never read: close the connection rather than drain a large upload.
          res.header("Connection", "close");
          refuse(res, err);
          next(false);
        },
      );
    },

    countingUsers(tokens) {
      return {
        validate: async (token) => {
          const claims = await tokens.validate(token);
          await spend(user, claims.oid, "user");
          return claims;
        },
      };
    },

    async forBotSender(req, res, handle) {
      const sender = activitySender.safeParse(req.body);
      // Activities without a staff id are left to the bot, which refuses them itself.
      if (!sender.success) return handle();
      const key = sender.data.from.aadObjectId;
      try {
        await spend(botUser, key, "bot");
      } catch (err) {
        return refuse(res, err);
      }
      await handle();
      if (res.statusCode === 401 || res.statusCode === 403) await botUser.reward(key, 1);
    },
  };
}

const clientAddress = (req: Request) => (req.socket?.remoteAddress ?? "unknown").replace(/^::ffff:/, "");

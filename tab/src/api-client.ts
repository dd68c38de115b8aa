// Typed client for Keepsafe's tab API. Every call carries the Teams SSO token
// as a bearer token and every response is checked against its zod schema.
import type * as z from "zod/mini";
import {
  acknowledgeSchema, chronologySchema, errorBodySchema, incidentDetailSchema, meSchema, pupilSearchSchema,
  type Acknowledgement, type Chronology, type IncidentDetail, type Me, type PupilSearch,
} from "./api-types.js";
import { parseBearerChallenge, type BearerChallenge } from "./www-authenticate.js";

/** Supplies the bearer token; `refresh` asks for a new one because the API refused `rejected`. */
export type TokenSource = (options?: { refresh?: boolean; rejected?: string }) => Promise<string>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The API wants a second sign-in step (MFA) before it shows records. */
export class StepUpRequiredError extends ApiError {
  constructor(readonly challenge: BearerChallenge) {
    super(401, "insufficient_claims", "Your role needs a second sign-in step (MFA) to see records");
    this.name = "StepUpRequiredError";
  }
}

export interface ApiClientOptions {
  getToken: TokenSource;
  /** Where /api lives; defaults to this page's origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export class ApiClient {
  private readonly getToken: TokenSource;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.getToken = options.getToken;
    this.baseUrl = options.baseUrl ?? "";
    // Bound so that calling it detached does not lose `window`.
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  me(signal?: AbortSignal): Promise<Me> {
    return this.request("GET", "/api/me", meSchema, signal);
  }

  searchPupils(query: string, signal?: AbortSignal): Promise<PupilSearch> {
    return this.request("GET", `/api/pupils?query=${encodeURIComponent(query)}`, pupilSearchSchema, signal);
  }

  chronology(pupilId: string, signal?: AbortSignal): Promise<Chronology> {
    return this.request("GET", `/api/pupils/${encodeURIComponent(pupilId)}/chronology`, chronologySchema, signal);
  }

  incident(incidentId: string, signal?: AbortSignal): Promise<IncidentDetail> {
    return this.request("GET", `/api/incidents/${encodeURIComponent(incidentId)}`, incidentDetailSchema, signal);
  }

  acknowledge(incidentId: string): Promise<Acknowledgement> {
    return this.request("POST", `/api/incidents/${encodeURIComponent(incidentId)}/acknowledge`, acknowledgeSchema);
  }

  private async request<S extends z.ZodMiniType>(method: string, path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    const token = await this.getToken();
    let response = await this.send(method, path, token, signal);
    if (response.status === 401) {
      const challenge = parseBearerChallenge(response.headers.get("WWW-Authenticate"));
      if (challenge?.error === "insufficient_claims") throw new StepUpRequiredError(challenge);
      // Most 401s are an expired token: ask Teams for a fresh one and try once more.
      response = await this.send(method, path, await this.getToken({ refresh: true, rejected: token }), signal);
      if (response.status === 401) {
        const again = parseBearerChallenge(response.headers.get("WWW-Authenticate"));
        if (again?.error === "insufficient_claims") throw new StepUpRequiredError(again);
      }
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw toApiError(response.status, body);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(response.status, "bad_response", "Keepsafe's server sent an answer this page does not understand.");
    }
    return parsed.data;
  }

  private send(method: string, path: string, token: string, signal?: AbortSignal): Promise<Response> {
    return this.fetchImpl(this.baseUrl + path, {
      method,
      signal,
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      // Records must not linger in the browser's HTTP cache on a shared machine.
      cache: "no-store",
      credentials: "omit",
    });
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, fields } = parsed.data.error;
    return new ApiError(status, code, message, fields);
  }
  return new ApiError(status, `http_${status}`, `Keepsafe's server answered ${status}.`);
}

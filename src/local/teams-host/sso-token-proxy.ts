/**
 * Tab SSO for the local host. Teams would mint the token itself; here the server asks the local identity
 * provider for one, because the browser can neither trust that provider's private CA nor call it across
 * origins. Only the demo staff the host was given can be signed in.
 */

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { z } from "zod";
import type { HostStaff } from "./host-config.js";

export const SsoTokenRequest = z.object({
  oid: z.string().min(1).max(100),
  mfa: z.boolean(),
  claims: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .nullable(),
});

export interface SsoTokenResult {
  status: number;
  body: { access_token?: string; error?: string };
}

export async function fetchSsoToken(input: unknown, staff: HostStaff[], identityAuthority: string, ca?: string | Buffer): Promise<SsoTokenResult> {
  const parsed = SsoTokenRequest.safeParse(input);
  if (!parsed.success) return { status: 400, body: { error: "invalid_request" } };
  const person = staff.find((s) => s.oid === parsed.data.oid);
  if (!person) return { status: 404, body: { error: "unknown_user" } };
  const claims = parsed.data.claims ?? undefined;
  const payload = {
    oid: person.oid,
    name: person.displayName,
    preferredUsername: person.email,
    mfa: parsed.data.mfa,
    // Conditional-access claims from a step-up challenge, passed on only when the tab sent them.
    ...(claims && (Array.isArray(claims) ? claims.length : true) ? { claims } : {}),
  };
  const url = `${identityAuthority.replace(/\/+$/, "")}/local/sso-token`;
  const res = await postJson(url, payload, ca);
  const token = (res.body as { access_token?: unknown })?.access_token;
  if (res.status >= 400 || typeof token !== "string") {
    const error = (res.body as { error?: unknown })?.error;
    return { status: 502, body: { error: typeof error === "string" ? error : "identity_provider_error" } };
  }
  return { status: 200, body: { access_token: token } };
}

/** A tiny JSON POST that can trust one extra CA for this call only (never the whole process). */
function postJson(url: string, body: unknown, ca?: string | Buffer): Promise<{ status: number; body: unknown }> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": data.length, accept: "application/json" },
        ...(ca ? { ca } : {}),
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = undefined;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 500, body: parsed });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("identity provider timed out")));
    req.on("error", reject);
    req.end(data);
  });
}

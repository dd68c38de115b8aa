import { ConfidentialClientApplication, LogLevel } from "@azure/msal-node";
import { z } from "zod";
import { childLogger } from "../../logger.js";
import { createMsalNetworkClient } from "./msal-network-client.js";

const log = childLogger("graph-token-provider");

export const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";

const optionsSchema = z.object({
  authority: z.url().refine((u) => u.startsWith("https://"), "authority must be https"),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  caPem: z.string().optional(),
  scope: z.string().default(GRAPH_DEFAULT_SCOPE),
});

export type GraphTokenProviderOptions = z.input<typeof optionsSchema>;

/** Microsoft's own login hosts; msal's instance discovery only makes sense for these. */
const MICROSOFT_LOGIN_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.partner.microsoftonline.cn",
  "login.chinacloudapi.cn",
]);

/**
 * App-only tokens for Microsoft Graph (activity feed, mail) by client credentials, through msal-node,
 * which caches them until shortly before expiry. Works unchanged against the local identity provider:
 * there, knownAuthorities stops msal asking the public cloud for instance metadata, and the network
 * client trusts the local CA.
 */
export function createGraphTokenProvider(options: GraphTokenProviderOptions): () => Promise<string> {
  const opts = optionsSchema.parse(options);
  const authorityUrl = new URL(opts.authority);
  const isMicrosoftCloud = MICROSOFT_LOGIN_HOSTS.has(authorityUrl.hostname);

  const app = new ConfidentialClientApplication({
    auth: {
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      authority: opts.authority,
      ...(isMicrosoftCloud ? {} : { knownAuthorities: [authorityUrl.host] }),
    },
    system: {
      ...(opts.caPem ? { networkClient: createMsalNetworkClient({ caPem: opts.caPem }) } : {}),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Error,
        loggerCallback: (level, message, containsPii) => {
          if (!containsPii && level <= LogLevel.Error) log.warn({ event: "msal_log" }, message);
        },
      },
    },
  });

  return async () => {
    try {
      const result = await app.acquireTokenByClientCredential({ scopes: [opts.scope] });
      if (!result?.accessToken) throw new Error("no access token in the response");
      return result.accessToken;
    } catch (e) {
      const err = e as { errorCode?: string; name?: string; subError?: string };
      const code = err.errorCode ?? err.name ?? "unknown";
      log.warn({ event: "graph_token_failed", code }, "could not get a Graph token");
      const hint = code === "invalid_client" ? ": the client secret was refused" : "";
      throw new Error(`Could not get a Microsoft Graph token (${code})${hint}.`, { cause: e });
    }
  };
}

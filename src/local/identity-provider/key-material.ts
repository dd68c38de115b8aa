import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generate } from "selfsigned";
import { childLogger } from "../../logger.js";

const log = childLogger("local-identity-keys");

/**
 * Everything the local identity provider must keep across restarts: its own CA (so a client that
 * trusted caPem once keeps trusting it), the HTTPS server certificate it signed, the RS256 token
 * signing key (so tokens issued before a restart still verify) and the client secret.
 */
export interface IdentityMaterial {
  caCertPem: string;
  caKeyPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  signingKeyPem: string;
  signingPublicKeyPem: string;
  /** Self-signed certificate over the signing key, published as x5c, as Entra's JWKS does. */
  signingCertPem: string;
  /** Base64url SHA-1 thumbprint of the signing certificate; Entra uses it as the kid too. */
  x5t: string;
  kid: string;
  clientSecret: string;
}

const FILES = {
  caCert: "ca-cert.pem",
  caKey: "ca-key.pem",
  serverCert: "server-cert.pem",
  serverKey: "server-key.pem",
  signingKey: "signing-key.pem",
  signingPublicKey: "signing-public-key.pem",
  signingCert: "signing-cert.pem",
  clientSecret: "client-secret.txt",
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

export const identityDir = (dataDir: string) => join(dataDir, "identity");

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** Write via a temporary file and rename, so a crash never leaves half a key on disk. */
async function writeSecretFile(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, path);
}

const expiresWithin = (certPem: string, ms: number) => new Date(new X509Certificate(certPem).validTo).getTime() - Date.now() < ms;

async function createCa(): Promise<{ cert: string; key: string }> {
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const result = await generate([{ name: "commonName", value: "Keepsafe Local Identity CA" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 3650 * DAY_MS),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: result.cert, key: result.private };
}

async function createServerCert(ca: { cert: string; key: string }): Promise<{ cert: string; key: string }> {
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const result = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate,
    // Browsers refuse server certificates valid for more than 398 days.
    notAfterDate: new Date(notBeforeDate.getTime() + 390 * DAY_MS),
    ca,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { cert: result.cert, key: result.private };
}

async function createSigningKey(): Promise<{ key: string; publicKey: string; cert: string }> {
  const pair = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const result = await generate([{ name: "commonName", value: "Keepsafe Local Token Signing" }], {
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 3650 * DAY_MS),
    keyPair: { privateKey: pair.privateKey, publicKey: pair.publicKey },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true },
    ],
  });
  return { key: pair.privateKey, publicKey: pair.publicKey, cert: result.cert };
}

export const thumbprintX5t = (certPem: string) => createHash("sha1").update(new X509Certificate(certPem).raw).digest("base64url");

/**
 * Loads the identity material from `<dataDir>/identity/`, creating whatever is missing.
 * The server certificate is renewed (under the same CA) when it is close to expiry.
 */
export async function loadOrCreateIdentityMaterial(dataDir: string, clientSecret?: string): Promise<IdentityMaterial> {
  const dir = identityDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = (name: keyof typeof FILES) => join(dir, FILES[name]);

  let caCert = await readIfPresent(path("caCert"));
  let caKey = await readIfPresent(path("caKey"));
  let createdCa = false;
  if (!caCert || !caKey || expiresWithin(caCert, 30 * DAY_MS)) {
    const ca = await createCa();
    [caCert, caKey, createdCa] = [ca.cert, ca.key, true];
    await writeSecretFile(path("caKey"), caKey);
    await writeSecretFile(path("caCert"), caCert);
    log.info({ event: "ca_created" }, "created local identity CA");
  }

  let serverCert = await readIfPresent(path("serverCert"));
  let serverKey = await readIfPresent(path("serverKey"));
  if (createdCa || !serverCert || !serverKey || expiresWithin(serverCert, 7 * DAY_MS)) {
    const server = await createServerCert({ cert: caCert, key: caKey });
    [serverCert, serverKey] = [server.cert, server.key];
    await writeSecretFile(path("serverKey"), serverKey);
    await writeSecretFile(path("serverCert"), serverCert);
    log.info({ event: "server_cert_created" }, "created local identity server certificate");
  }

  let signingKey = await readIfPresent(path("signingKey"));
  let signingPublicKey = await readIfPresent(path("signingPublicKey"));
  let signingCert = await readIfPresent(path("signingCert"));
  if (!signingKey || !signingPublicKey || !signingCert) {
    const signing = await createSigningKey();
    [signingKey, signingPublicKey, signingCert] = [signing.key, signing.publicKey, signing.cert];
    await writeSecretFile(path("signingKey"), signingKey);
    await writeSecretFile(path("signingPublicKey"), signingPublicKey);
    await writeSecretFile(path("signingCert"), signingCert);
    log.info({ event: "signing_key_created" }, "created local token signing key");
  }

  // A secret passed in wins (and is not persisted); otherwise keep one generated secret for good.
  let secret = clientSecret;
  if (!secret) {
    secret = (await readIfPresent(path("clientSecret")))?.trim();
    if (!secret) {
      secret = randomBytes(24).toString("base64url");
      await writeSecretFile(path("clientSecret"), secret);
    }
  }

  const x5t = thumbprintX5t(signingCert);
  return {
    caCertPem: caCert,
    caKeyPem: caKey,
    serverCertPem: serverCert,
    serverKeyPem: serverKey,
    signingKeyPem: signingKey,
    signingPublicKeyPem: signingPublicKey,
    signingCertPem: signingCert,
    x5t,
    kid: x5t,
    clientSecret: secret,
  };
}

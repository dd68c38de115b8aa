import fs from "node:fs";
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { generate } from "selfsigned";

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
}

/**
 * The certificate the local Cosmos server presents. The one bundled with @vercel/cosmosdb-server
 * expired in 2021 and names "cosmosdb", so a client that really verifies TLS (as ours does, with
 * this cert as its only trusted CA for that endpoint) would refuse it. We mint our own for
 * 127.0.0.1/localhost once and keep it in the data dir so other processes (the import CLI) can
 * trust the same server.
 */
export async function loadOrCreateTls(dataDir: string): Promise<TlsMaterial> {
  const dir = path.join(dataDir, "tls");
  const certFile = path.join(dir, "cosmos-cert.pem");
  const keyFile = path.join(dir, "cosmos-key.pem");
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const certPem = fs.readFileSync(certFile, "utf8");
    const validTo = new Date(new X509Certificate(certPem).validTo);
    if (validTo.getTime() - Date.now() > 7 * 24 * 3600 * 1000) {
      return { certPem, keyPem: fs.readFileSync(keyFile, "utf8") };
    }
  }
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: "commonName", value: "keepsafe-local-cosmos" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 825 * 24 * 3600 * 1000),
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  fs.writeFileSync(certFile, pems.cert);
  return { certPem: pems.cert, keyPem: pems.private };
}

export const readCaPem = (dataDir: string): string | undefined => {
  const certFile = path.join(dataDir, "tls", "cosmos-cert.pem");
  return fs.existsSync(certFile) ? fs.readFileSync(certFile, "utf8") : undefined;
};

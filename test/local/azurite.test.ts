import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const azuriteModule = fileURLToPath(new URL("../../src/local/azurite.ts", import.meta.url));

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );

describe("local Azurite", function () {
  this.timeout(60_000);

  it("does not outlive a parent that is killed outright", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "azurite-orphan-"));
    try {
      const script =
        `const { startAzurite } = await import(${JSON.stringify(azuriteModule)});` +
        `const a = await startAzurite({ dataDir: ${JSON.stringify(dataDir)} });` +
        `console.log(a.blobEndpoint);`;
      // The parent prints the endpoint and is then SIGKILLed: no exit handler of its own can run.
      const parent = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", `${script} setInterval(() => {}, 1000);`], {
        env: { ...process.env, LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const endpoint = await new Promise<string>((resolve, reject) => {
        let out = "";
        parent.stdout!.on("data", (d: Buffer) => {
          out += d.toString();
          const line = out.split("\n").find((l) => l.startsWith("http://"));
          if (line) resolve(line.trim());
        });
        parent.once("exit", () => reject(new Error(`parent exited early: ${out}`)));
      });
      assert.equal(await answers(endpoint), true);
      parent.kill("SIGKILL");
      const deadline = Date.now() + 15_000;
      while ((await answers(endpoint)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.equal(await answers(endpoint), false, "Azurite still answers after its parent died");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

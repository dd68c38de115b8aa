/**
 * `npm start`: Keepsafe on this machine. With no Microsoft or Azure settings every part runs
 * locally on embedded defaults and the one URL to open is printed.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadEnvFile } from "./env-files.js";
import { ConfigError, loadConfig } from "./config.js";
import { startKeepsafe } from "./compose.js";
import { messagesEndpointFor } from "../bot/messages-endpoint.js";
import { stop as stopEsbuild } from "esbuild";
import { buildTab } from "../tab/build.js";
import { buildDialogs } from "../tab/build-dialogs.js";
import { phaseTimer } from "./startup-timer.js";
import { logFormatFor, logger, useLogFormat } from "./logger.js";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main() {
  // Loading the modules (tsx compiles them on the first run, then reads its cache) is the first phase.
  const { ms: phasesMs, timed } = phaseTimer({ load: Math.round(process.uptime() * 1000) });
  loadEnvFile(projectRoot);
  const config = loadConfig(process.env, projectRoot);
  useLogFormat(logFormatFor(process.env.LOG_FORMAT, config.production));
  const [tab, dialogs] = await timed("tabBuild", () => Promise.all([buildTab(), buildDialogs()]));
  // esbuild keeps a service process (about 400 MB) alive for further builds; there are none.
  await stopEsbuild();
  const keepsafe = await timed("compose", () =>
    startKeepsafe(config, {
      tabDistDir: path.join(projectRoot, "tab", "dist"),
      messagesEndpoint: messagesEndpointFor(config),
    }),
  );
  const mode = config.production ? "production" : "local";
  const tabBuildResult = tab.skipped && dialogs.skipped ? "unchanged" : "built";
  logger.info({ ...phasesMs, ...keepsafe.startupMs, totalMs: Math.round(process.uptime() * 1000), tabBuildResult }, "start-up phases");
  logger.info({ mode, local: config.local, url: keepsafe.url }, "Keepsafe started");
  // The one line a newcomer needs, printed plainly whatever the log format.
  process.stdout.write(`\nKeepsafe is running (${mode} mode). Open ${keepsafe.url}/\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await keepsafe.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    logger.fatal({ name: err?.name, code: err?.code }, "Keepsafe could not start");
    process.stderr.write(`Keepsafe could not start: ${err?.message ?? err}\n`);
  }
  process.exit(1);
});

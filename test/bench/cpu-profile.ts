/**
 * BENCH_PROFILE=<dir>: a CPU profile of one figure (in this process, where Keepsafe runs), written
 * as <dir>/<figure>.cpuprofile for Chrome DevTools or test/bench/profile-top.ts. Profiling only the
 * figure, not the start-up and the school import, keeps the top items about the figure itself.
 */
import fs from "node:fs";
import path from "node:path";
import { Session } from "node:inspector/promises";

export async function profiled<T>(figure: string, run: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return run();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await run();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${figure}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** What the sandbox keeps of each request it accepted, in memory and in graph-sandbox.jsonl. */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ActivityNotificationBody, SendMailBody } from "./graph-request-schemas.js";

export type RecordedGraphRequest =
  | {
      seq: number;
      at: string;
      kind: "activity-notification";
      userId: string;
      body: ActivityNotificationBody;
      /** True when an earlier notification to this user had the same chainId: Teams shows it in place of that one. */
      duplicate: boolean;
    }
  | {
      seq: number;
      at: string;
      kind: "mail";
      userId: string;
      body: SendMailBody;
      /** True when an earlier mail carried the same X-Keepsafe-Alert-Id: a resend the sandbox spotted. */
      duplicate: boolean;
    };

export const ALERT_ID_HEADER = "X-Keepsafe-Alert-Id";

export const alertIdOf = (body: SendMailBody): string | undefined =>
  body.message.internetMessageHeaders?.find((h) => h.name.toLowerCase() === ALERT_ID_HEADER.toLowerCase())?.value;

/** Appends records to a JSON-lines file so a restarted sandbox still shows what was sent. */
export class RequestJournal {
  private readonly file: string | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(dataDir: string | undefined) {
    this.file = dataDir ? join(dataDir, "graph-sandbox.jsonl") : undefined;
  }

  async load(): Promise<RecordedGraphRequest[]> {
    if (!this.file) return [];
    await mkdir(join(this.file, ".."), { recursive: true });
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
    // A torn last line (crash mid-append) is skipped rather than failing the whole start.
    return text
      .split("\n")
      .filter((line) => line.trim())
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as RecordedGraphRequest];
        } catch {
          return [];
        }
      });
  }

  /** Appends in order; callers await so the HTTP answer goes out only after the write. */
  append(record: RecordedGraphRequest): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    this.chain = this.chain.then(() => appendFile(file, `${JSON.stringify(record)}\n`, "utf8"));
    return this.chain;
  }

  flush(): Promise<void> {
    return this.chain.catch(() => undefined);
  }
}

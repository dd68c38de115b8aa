/**
 * Evidence files in Azure Blob Storage (Azurite locally). One container per deployment; keys are
 * chosen by the caller (e.g. "{schoolId}/{fileId}") and never contain a file's original name, since
 * that can name a pupil.
 */
import { BlobServiceClient, RestError, type ContainerClient } from "@azure/storage-blob";
import { z } from "zod";
import { StoreUnavailableError, ValidationError } from "../../domain/errors.js";
import { childLogger } from "../../logger.js";
import type { FileClaim, FileStore, ListedFile } from "../../ports/file-store.js";
import { claimMetadata, claimOf, CLAIMS_KEPT } from "./blob-claim.js";

export interface BlobFileStoreOptions {
  connectionString: string;
  /** Defaults to "evidence". */
  containerName?: string;
}

const log = childLogger("blob-file-store");

const keySchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((k) => !k.startsWith("/") && !k.split("/").some((part) => part === "" || part === "." || part === ".."), {
    message: "File keys are relative paths without empty, '.' or '..' segments.",
  })
  .refine((k) => !/[\\\u0000-\u001f]/.test(k), { message: "File keys cannot contain backslashes or control characters." });

function checkKey(key: string): string {
  const parsed = keySchema.safeParse(key);
  if (!parsed.success) throw ValidationError([{ field: "key", message: parsed.error.issues[0]?.message ?? "Invalid key." }]);
  return parsed.data;
}

const isNotFound = (e: unknown) => e instanceof RestError && e.statusCode === 404;
/** A conditional write or delete met a newer version of the blob. */
const isChanged = (e: unknown) => e instanceof RestError && (e.statusCode === 412 || e.statusCode === 409);

/** Blob metadata names (C# identifiers): when Keepsafe stored the file, and that a record holds it. */
const UPLOADED_AT = "keepsafeuploadedat";
const REFERENCED = "keepsaferefd";

/** Anything but a clear "not found" means storage is not answering properly: the caller may retry. */
function unavailable(operation: string, e: unknown): Error {
  log.warn({ operation, status: e instanceof RestError ? e.statusCode : undefined, code: (e as { code?: string }).code }, "blob storage failed");
  return StoreUnavailableError();
}

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

export class BlobFileStore implements FileStore {
  private readonly container: ContainerClient;
  /** A separate client for ping, with no retries, so a health check answers in seconds. */
  private readonly pingContainer: ContainerClient;
  private ensured: Promise<void> | undefined;

  constructor(opts: BlobFileStoreOptions) {
    const name = opts.containerName ?? "evidence";
    const service = BlobServiceClient.fromConnectionString(opts.connectionString, {
      retryOptions: { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2_000, tryTimeoutInMs: 60_000 },
    });
    const pingService = BlobServiceClient.fromConnectionString(opts.connectionString, {
      retryOptions: { maxTries: 1, tryTimeoutInMs: 3_000 },
    });
    this.container = service.getContainerClient(name);
    this.pingContainer = pingService.getContainerClient(name);
  }

  /** Creates the container on first use; a failure is forgotten so the next call tries again. */
  private ensureContainer(): Promise<void> {
    this.ensured ??= this.container.createIfNotExists().then(
      () => undefined,
      (e: unknown) => {
        this.ensured = undefined;
        throw e;
      },
    );
    return this.ensured;
  }

  async put(key: string, content: Buffer, contentType: string, uploadedAt?: string): Promise<void> {
    const name = checkKey(key);
    try {
      await this.ensureContainer();
      await this.container.getBlockBlobClient(name).uploadData(content, {
        blobHTTPHeaders: { blobContentType: contentType },
        metadata: { ...CLAIMS_KEPT, ...(uploadedAt ? { [UPLOADED_AT]: uploadedAt } : {}) },
      });
    } catch (e) {
      throw unavailable("put", e);
    }
  }

  async get(key: string): Promise<{ content: Buffer; contentType: string } | undefined> {
    const name = checkKey(key);
    try {
      const response = await this.container.getBlobClient(name).download();
      if (!response.readableStreamBody) throw new Error("blob download returned no body");
      const content = await streamToBuffer(response.readableStreamBody);
      return { content, contentType: response.contentType ?? "application/octet-stream" };
    } catch (e) {
      // A missing container is as good as a missing file: nothing was ever stored.
      if (isNotFound(e)) return undefined;
      throw unavailable("get", e);
    }
  }

  async *list(): AsyncIterable<ListedFile> {
    try {
      await this.ensureContainer();
    } catch (e) {
      throw unavailable("list", e);
    }
    const pages = this.container.listBlobsFlat({ includeMetadata: true }).byPage({ maxPageSize: 500 });
    for (;;) {
      let page;
      try {
        page = await pages.next();
      } catch (e) {
        throw unavailable("list", e);
      }
      if (page.done) return;
      for (const blob of page.value.segment.blobItems) {
        const kept = Date.parse(blob.metadata?.[UPLOADED_AT] ?? "");
        yield {
          key: blob.name,
          uploadedAt: Number.isNaN(kept) ? blob.properties.lastModified : new Date(kept),
          referenced: blob.metadata?.[REFERENCED] === "yes",
          version: blob.properties.etag ?? "",
          ...claimOf(blob.metadata),
        };
      }
    }
  }

  async claim(key: string, claim: FileClaim): Promise<boolean> {
    try {
      return await this.addMetadata(key, claimMetadata(claim));
    } catch (e) {
      throw unavailable("claim", e);
    }
  }

  async markReferenced(key: string): Promise<void> {
    try {
      await this.addMetadata(key, { [REFERENCED]: "yes" });
    } catch (e) {
      throw unavailable("markReferenced", e);
    }
  }

  /**
   * Metadata is replaced as a whole, so the rest is read first and written back only onto the
   * version read: a claim and a mark at the same moment never drop each other. False when the
   * blob is gone.
   */
  private async addMetadata(key: string, added: Record<string, string>): Promise<boolean> {
    const blob = this.container.getBlobClient(checkKey(key));
    for (let attempt = 1; ; attempt++) {
      try {
        const { metadata, etag } = await blob.getProperties();
        await blob.setMetadata({ ...metadata, ...added }, { conditions: { ifMatch: etag } });
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        if (!isChanged(e) || attempt === 3) throw e;
      }
    }
  }

  async delete(key: string, version?: string): Promise<boolean> {
    const blob = this.container.getBlobClient(checkKey(key));
    try {
      await blob.deleteIfExists(version ? { conditions: { ifMatch: version } } : {});
      return true;
    } catch (e) {
      if (version && isChanged(e)) return false;
      throw unavailable("delete", e);
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.pingContainer.exists();
      return true;
    } catch {
      return false;
    }
  }
}

export const createBlobFileStore = (opts: BlobFileStoreOptions): FileStore => new BlobFileStore(opts);

export interface StoredFile {
  id: string;
  contentType: string;
  size: number;
}

/** Evidence files (letters, scanned forms, photos) in blob storage. */
export interface FileStore {
  put(key: string, content: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<{ content: Buffer; contentType: string } | undefined>;
  ping(): Promise<boolean>;
}

import { createRequire } from "node:module";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Typed bindings to the parts of @vercel/cosmosdb-server we build on. Its public entry point only
 * offers a ready-made server whose handler answers before we could journal the write, so we
 * compose its router and in-memory account ourselves. Only the members used here are typed.
 */
const require = createRequire(import.meta.url);

export type Doc = Record<string, unknown> & { id: string; _rid: string; _etag: string };

export interface ItemsInternals {
  _data: Map<string, { read(): Doc | undefined }>;
  _ridCount: number;
  create(data: Record<string, unknown>): Doc;
  delete(idOrRid: string, partition?: unknown): void;
  _set(data: Doc): Doc;
  _item(keyPath: string, value: unknown, partition: unknown): { read(): Doc | undefined };
  _getPartition(data: Record<string, unknown>): unknown;
  /** The parsed query, from the library's cache of recent queries. */
  _getQuery(sql: string): ParsedQuery;
  _userDefinedFunctions(): unknown;
}

export interface ParsedQuery {
  ast: unknown;
  exec(docs: Doc[], options: Record<string, unknown>): unknown;
  containsPartitionKeys(paths: string[]): boolean;
}

export interface CollectionInternals {
  read(): Doc | undefined;
  documents: ItemsInternals;
  document(idOrRid: string, partition: unknown): { read(): Doc | undefined };
}

export interface DatabaseInternals {
  read(): Doc | undefined;
  collections: ItemsInternals;
  collection(idOrRid: string): CollectionInternals;
}

export interface AccountInternals {
  read(): Record<string, unknown>;
  databases: ItemsInternals;
  database(idOrRid: string): DatabaseInternals;
}

export type RouteHandler = (account: AccountInternals, req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => unknown;

const lib = (path: string) => require(`@vercel/cosmosdb-server/lib/${path}`).default;

const AccountClass = lib("account/index.js") as new (host: string, port: number) => AccountInternals;
export const newAccount = (host: string, port: number): AccountInternals => new AccountClass(host, port);

/** Returns the matched route's params and handler, or undefined when no route matches. */
export const matchRoute = lib("routes.js") as (req: IncomingMessage) => [Record<string, string>, RouteHandler] | undefined;

/** The library's handler for document queries, which we answer ourselves (see indexed-query.ts). */
export const libraryQueryDocuments = lib("handler/query-documents.js") as RouteHandler;

/** The library's point read and read feed of documents, told apart from metadata reads by identity. */
export const libraryReadDocument = lib("handler/read-document.js") as RouteHandler;
export const libraryReadDocuments = lib("handler/read-documents.js") as RouteHandler;

/** The library's feed wrapper: continuation and page size from headers, paging headers on the answer. */
export const readItems = lib("handler/_read-items.js") as (
  req: IncomingMessage,
  res: ServerResponse,
  itemsName: string,
  fn: (page: { continuation: unknown; maxItemCount: number | null }) => Promise<unknown>,
) => Promise<unknown>;

export const readJsonBody = lib("json.js") as (req: IncomingMessage) => Promise<Record<string, unknown>>;

export const isTrueHeader = lib("true-header.js") as (req: IncomingMessage, name: string) => boolean;

export const parsePartitionKey = require("@vercel/cosmosdb-server/lib/utils/get-partition-from-header.js").parsePartitionKey as (
  partitionKey: unknown,
  defaultValue: unknown,
) => unknown;

/** Iterates the live items of an Items collection (databases, collections or documents). */
export function* liveItems<T extends { read(): Doc | undefined }>(items: ItemsInternals): Generator<[Doc, T]> {
  for (const item of items._data.values()) {
    const data = item.read();
    if (data) yield [data, item as unknown as T];
  }
}

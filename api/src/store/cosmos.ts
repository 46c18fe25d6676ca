/**
 * The Cosmos DB client, for Azure or the embedded local server, and typed helpers that keep the
 * SDK's status-code conventions in one place.
 */
import { CosmosClient, type Container, type Database, type ItemDefinition, type JSONObject } from "@azure/cosmos";
import { DefaultAzureCredential } from "@azure/identity";
import { CONTAINERS, CONTAINER_NAMES, type ContainerName } from "./containers.js";

export interface StoreOptions {
  endpoint: string;
  key?: string;
  database: string;
  /** The local server speaks plain http and has no regions to discover. */
  local: boolean;
}

export type Containers = Record<ContainerName, Container>;

export interface Store {
  client: CosmosClient;
  database: Database;
  containers: Containers;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const client = options.key || options.local
    ? new CosmosClient({
        endpoint: options.endpoint,
        key: options.key ?? "local-emulator-key",
        connectionPolicy: options.local ? { enableEndpointDiscovery: false } : undefined,
      })
    : new CosmosClient({ endpoint: options.endpoint, aadCredentials: new DefaultAzureCredential() });
  const { database } = await client.databases.createIfNotExists({ id: options.database });
  const entries = await Promise.all(
    CONTAINER_NAMES.map(async (name) => {
      const { container } = await database.containers.createIfNotExists({
        id: name,
        partitionKey: { paths: ["/tenantId"] },
        ...CONTAINERS[name],
      });
      return [name, container] as const;
    }),
  );
  return { client, database, containers: Object.fromEntries(entries) as Containers };
}

export interface Doc extends ItemDefinition {
  id: string;
  tenantId: string;
  _etag?: string;
}

export function errorCode(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "number" ? code : undefined;
  }
  return undefined;
}

/** True for 409 (id or unique key taken) — the signal that another writer won a race. */
export const isConflict = (e: unknown) => errorCode(e) === 409;
/** True for 412 (If-Match on a stale ETag). */
export const isStale = (e: unknown) => errorCode(e) === 412;

export async function readDoc<T extends Doc>(container: Container, tenantId: string, id: string): Promise<T | undefined> {
  const { resource } = await container.item(id, tenantId).read<T>();
  return resource;
}

/** Create, or report that the id (or a unique key) is already taken. */
export async function createDoc<T extends Doc>(container: Container, doc: T): Promise<{ created: true; doc: T } | { created: false }> {
  try {
    const { resource } = await container.items.create<T>(doc);
    return { created: true, doc: resource as T };
  } catch (e) {
    if (isConflict(e)) return { created: false };
    throw e;
  }
}

/**
 * Create many documents of one tenant with the bulk API: one request per 100 documents instead of
 * one each. Not a transaction: every create is applied on its own and answers on its own, exactly
 * like `createDoc` (created, or 409 = the id is taken). An operation that answers anything else
 * (throttled, failed) is retried as a point create, which has the SDK's retry policy.
 */
export async function bulkCreate<T extends Doc>(container: Container, docs: readonly T[]): Promise<boolean[]> {
  const created: boolean[] = new Array(docs.length).fill(false);
  const retry: number[] = [];
  for (let start = 0; start < docs.length; start += BULK_CHUNK) {
    const chunk = docs.slice(start, start + BULK_CHUNK);
    const answers = await container.items.bulk(chunk.map((doc) => ({ operationType: "Create" as const, partitionKey: doc.tenantId, resourceBody: doc as unknown as JSONObject })), { continueOnError: true });
    answers.forEach((a, i) => {
      if (a.statusCode === 201) created[start + i] = true;
      else if (a.statusCode !== 409) retry.push(start + i);
    });
  }
  for (const i of retry) created[i] = (await createDoc(container, docs[i])).created;
  return created;
}

/** Point-read many documents of one tenant with the bulk API (404 = undefined); other answers are retried as point reads. */
export async function bulkRead<T extends Doc>(container: Container, tenantId: string, ids: readonly string[]): Promise<(T | undefined)[]> {
  const found: (T | undefined)[] = new Array(ids.length).fill(undefined);
  const retry: number[] = [];
  for (let start = 0; start < ids.length; start += BULK_CHUNK) {
    const chunk = ids.slice(start, start + BULK_CHUNK);
    const answers = await container.items.bulk(chunk.map((id) => ({ operationType: "Read" as const, id, partitionKey: tenantId })), { continueOnError: true });
    answers.forEach((a, i) => {
      if (a.statusCode === 200) found[start + i] = a.resourceBody as unknown as T;
      else if (a.statusCode !== 404) retry.push(start + i);
    });
  }
  for (const i of retry) found[i] = await readDoc<T>(container, tenantId, ids[i]);
  return found;
}

/** Operations per bulk request (the service's limit per partition batch). */
const BULK_CHUNK = 100;

/** Replace only if nobody wrote since `etag`; false when they did. */
export async function replaceIfMatch<T extends Doc>(container: Container, doc: T, etag: string): Promise<T | undefined> {
  try {
    const { resource } = await container.item(doc.id, doc.tenantId).replace<T>(doc, { accessCondition: { type: "IfMatch", condition: etag } });
    return resource as T;
  } catch (e) {
    if (isStale(e)) return undefined;
    throw e;
  }
}

/**
 * Query one tenant's partition (tenantId given) or, for jobs, every partition (undefined). A tenant
 * query must itself filter `c.tenantId = @tenantId`: the local store ignores the partitionKey option,
 * and the filter keeps isolation in the query text rather than in a request option alone.
 */
export async function queryAll<T>(container: Container, tenantId: string | undefined, query: string, parameters: Record<string, unknown> = {}): Promise<T[]> {
  if (tenantId !== undefined && !query.includes("c.tenantId = @tenantId")) {
    throw new Error(`tenant query without "c.tenantId = @tenantId": ${query}`);
  }
  const all = tenantId === undefined ? parameters : { ...parameters, "@tenantId": tenantId };
  const spec = { query, parameters: Object.entries(all).map(([name, value]) => ({ name, value: value as never })) };
  const { resources } = await container.items.query<T>(spec, tenantId === undefined ? {} : { partitionKey: tenantId }).fetchAll();
  return resources;
}

/** Strip the server's system properties before a document leaves the store layer. */
export function withoutSystemFields<T extends object>(doc: T): Omit<T, "_rid" | "_self" | "_etag" | "_attachments" | "_ts"> {
  const { _rid, _self, _etag, _attachments, _ts, ...rest } = doc as Record<string, unknown>;
  void _rid; void _self; void _etag; void _attachments; void _ts;
  return rest as Omit<T, "_rid" | "_self" | "_etag" | "_attachments" | "_ts">;
}

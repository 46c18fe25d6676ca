/**
 * The Cosmos DB client, for Azure or the embedded local server, and typed helpers that keep the
 * SDK's status-code conventions in one place.
 */
import { CosmosClient, type Container, type ContainerDefinition, type Database, type ItemDefinition, type JSONObject } from "@azure/cosmos";
import { DefaultAzureCredential } from "@azure/identity";
import { storeId } from "../shared/store-ids.js";
import {
  CONTAINERS,
  CONTAINER_NAMES,
  MONTH_PARTITION_KEY_PATH,
  PARTITION_KEY_PATH,
  indexesPath,
  monthPartition,
  partitionPathOf,
  partitionValueOf,
  type ContainerName,
} from "./containers.js";

export interface StoreOptions {
  endpoint: string;
  key?: string;
  database: string;
  /** The local server speaks plain http and has no regions to discover. */
  local: boolean;
  /**
   * Create the database and containers when missing (default: only for the local server). In Azure
   * the app has data-plane rights only and creates nothing: infra/modules/cosmos.bicep does, and
   * openStore checks that every container exists with its partition key and unique keys.
   */
  create?: boolean;
}

export type Containers = Record<ContainerName, Container>;

export interface Store {
  client: CosmosClient;
  database: Database;
  containers: Containers;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const client =
    options.key || options.local
      ? new CosmosClient({
          endpoint: options.endpoint,
          key: options.key ?? "local-emulator-key",
          connectionPolicy: options.local ? { enableEndpointDiscovery: false } : undefined,
        })
      : new CosmosClient({ endpoint: options.endpoint, aadCredentials: new DefaultAzureCredential() });
  if (!(options.create ?? options.local)) {
    try {
      await checkStore(client, options);
    } catch (error) {
      await client.dispose();
      throw error;
    }
    const database = client.database(options.database);
    const containers = Object.fromEntries(CONTAINER_NAMES.map((name) => [name, database.container(name)])) as Containers;
    return { client, database, containers };
  }
  const { database } = await client.databases.createIfNotExists({ id: options.database });
  const entries = await Promise.all(
    CONTAINER_NAMES.map(async (name) => {
      const { container } = await database.containers.createIfNotExists({
        id: name,
        partitionKey: { paths: [PARTITION_KEY_PATH] },
        ...CONTAINERS[name],
      });
      return [name, container] as const;
    }),
  );
  return { client, database, containers: Object.fromEntries(entries) as Containers };
}

/**
 * Reads (never creates) the database and every container; throws one message naming everything
 * missing or different, and how to fix it.
 */
async function checkStore(client: CosmosClient, options: StoreOptions): Promise<void> {
  const where = `Cosmos DB ${options.endpoint}`;
  const fix = "The app creates nothing in Azure: provision infra/azure.bicep (teamsapp provision) or create them as infra/modules/cosmos.bicep does.";
  try {
    await client.database(options.database).read();
  } catch (error) {
    if (errorCode(error) === 404)
      throw new Error(`${where} has no database "${options.database}" (and so none of its containers: ${CONTAINER_NAMES.join(", ")}). ${fix}`, { cause: error });
    throw storeAccessError(where, error);
  }
  const problems: string[] = [];
  const missing: string[] = [];
  for (const name of CONTAINER_NAMES) {
    let definition: ContainerDefinition | undefined;
    try {
      ({ resource: definition } = await client.database(options.database).container(name).read());
    } catch (error) {
      if (errorCode(error) !== 404) throw storeAccessError(where, error);
    }
    if (!definition) {
      missing.push(name);
      continue;
    }
    const paths = definition.partitionKey?.paths ?? [];
    const wanted = partitionPathOf(name);
    if (paths.length !== 1 || paths[0] !== wanted) {
      const migrate = wanted === MONTH_PARTITION_KEY_PATH ? " (a container's partition key cannot change: create it anew and copy the documents, README: Capacity)" : "";
      problems.push(`container "${name}" is partitioned by ${paths.join(", ") || "nothing"}, not ${wanted}${migrate}`);
    }
    const expected = uniqueKeyText(CONTAINERS[name]);
    const actual = uniqueKeyText(definition);
    if (expected !== actual) problems.push(`container "${name}" has unique keys [${actual}], not [${expected}]`);
    // A path the queries filter or order by that the container does not index: ORDER BY on it fails in Azure.
    const unindexed = CONTAINERS[name].indexingPolicy.includedPaths.map((p) => p.path).filter((path) => !indexesPath(definition.indexingPolicy, path));
    if (unindexed.length > 0) problems.push(`container "${name}" does not index ${unindexed.join(", ")}, which its queries use`);
  }
  if (missing.length > 0) problems.unshift(`database "${options.database}" has no container ${missing.map((name) => `"${name}"`).join(", ")}`);
  if (problems.length > 0) throw new Error(`${where}: ${problems.join("; ")}. ${fix}`);
}

function uniqueKeyText(definition: Partial<ContainerDefinition>): string {
  return (definition.uniqueKeyPolicy?.uniqueKeys ?? [])
    .map((key) => key.paths.join("+"))
    .sort()
    .join(", ");
}

function storeAccessError(where: string, error: unknown): Error {
  const code = errorCode(error);
  const reason =
    code === 401 || code === 403
      ? "refused the app's identity: it needs the Cosmos DB Built-in Data Contributor role on the account (infra/modules/cosmos-role.bicep)"
      : `could not be read (${error instanceof Error ? error.message : String(error)})`;
  return new Error(`${where} ${reason}`, { cause: error });
}

export interface Doc extends ItemDefinition {
  id: string;
  tenantId: string;
  /** The partition key of a month-partitioned container's document (containers.ts: monthPartition). */
  pk?: string;
  _etag?: string;
}

/** The partition key value of `doc` in `container`: its tenantId, or its `pk` where the container is partitioned by month. */
function partitionOf(container: Container, doc: Doc): string {
  const value = partitionValueOf(container.id, doc);
  if (value === undefined) throw new Error(`a document of ${container.id} without its partition key (${partitionPathOf(container.id)}): ${doc.id}`);
  return value;
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

/**
 * A point read; `id` may come from a client (a path, a card's data): an id the store cannot hold is
 * simply not there. `partition` is the tenantId, or in a month-partitioned container the month's
 * partition key (monthPartition).
 */
export async function readDoc<T extends Doc>(container: Container, partition: string, id: string): Promise<T | undefined> {
  const { resource } = await container.item(storeId(id), partition).read<T>();
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
    const answers = await container.items.bulk(
      chunk.map((doc) => ({ operationType: "Create" as const, partitionKey: partitionOf(container, doc), resourceBody: doc as unknown as JSONObject })),
      { continueOnError: true },
    );
    answers.forEach((a, i) => {
      if (a.statusCode === 201) created[start + i] = true;
      else if (a.statusCode !== 409) retry.push(start + i);
    });
  }
  for (const i of retry) created[i] = (await createDoc(container, docs[i])).created;
  return created;
}

/**
 * Point-read many documents of one tenant with the bulk API (404 = undefined); other answers are
 * retried as point reads. `partition`: the tenantId, or (month-partitioned containers) each id's
 * partition key.
 */
export async function bulkRead<T extends Doc>(container: Container, partition: string | ((id: string) => string), ids: readonly string[]): Promise<(T | undefined)[]> {
  const partitionFor = typeof partition === "string" ? () => partition : partition;
  const found: (T | undefined)[] = new Array(ids.length).fill(undefined);
  const retry: number[] = [];
  for (let start = 0; start < ids.length; start += BULK_CHUNK) {
    const chunk = ids.slice(start, start + BULK_CHUNK);
    const answers = await container.items.bulk(
      chunk.map((id) => ({ operationType: "Read" as const, id, partitionKey: partitionFor(id) })),
      { continueOnError: true },
    );
    answers.forEach((a, i) => {
      if (a.statusCode === 200) found[start + i] = a.resourceBody as unknown as T;
      else if (a.statusCode !== 404) retry.push(start + i);
    });
  }
  for (const i of retry) found[i] = await readDoc<T>(container, partitionFor(ids[i]), ids[i]);
  return found;
}

/** Operations per bulk request (the service's limit per partition batch). */
const BULK_CHUNK = 100;

/** Replace only if nobody wrote since `etag`; false when they did. */
export async function replaceIfMatch<T extends Doc>(container: Container, doc: T, etag: string): Promise<T | undefined> {
  try {
    const { resource } = await container.item(doc.id, partitionOf(container, doc)).replace<T>(doc, { accessCondition: { type: "IfMatch", condition: etag } });
    return resource as T;
  } catch (e) {
    if (isStale(e)) return undefined;
    throw e;
  }
}

/**
 * Query one tenant's partition (tenantId given) or, for jobs, every partition (undefined). A tenant
 * query must itself filter `c.tenantId = @tenantId`: the filter keeps isolation in the query text
 * rather than in a request option alone. In a month-partitioned container a tenant query names its
 * month (`yyyy-mm`): it runs in that one logical partition (the embedded store honours the
 * partition too, local-server.ts); a query over several months is `queryMonths`.
 */
export async function queryAll<T>(container: Container, tenantId: string | undefined, query: string, parameters: Record<string, unknown> = {}, month?: string): Promise<T[]> {
  if (tenantId !== undefined && !query.includes("c.tenantId = @tenantId")) {
    throw new Error(`tenant query without "c.tenantId = @tenantId": ${query}`);
  }
  const byMonth = partitionPathOf(container.id) === MONTH_PARTITION_KEY_PATH;
  if (tenantId !== undefined && byMonth !== (month !== undefined)) {
    throw new Error(byMonth ? `a query of ${container.id} names its month partition: ${query}` : `${container.id} is not partitioned by month: ${query}`);
  }
  const all = tenantId === undefined ? parameters : { ...parameters, "@tenantId": tenantId };
  const spec = { query, parameters: Object.entries(all).map(([name, value]) => ({ name, value: value as never })) };
  const partitionKey = tenantId === undefined ? undefined : month === undefined ? tenantId : monthPartition(tenantId, month);
  const { resources } = await container.items.query<T>(spec, partitionKey === undefined ? {} : { partitionKey }).fetchAll();
  return resources;
}

/** `queryAll` once per month partition of `months` (`yyyy-mm`), in that order: a tenant's query that spans months, never cross-partition. */
export async function queryMonths<T>(container: Container, tenantId: string, months: readonly string[], query: string, parameters: Record<string, unknown> = {}): Promise<T[]> {
  const found: T[] = [];
  for (const month of months) found.push(...(await queryAll<T>(container, tenantId, query, parameters, month)));
  return found;
}

/** Strip the server's system properties before a document leaves the store layer. */
export function withoutSystemFields<T extends object>(doc: T): Omit<T, "_rid" | "_self" | "_etag" | "_attachments" | "_ts"> {
  const { _rid, _self, _etag, _attachments, _ts, ...rest } = doc as Record<string, unknown>;
  void _rid;
  void _self;
  void _etag;
  void _attachments;
  void _ts;
  return rest as Omit<T, "_rid" | "_self" | "_etag" | "_attachments" | "_ts">;
}

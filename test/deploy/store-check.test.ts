/**
 * In Azure the app has data-plane rights only: openStore creates nothing there and stops with a
 * message naming what is missing. Driven against the embedded Cosmos-compatible server through
 * the real SDK, with creation turned off as it is for an Azure endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CosmosClient } from "@azure/cosmos";
import { openStore } from "../../api/src/store/cosmos.js";
import { CONTAINER_NAMES } from "../../api/src/store/containers.js";
import { startLocalCosmos, type LocalCosmos } from "../../api/src/local/store/local-server.js";

let cosmos: LocalCosmos;
let admin: CosmosClient;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  admin = new CosmosClient({ endpoint: cosmos.endpoint, key: "local-emulator-key", connectionPolicy: { enableEndpointDiscovery: false } });
});
afterAll(async () => {
  admin?.dispose();
  await cosmos?.close();
});

const checkOnly = (database: string) => openStore({ endpoint: cosmos.endpoint, database, local: true, create: false });

describe("opening the store without the right to create", () => {
  it("names the missing database and creates nothing", async () => {
    await expect(checkOnly("nothing-here")).rejects.toThrow(/no database "nothing-here".*creates nothing in Azure/s);
    const { resources } = await admin.databases.readAll().fetchAll();
    expect(resources.map((d) => d.id)).not.toContain("nothing-here");
  });

  it("names every missing container, and a container with another partition key or unique keys", async () => {
    const { database } = await admin.databases.createIfNotExists({ id: "partial" });
    for (const name of CONTAINER_NAMES.filter((n) => n !== "state" && n !== "audit" && n !== "ledger" && n !== "usage")) {
      await database.containers.createIfNotExists({ id: name, partitionKey: { paths: ["/tenantId"] } });
    }
    // Without its unique key, and not indexing seq, which the ledger page orders by.
    await database.containers.createIfNotExists({
      id: "ledger",
      partitionKey: { paths: ["/tenantId"] },
      indexingPolicy: { includedPaths: [{ path: "/tenantId/?" }, { path: "/ref/?" }], excludedPaths: [{ path: "/*" }] },
    });
    // Usage as it was created before it was partitioned by tenant and month.
    await database.containers.createIfNotExists({ id: "usage", partitionKey: { paths: ["/tenantId"] } });
    const error = await checkOnly("partial").then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/no container "audit", "state"/);
    expect(error?.message).toMatch(/"ledger" has unique keys \[\], not \[\/ref\]/);
    expect(error?.message).toMatch(/"usage" is partitioned by \/tenantId, not \/pk \(a container's partition key cannot change: create it anew and copy the documents/);
    expect(error?.message).toMatch(/"ledger" does not index \/seq\/\?, which its queries use/);
    expect(error?.message).not.toMatch(/"licenses" does not index/); // created with the service's default policy: everything indexed
    const { resources } = await database.containers.readAll().fetchAll();
    expect(resources.map((c) => c.id)).not.toContain("state");
  });

  it("opens a store that has every container as the Bicep creates them", async () => {
    const created = await openStore({ endpoint: cosmos.endpoint, database: "complete", local: true });
    created.client.dispose();
    const store = await checkOnly("complete");
    try {
      expect(Object.keys(store.containers).sort()).toEqual([...CONTAINER_NAMES].sort());
      await store.containers.state.items.upsert({ id: "probe", tenantId: "t1" });
      const { resource } = await store.containers.state.item("probe", "t1").read();
      expect(resource?.id).toBe("probe");
    } finally {
      store.client.dispose();
    }
  });
});

/** The embedded store keeps the demo across a restart: snapshot on stop, restore on start. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import { loadConfig } from "../../api/src/config.js";
import { createApp } from "../../api/src/app.js";

describe("the embedded store across restarts", () => {
  let world: TestWorld;
  let dataDir: string;
  beforeAll(async () => {
    world = await startWorld(); // only its processor and directory: the app embeds its own store here
    dataDir = await mkdtemp(join(tmpdir(), "credits-data-"));
  });
  afterAll(async () => {
    await world.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = () =>
    createApp(
      loadConfig({ APP_ENV: "local", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, PROCESSOR_URL: world.sandbox.url, GRAPH_BASE_URL: world.graph.url, JOBS_INTERVAL_MS: "0" }),
      { graphCa: world.graph.ca, logger: pino({ level: "silent" }) },
    );

  it("restores accounts, ledger, licenses and the dev signing key", async () => {
    const first = await start();
    expect(first.world.local.cosmos).toBeDefined();
    const megan = await ApiClient.signIn(first.url, "megan@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(120) });
    const lee = await ApiClient.signIn(first.url, "lee@contoso.example");
    await lee.delete("/api/v1/licenses/a1f0c0de-0000-4000-8000-000000000004"); // diego loses his license
    const ledgerBefore = (await megan.get("/api/v1/ledger")).body;
    await first.close();
    expect((await stat(join(dataDir, "cosmos-snapshot.json"))).size).toBeGreaterThan(0);

    const second = await start();
    const sameToken = new ApiClient(second.url, megan.token);
    const account = await sameToken.get("/api/v1/account");
    expect(account.status).toBe(200); // the token signed before the restart still verifies
    expect(account.body).toMatchObject({ status: "active", balanceMicros: usd(120), paymentMethod: { last4: "4242" } });
    expect((await sameToken.get("/api/v1/ledger")).body).toEqual(ledgerBefore);
    const users = (await sameToken.get("/api/v1/users")).body.items;
    expect(users.find((u: { upn: string }) => u.upn === "diego@contoso.example").licensed).toBe(false); // seeding did not undo the removal
    await second.close();
  });
});

/** GET/PUT /api/v1/notification-settings over HTTP: who may read and change them, validation at the edge, audit. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID, DirectoryRole, NOTIFICATION_KINDS, NOTIFIED_ROLES } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient } from "../support/http.js";
import type { App } from "../../api/src/app.js";

describe("notification settings", () => {
  let world: TestWorld;
  let app: App;
  let megan: ApiClient;
  let adele: ApiClient;
  let diego: ApiClient;

  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    [megan, adele, diego] = await Promise.all(["megan", "adele", "diego"].map((n) => ApiClient.signIn(app.url, `${n}@contoso.example`)));
  });
  afterAll(() => world.close());

  // activityFeed: on unless the tenant turns it off (API.md v1.2).
  const acting = () => ({
    kinds: { ...Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, { roles: NOTIFIED_ROLES }])), ...wanted.kinds },
    channels: wanted.channels,
    activityFeed: true,
    lowBalanceThresholds: [],
    // What the (absent) low-balance thresholds mean today: the account's currency, auto-recharge off.
    lowBalanceToday: { currency: "USD", autoRechargeOn: false, amountsMicros: [] },
  });
  const wanted = {
    kinds: {
      recharge_failed: { roles: [DirectoryRole.BillingAdministrator, DirectoryRole.GlobalAdministrator] },
      spend_spike: { roles: [DirectoryRole.TeamsCommunicationsAdministrator] },
    },
    channels: [{ teamId: "19:team-finance", channelId: "19:finance-alerts@thread.tacv2", name: "Finance alerts" }],
  };

  it("starts empty (every notified role, no channel) and any notified admin can read it", async () => {
    const res = await adele.get("/api/v1/notification-settings");
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.kinds).sort()).toEqual([...NOTIFICATION_KINDS].sort());
    for (const kind of NOTIFICATION_KINDS) expect(res.body.kinds[kind].roles).toEqual(NOTIFIED_ROLES);
    expect(res.body.channels).toEqual([]);
  });

  it("a billing admin replaces it; the change is audited with before and after; it is what the notifier uses", async () => {
    const res = await megan.put("/api/v1/notification-settings", wanted);
    expect(res.status).toBe(200);
    // Answered as it acts: the kinds set as sent, every other kind with its default roles.
    expect(res.body).toEqual(acting());
    expect((await adele.get("/api/v1/notification-settings")).body).toEqual(acting());
    const { resources: audit } = await app.world.store.containers.audit.items
      .query({ query: "SELECT * FROM c WHERE c.tenantId = @t AND c.action = 'notifications.configured'", parameters: [{ name: "@t", value: CONTOSO_TENANT_ID }] })
      .fetchAll();
    expect(audit).toEqual([
      expect.objectContaining({ actor: { id: "a1f0c0de-0000-4000-8000-000000000001", upn: "megan@contoso.example" }, before: { kinds: {}, channels: [] }, after: wanted }),
    ]);
    const recipients = await app.services.recipients.resolve(CONTOSO_TENANT_ID, "recharge_failed");
    expect(recipients.users.map((u) => u.upn).sort()).toEqual(["lee@contoso.example", "megan@contoso.example"]);
    expect(recipients.channels).toEqual(wanted.channels);
  });

  it("someone outside the admin roles can neither read nor change it, and nothing changes", async () => {
    const read = await diego.get("/api/v1/notification-settings");
    expect(read.status).toBe(403);
    expect(read.headers.get("content-type")).toContain("application/problem+json");
    const write = await diego.put("/api/v1/notification-settings", { kinds: {}, channels: [] });
    expect(write.status).toBe(403);
    expect(write.body.detail).toMatch(/administrators/i);
    expect((await megan.get("/api/v1/notification-settings")).body).toEqual(acting());
  });

  it("refuses an unknown kind, a role that is not notified, a duplicate channel or extra fields with words, changing nothing", async () => {
    const bad = [
      { kinds: { coffee_low: { roles: [DirectoryRole.BillingAdministrator] } }, channels: [] },
      { kinds: { balance_low: { roles: ["00000000-0000-0000-0000-000000000000"] } }, channels: [] },
      { kinds: {}, channels: [wanted.channels[0], wanted.channels[0]] },
      { kinds: {}, channels: [], extra: true },
      { kinds: "all", channels: [] },
      null,
    ];
    for (const body of bad) {
      const res = await megan.put("/api/v1/notification-settings", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const unknownKind = await megan.put("/api/v1/notification-settings", bad[0]);
    expect(JSON.stringify(unknownKind.body)).toContain("is not a notification kind");
    expect((await megan.get("/api/v1/notification-settings")).body).toEqual(acting());
  });

  it("answers what each low-balance threshold means today, in the account's currency, as the alerts use it", async () => {
    const thresholds = [{ percentOfRecharge: 12.345 }, { amountMicros: 30_000_000 }, { percentOfRecharge: 50 }];
    // No recharge amount yet: a percentage means nothing yet, an amount means itself.
    const before = await megan.put("/api/v1/notification-settings", { ...wanted, lowBalanceThresholds: thresholds });
    expect(before.status).toBe(200);
    expect(before.body.lowBalanceToday).toEqual({ currency: "USD", autoRechargeOn: false, amountsMicros: [null, 30_000_000, null] });
    expect((await megan.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
    expect((await megan.put("/api/v1/account/auto-recharge", { enabled: true, amountMicros: 80_000_000, thresholdMicros: 20_000_000 })).status).toBe(200);
    // 12.345 % of 80.00 is 9.876 (micros, as the alert compares them; people see it to the cent); 50 % is 40.00.
    const after = await adele.get("/api/v1/notification-settings");
    expect(after.body.lowBalanceThresholds).toEqual(thresholds);
    expect(after.body.lowBalanceToday).toEqual({ currency: "USD", autoRechargeOn: true, amountsMicros: [9_876_000, 30_000_000, 40_000_000] });
    // The answer sent back as a PUT body is refused (it is the server's to say), and nothing changes.
    const echoed = await megan.put("/api/v1/notification-settings", after.body);
    expect(echoed.status).toBe(400);
    expect((await megan.get("/api/v1/notification-settings")).body).toEqual(after.body);
  });
});

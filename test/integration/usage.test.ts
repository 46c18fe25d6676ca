/**
 * PSTN usage end to end against the local store: every rating rule with charges computed by hand
 * from api/src/data/rate-card.usd.json, the ledger debit, bad rows, authorize at zero balance,
 * summaries from the rollups, records paging, tenant isolation, roles and bad inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient } from "../support/http.js";
import { allRecords, call, ledgerEntries, sumOf, USAGE_TENANTS, userId } from "./usage-fixtures.js";

const MARCH = "2025-03-10T15:00:00Z";
const RANGE = "from=2025-03-01&to=2025-04-01";

describe("PSTN usage", () => {
  let world: TestWorld;
  let url: string;
  let megan: ApiClient; // contoso Billing Administrator
  let hanna: ApiClient; // woodgrove Billing Administrator
  beforeAll(async () => {
    world = await startWorld({ tenants: USAGE_TENANTS });
    url = (await world.app()).url;
    megan = await ApiClient.signIn(url, "megan@contoso.example");
    hanna = await ApiClient.signIn(url, "hanna@woodgrove.example");
  });
  afterAll(() => world.close());

  describe("authorize at zero balance (contoso has no funds yet)", () => {
    const authorize = (body: object) => megan.post("/api/v1/calls/authorize", body);

    it("refuses chargeable calls, toll-free included, and allows emergency and plan-covered calls", async () => {
      expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(0);
      // diego (domestic plan, licensed) to India: international, paid from credits at 0.10/min.
      expect((await authorize({ userId: userId("diego@contoso.example"), callType: "user_out", number: "+919812345678" })).body).toMatchObject({
        allowed: false,
        reason: "insufficient_balance",
        perMinuteMicros: 100_000,
      });
      // A call to our US toll-free bridge: 0.02/min, the organisation pays, so it stops at zero too.
      expect((await authorize({ userId: "", callType: "conf_in", number: "+18005550100", inventoryType: "Toll free" })).body).toMatchObject({
        allowed: false,
        reason: "insufficient_balance",
        perMinuteMicros: 20_000,
      });
      // Emergency numbers are never refused.
      expect((await authorize({ userId: userId("diego@contoso.example"), callType: "user_out", number: "911" })).body).toMatchObject({ allowed: true, perMinuteMicros: 0 });
      // A domestic call within the domestic pool (3 users × 3000 min) needs no balance.
      expect((await authorize({ userId: userId("diego@contoso.example"), callType: "user_out", number: "+12065550100" })).body).toMatchObject({
        allowed: true,
        perMinuteMicros: 0,
      });
      // lynne has no Communications Credits license: refused before the balance matters.
      expect((await authorize({ userId: userId("lynne@contoso.example"), callType: "user_out", number: "+919812345678" })).body).toMatchObject({
        allowed: false,
        reason: "no_license",
        perMinuteMicros: 100_000,
      });
      // A number the rate card cannot price is not connected.
      expect((await authorize({ userId: userId("diego@contoso.example"), callType: "user_out", number: "+0123456789" })).body).toMatchObject({
        allowed: false,
        reason: "destination_blocked",
      });
    });

    it("validates the request", async () => {
      expect((await authorize({ userId: userId("diego@contoso.example"), callType: "user_out" })).status).toBe(400);
      expect((await authorize({ userId: userId("diego@contoso.example"), callType: "user_out", number: "not a number" })).status).toBe(400);
      expect((await authorize({ userId: "b2f0c0de-0000-4000-8000-000000000001", callType: "user_out", number: "+12065550100" })).status).toBe(404); // fabrikam's user
    });
  });

  describe("rating every rule (contoso: US, lee/diego licensed domestic, lynne unlicensed domestic)", () => {
    const lee = "lee@contoso.example";
    const diego = "diego@contoso.example";
    const lynne = "lynne@contoso.example";
    // Expected charge per row, by hand from the USD rate card.
    const cases = [
      // Toll-free inbound (prefix 1800, toll-free 20,000/min): 125 s = 3 started minutes → 3 × 20,000 = 60,000; no user needed.
      {
        row: call({ callType: "conf_in", to: "+18005550100", seconds: 125, start: MARCH, inventoryType: "Toll free", from: "+12065550199" }),
        chargedTo: "credits",
        charge: 60_000,
        minutes: 3,
      },
      // Conference dial-out to a Philippine mobile (639: 200,000/min + 10,000 fee; PH is outside Zone A): 61 s = 2 min → 2 × 200,000 + 10,000 = 410,000.
      { row: call({ upn: lee, callType: "conf_out", to: "+639171234567", seconds: 61, start: MARCH }), chargedTo: "credits", charge: 410_000, minutes: 2 },
      // Conference dial-out to the UK (Zone A): included.
      { row: call({ upn: lee, callType: "conf_out", to: "+442079460000", seconds: 600, start: MARCH }), chargedTo: "included", charge: 0, minutes: 10 },
      // International by a domestic-plan user to an Indian mobile (919: 100,000/min): 300 s = 5 min → 500,000.
      { row: call({ upn: diego, to: "+919812345678", seconds: 300, start: MARCH }), chargedTo: "credits", charge: 500_000, minutes: 5 },
      // Domestic by a domestic-plan user: from the pool (9,000 min this month), 600 s = 10 min, 0 charged.
      { row: call({ upn: diego, to: "+12065550100", seconds: 600, start: MARCH }), chargedTo: "plan", charge: 0, minutes: 10 },
      // International by unlicensed lynne to Berlin (49: 25,000/min): 60 s = 1 min, would be 25,000; charged to nobody, flagged.
      { row: call({ upn: lynne, to: "+4930123456", seconds: 60, start: MARCH }), chargedTo: "none", charge: 0, minutes: 1, flags: ["unlicensed"], would: 25_000 },
      // Emergency: never charged.
      { row: call({ upn: lee, to: "911", seconds: 90, start: MARCH }), chargedTo: "included", charge: 0, minutes: 2, flags: ["emergency"] },
      // Ordinary inbound to a user's number: included.
      { row: call({ upn: lee, callType: "user_in", to: "+12065550123", seconds: 30, start: MARCH, from: "+442079460000" }), chargedTo: "included", charge: 0, minutes: 1 },
      // A call that never connected a minute: 0 min, no fee, 0 charged.
      { row: call({ upn: diego, to: "+919812345678", seconds: 0, start: MARCH }), chargedTo: "credits", charge: 0, minutes: 0 },
      // Conference dial-out (user_out_conf) to a Brazilian mobile: BR is in Zone A, included.
      { row: call({ upn: lee, callType: "user_out_conf", to: "+5511912345678", seconds: 120, start: "2025-03-11T09:00:00Z" }), chargedTo: "included", charge: 0, minutes: 2 },
    ];
    // 60,000 + 410,000 + 500,000 = 970,000
    const expectedTotal = 970_000;
    let posted: any;

    it("rates, records and debits the ledger by exactly the credits charges", async () => {
      const res = await megan.postMoney("/api/v1/usage/records", { records: cases.map((c) => c.row) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      posted = res.body;
      expect(posted).toMatchObject({ accepted: cases.length, duplicates: 0, rejected: [], chargedMicros: expectedTotal, balanceMicros: -expectedTotal });

      const records = await allRecords(megan, "2025-03-01", "2025-04-01");
      expect(records).toHaveLength(cases.length);
      for (const c of cases) {
        const r = records.find((x) => x.id === c.row.id);
        expect(r, c.row.calleeNumber).toMatchObject({ chargedTo: c.chargedTo, chargeMicros: c.charge, billedMinutes: c.minutes, currency: "USD", state: "posted" });
        for (const flag of c.flags ?? []) expect(r.flags).toContain(flag);
        if (c.would !== undefined) expect(r.wouldChargeMicros).toBe(c.would);
      }
      expect(
        sumOf(
          records.filter((r) => r.chargedTo === "credits"),
          "chargeMicros",
        ),
      ).toBe(expectedTotal);
      // Newest first.
      expect(records.map((r) => r.startDateTime)).toEqual([...records.map((r) => r.startDateTime)].sort().reverse());

      const usage = (await ledgerEntries(megan)).filter((e) => e.kind === "usage");
      expect(usage).toHaveLength(1);
      expect(usage[0].amountMicros).toBe(-expectedTotal);
      expect(usage[0].ref).toMatch(/^usage:[0-9a-f]{32}$/);
      const charged = records.filter((r) => r.chargeMicros > 0);
      expect(new Set(charged.map((r) => r.ledgerRef))).toEqual(new Set([usage[0].ref]));
      expect(records.filter((r) => r.chargeMicros === 0).every((r) => r.ledgerRef === null)).toBe(true);
    });

    it("summarises by day, user, destination and call type from the rollups, equal to the records", async () => {
      const records = await allRecords(megan, "2025-03-01", "2025-04-01");
      const totals = { calls: records.length, minutes: sumOf(records, "billedMinutes"), chargeMicros: sumOf(records, "chargeMicros") };
      const expectGroups = (groups: any[], keyOf: (r: any) => string) => {
        const want = new Map<string, { calls: number; minutes: number; chargeMicros: number }>();
        for (const r of records) {
          const g = want.get(keyOf(r)) ?? { calls: 0, minutes: 0, chargeMicros: 0 };
          g.calls += 1;
          g.minutes += r.billedMinutes;
          g.chargeMicros += r.chargeMicros;
          want.set(keyOf(r), g);
        }
        expect(Object.fromEntries(groups.map((g) => [g.key, { calls: g.calls, minutes: g.minutes, chargeMicros: g.chargeMicros }]))).toEqual(Object.fromEntries(want));
      };
      for (const groupBy of ["day", "user", "destination", "callType"] as const) {
        const res = await megan.get(`/api/v1/usage/summary?${RANGE}&groupBy=${groupBy}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ from: "2025-03-01", to: "2025-04-01", currency: "USD", totals });
        expectGroups(
          res.body.groups,
          groupBy === "day" ? (r) => r.day : groupBy === "user" ? (r) => r.userId : groupBy === "destination" ? (r) => r.destinationCountry : (r) => r.callType,
        );
      }
      const byDest = (await megan.get(`/api/v1/usage/summary?${RANGE}&groupBy=destination`)).body.groups;
      expect(byDest.find((g: any) => g.key === "PH")).toMatchObject({ label: "Philippines", chargeMicros: 410_000 });
      const byUser = (await megan.get(`/api/v1/usage/summary?${RANGE}&groupBy=user`)).body.groups;
      expect(byUser.find((g: any) => g.key === userId(diego))).toMatchObject({ label: "Diego Siciliani", chargeMicros: 500_000 });
      // A day without calls contributes nothing.
      const empty = await megan.get("/api/v1/usage/summary?from=2025-02-01&to=2025-02-10");
      expect(empty.body).toMatchObject({ groups: [], totals: { calls: 0, minutes: 0, chargeMicros: 0 } });
    });

    it("pages records with a keyset cursor", async () => {
      const pages: any[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await megan.get(`/api/v1/usage/records?${RANGE}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        pages.push(...res.body.items);
        cursor = res.body.next;
      } while (cursor);
      expect(pages.map((r) => r.id)).toEqual((await allRecords(megan, "2025-03-01", "2025-04-01")).map((r) => r.id));
      // Only the 11th of March.
      const day = await megan.get("/api/v1/usage/records?from=2025-03-11&to=2025-03-12");
      expect(day.body.items.map((r: any) => r.calleeNumber)).toEqual(["+5511912345678"]);
    });

    it("rates woodgrove's plans: pay-as-you-go, domestic + international pool, international on a domestic plan, conference outside Zone A", async () => {
      const rows = [
        // paula, pay-as-you-go in DE, calls Berlin (49: 25,000/min): 150 s = 3 min → 75,000.
        call({ upn: "paula@woodgrove.example", to: "+4930123456", seconds: 150, start: MARCH }),
        // ian, domestic+international plan in the US, calls a UK mobile: international pool (1 user × 600 min), 240 s = 4 min, 0.
        call({ upn: "ian@woodgrove.example", to: "+447700900123", seconds: 240, start: MARCH }),
        // jonas, domestic plan in DE, calls Paris (33: 25,000/min): international without a plan → 60 s = 1 min → 25,000.
        call({ upn: "jonas@woodgrove.example", to: "+33142686868", seconds: 60, start: MARCH }),
        // paula's meeting dials out to an Argentinian mobile (549: 250,000/min + 10,000 fee; AR outside Zone A): 30 s = 1 min → 260,000.
        call({ upn: "paula@woodgrove.example", callType: "conf_out", to: "+5491123456789", seconds: 30, start: MARCH }),
        // A call to our German toll-free number (49800: toll-free 70,000/min): 61 s = 2 min → 140,000.
        call({ callType: "user_in", to: "+498001234567", seconds: 61, start: MARCH, inventoryType: "Toll free" }),
      ];
      const expected = [75_000, 0, 25_000, 260_000, 140_000];
      const res = await hanna.postMoney("/api/v1/usage/records", { records: rows });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      // 75,000 + 25,000 + 260,000 + 140,000 = 500,000
      expect(res.body).toMatchObject({ accepted: 5, chargedMicros: 500_000, balanceMicros: -500_000 });
      const records = await allRecords(hanna, "2025-03-01", "2025-04-01");
      rows.forEach((row, i) => expect(records.find((r) => r.id === row.id)?.chargeMicros, row.calleeNumber).toBe(expected[i]));
      expect(records.find((r) => r.id === rows[1].id)).toMatchObject({ chargedTo: "plan", poolUse: { bucket: "international", minutes: 4 } });
      expect(records.find((r) => r.id === rows[0].id)).toMatchObject({ chargedTo: "credits", poolUse: null });
    });
  });

  describe("a batch with bad rows", () => {
    it("rejects each bad row with its index and reasons, lands the good rows and charges only them", async () => {
      const start = "2025-03-20T10:00:00Z";
      const good1 = call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 60, start }); // 1 min × 100,000
      const good2 = call({ upn: "diego@contoso.example", to: "+447700900123", seconds: 120, start }); // 2 min × 100,000
      const { id: _dropped, ...noId } = call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 60, start });
      void _dropped;
      const rows = [
        good1,
        noId,
        { ...call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 60, start }), startDateTime: "yesterday" },
        call({ upn: "diego@contoso.example", to: "+0123456789", seconds: 60, start }), // no rate: unknown_destination
        { ...call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 60, start }), duration: 3600 }, // longer than its span
        "not an object",
        good2,
      ];
      const before = (await megan.get("/api/v1/account")).body.balanceMicros;
      const res = await megan.postMoney("/api/v1/usage/records", { records: rows });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.accepted).toBe(2);
      expect(res.body.chargedMicros).toBe(300_000);
      expect(res.body.rejected.map((r: any) => r.index)).toEqual([1, 2, 3, 4, 5]);
      expect(res.body.rejected[0].errors[0].path).toBe("id");
      expect(res.body.rejected[1].errors[0].path).toBe("startDateTime");
      expect(res.body.rejected[2].errors[0]).toMatchObject({ path: "calleeNumber", message: expect.stringContaining("unknown_destination") });
      expect(res.body.rejected[3].errors[0].path).toBe("duration");
      expect((await megan.get("/api/v1/account")).body.balanceMicros).toBe(before - 300_000);
      const ids = (await allRecords(megan, "2025-03-20", "2025-03-21")).map((r) => r.id).sort();
      expect(ids).toEqual([good1.id, good2.id].sort());
    });
  });

  describe("rates", () => {
    it("prices a number by its longest prefix", async () => {
      const res = await megan.get(`/api/v1/rates?number=${encodeURIComponent("+447700900123")}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        prefix: "447",
        destinationName: "United Kingdom - Mobile",
        countryCode: "GB",
        numberType: "mobile",
        perMinuteMicros: 100_000,
        tollFreePerMinuteMicros: 50_000,
        connectionFeeMicros: 0,
        currency: "USD",
      });
      // An unencoded "+" arrives as a space; still the same number.
      expect((await megan.get("/api/v1/rates?number=+442079460000")).body.prefix).toBe("44");
    });
    it("answers 400 for a missing or malformed number and 404 for one no prefix matches", async () => {
      expect((await megan.get("/api/v1/rates")).status).toBe(400);
      expect((await megan.get("/api/v1/rates?number=abc")).status).toBe(400);
      expect((await megan.get(`/api/v1/rates?number=${encodeURIComponent("+1234567890123456")}`)).status).toBe(400);
      const none = await megan.get(`/api/v1/rates?number=${encodeURIComponent("+0123456789")}`);
      expect(none.status).toBe(404);
      expect(none.headers.get("content-type")).toContain("application/problem+json");
    });
    it("refuses an account in a currency the card is not priced in (422 currency_not_supported)", async () => {
      const carla = await ApiClient.signIn(url, "carla@tailspin.example");
      const rate = await carla.get(`/api/v1/rates?number=${encodeURIComponent("+33142686868")}`);
      expect(rate.status).toBe(422);
      expect(rate.body.code).toBe("currency_not_supported");
      const post = await carla.postMoney("/api/v1/usage/records", { records: [call({ to: "+33142686868", seconds: 60, start: MARCH })] });
      expect(post.status).toBe(422);
      expect((await carla.get("/api/v1/usage/records?" + RANGE)).body.items).toEqual([]);
    });
  });

  describe("access", () => {
    it("keeps tenants apart", async () => {
      const nestor = await ApiClient.signIn(url, "nestor@fabrikam.example");
      expect((await nestor.get(`/api/v1/usage/records?${RANGE}`)).body).toEqual({ items: [], next: null });
      expect((await nestor.get(`/api/v1/usage/summary?${RANGE}&groupBy=user`)).body).toMatchObject({ groups: [], totals: { calls: 0, minutes: 0, chargeMicros: 0 } });
      // Contoso's rows posted by fabrikam land in fabrikam, not in contoso.
      const contosoBefore = (await allRecords(megan, "2025-03-01", "2025-04-01")).length;
      const res = await nestor.postMoney("/api/v1/usage/records", {
        records: [call({ upn: "diego@contoso.example", to: "+12065550100", seconds: 60, start: "2025-03-25T10:00:00Z" })],
      });
      expect(res.status).toBe(200);
      expect((await allRecords(megan, "2025-03-01", "2025-04-01")).length).toBe(contosoBefore);
      expect((await allRecords(nestor, "2025-03-01", "2025-04-01")).length).toBe(1);
    });

    it("needs an admin role: read for reports, billing to post usage", async () => {
      const diego = await ApiClient.signIn(url, "diego@contoso.example");
      expect((await diego.get(`/api/v1/usage/records?${RANGE}`)).status).toBe(403);
      expect((await diego.get(`/api/v1/usage/summary?${RANGE}`)).status).toBe(403);
      expect((await diego.get("/api/v1/rates?number=%2B44")).status).toBe(403);
      expect((await diego.post("/api/v1/calls/authorize", { userId: "", callType: "user_out", number: "+12065550100" })).status).toBe(403);
      const adele = await ApiClient.signIn(url, "adele@contoso.example"); // Teams Communications Administrator: may read, not bill
      expect((await adele.get(`/api/v1/usage/records?${RANGE}`)).status).toBe(200);
      expect((await adele.postMoney("/api/v1/usage/records", { records: [call({ to: "+12065550100", seconds: 60, start: MARCH })] })).status).toBe(403);
      expect((await new ApiClient(url).get(`/api/v1/usage/records?${RANGE}`)).status).toBe(401);
    });

    it("answers 400 for bad input and changes nothing", async () => {
      const before = await ledgerEntries(megan);
      const recordsBefore = (await allRecords(megan, "2025-01-01", "2025-12-31")).length;
      const row = call({ upn: "diego@contoso.example", to: "+919812345678", seconds: 60, start: MARCH });
      expect((await megan.post("/api/v1/usage/records", { records: [row] })).status).toBe(400); // no Idempotency-Key
      expect((await megan.postMoney("/api/v1/usage/records", { records: [] })).status).toBe(400);
      expect((await megan.postMoney("/api/v1/usage/records", { records: "nope" })).status).toBe(400);
      expect((await megan.postMoney("/api/v1/usage/records", { records: [row], extra: 1 })).status).toBe(400);
      expect((await megan.postMoney("/api/v1/usage/records", { records: Array.from({ length: 1001 }, () => row) })).status).toBe(400);
      for (const q of ["from=yesterday", "from=2025-02-30", "from=2025-03-10&to=2025-03-01", "from=2024-01-01&to=2025-03-01", "limit=0", "limit=1001", "cursor=bogus"]) {
        const res = await megan.get(`/api/v1/usage/records?${q}`);
        expect(res.status, q).toBe(400);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
      expect((await megan.get(`/api/v1/usage/summary?${RANGE}&groupBy=month`)).status).toBe(400);
      expect((await megan.get("/api/v1/usage/summary?from=2025-03-10&to=2025-03-01")).status).toBe(400);
      expect(await ledgerEntries(megan)).toEqual(before);
      expect((await allRecords(megan, "2025-01-01", "2025-12-31")).length).toBe(recordsBefore);
    });
  });
});

/**
 * The rating domain: rate-card lookup, calling-plan pools, rating a finished call and authorizing
 * one about to start. Expected charges are computed by hand from the demo USD rate card
 * (api/src/data/rate-card.usd.json); the arithmetic is in the comment beside each.
 */
import { readFileSync } from "node:fs";
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { pstnCallLogRowSchema, type CallingPlan, type PstnCallLogRow } from "@cc/common";
import { buildRateIndex, findRate, loadRateCard, type RateCardEntry } from "../../api/src/usage/rating/rate-card.js";
import { CONFERENCING_DIAL_OUT_ZONE, poolBucketFor, poolCapacityMinutes, poolKey, poolMonth } from "../../api/src/usage/rating/plans.js";
import { authorizeCall, billedMinutesOf, rateCall, type PoolRemainingMinutes, type RateCallInput, type RatingUser } from "../../api/src/usage/rating/rate-call.js";

const rateCard = loadRateCard(JSON.parse(readFileSync(new URL("../../api/src/data/rate-card.usd.json", import.meta.url), "utf8")));
const rates = buildRateIndex(rateCard.entries);

const START = "2025-03-10T15:00:00Z";

/** A Graph row as getPstnCalls returns it, with what a test does not care about filled in. */
function pstnRow(overrides: Partial<PstnCallLogRow> & { duration: number }): PstnCallLogRow {
  const end = new Date(Date.parse(START) + overrides.duration * 1000).toISOString();
  return {
    id: "9c4984c7-6c3c-427d-a30c-bd0b2eacee90",
    callId: "1835317186_112562680@61.221.3.176",
    userId: "a1f0c0de-0000-4000-8000-000000000004",
    userPrincipalName: "diego@contoso.example",
    startDateTime: START,
    endDateTime: end,
    callType: "user_out",
    calleeNumber: "+12065550100",
    callerNumber: "+14255550123",
    inventoryType: "Subscriber",
    ...overrides,
  };
}

const user = (callingPlan: CallingPlan, licensed = true, usageLocation = "US"): RatingUser => ({ callingPlan, licensed, usageLocation });
const pools = (domestic: number, international = 0): PoolRemainingMinutes => ({ domestic, international });

/** Rate a row against the demo card the way the ingest service does: the rate of the dialed number. */
function rate(record: PstnCallLogRow, ratingUser: RatingUser | null, poolRemainingMinutes = pools(0, 0)) {
  return rateCall({ record, user: ratingUser, rate: findRate(rates, record.calleeNumber), tenantCountry: "US", poolRemainingMinutes });
}

describe("the demo rate card", () => {
  it("prices at least 60 countries with one entry per prefix", () => {
    expect(rateCard.currency).toBe("USD");
    expect(new Set(rateCard.entries.map((entry) => entry.countryCode)).size).toBeGreaterThanOrEqual(60);
    expect(new Set(rateCard.entries.map((entry) => entry.prefix)).size).toBe(rateCard.entries.length);
  });

  it("refuses a card with a prefix priced twice or written with '+'", () => {
    const entry = {
      prefix: "44",
      destinationName: "United Kingdom",
      countryCode: "GB",
      numberType: "fixed",
      perMinuteMicros: 1,
      tollFreePerMinuteMicros: 1,
      connectionFeeMicros: 0,
    };
    expect(() => loadRateCard({ currency: "USD", effectiveFrom: "2025-01-01", entries: [entry, entry] })).toThrow(/duplicate prefix 44/);
    expect(() => loadRateCard({ currency: "USD", effectiveFrom: "2025-01-01", entries: [{ ...entry, prefix: "+44" }] })).toThrow();
    expect(() => loadRateCard({ currency: "USD", effectiveFrom: "2025-01-01", entries: [{ ...entry, perMinuteMicros: 0.5 }] })).toThrow();
  });
});

describe("finding a rate by the longest matching prefix", () => {
  it("reads only the digits of a formatted number", () => {
    expect(findRate(rates, "+44 20 7946 0000")).toMatchObject({ prefix: "44", countryCode: "GB", numberType: "fixed" });
  });

  it("prefers the longer mobile and toll-free prefixes over the country code", () => {
    expect(findRate(rates, "+447700900123")).toMatchObject({ prefix: "447", numberType: "mobile", perMinuteMicros: 100_000 });
    expect(findRate(rates, "+18005550100")).toMatchObject({ prefix: "1800", numberType: "toll_free" });
    expect(findRate(rates, "+14165550100")).toMatchObject({ prefix: "1416", countryCode: "CA" });
    expect(findRate(rates, "+12065550100")).toMatchObject({ prefix: "1", countryCode: "US" });
    expect(findRate(rates, "+4917012345678")).toMatchObject({ prefix: "4917", countryCode: "DE", numberType: "mobile" });
    expect(findRate(rates, "+77012345678")).toMatchObject({ prefix: "77", countryCode: "KZ" });
    expect(findRate(rates, "+79161234567")).toMatchObject({ prefix: "79", countryCode: "RU" });
  });

  it("picks the longest of nested prefixes whatever their order in the card", () => {
    const nested = (prefix: string): RateCardEntry => ({
      prefix,
      destinationName: prefix,
      countryCode: "GB",
      numberType: "fixed",
      perMinuteMicros: prefix.length,
      tollFreePerMinuteMicros: 0,
      connectionFeeMicros: 0,
    });
    const index = buildRateIndex([nested("447"), nested("4"), nested("44"), nested("4477")]);
    expect(findRate(index, "+447712345678")?.prefix).toBe("4477");
    expect(findRate(index, "+447612345678")?.prefix).toBe("447");
    expect(findRate(index, "+4312345678")?.prefix).toBe("4");
  });

  it("finds nothing for an unpriced prefix or something that is not a number", () => {
    expect(findRate(rates, "+8830001234567")).toBeUndefined();
    expect(findRate(rates, "")).toBeUndefined();
    expect(findRate(rates, "sip:alice@contoso.example")).toBeUndefined();
  });
});

describe("calling-plan pools and the conferencing zone", () => {
  it("sizes a month's pool by per-user minutes and users on a feeding plan", () => {
    expect(poolCapacityMinutes("domestic", "US", 3)).toBe(9000); // 3 × 3000
    expect(poolCapacityMinutes("domestic", "PR", 1)).toBe(3000);
    expect(poolCapacityMinutes("domestic", "FR", 2)).toBe(2400); // 2 × 1200
    expect(poolCapacityMinutes("domestic", "GB", 1)).toBe(1200);
    expect(poolCapacityMinutes("domestic", "JP", 1)).toBe(1200);
    expect(poolCapacityMinutes("international", "US", 5)).toBe(3000); // 5 × 600
    expect(poolCapacityMinutes("domestic", "US", 0)).toBe(0);
    expect(() => poolCapacityMinutes("domestic", "US", -1)).toThrow(RangeError);
  });

  it("keys a pool by tenant, UTC month, bucket and country", () => {
    expect(poolKey({ tenantId: "11111111-1111-4111-8111-111111111111", month: "2025-03", bucket: "domestic", country: "US" })).toBe(
      "pool:11111111-1111-4111-8111-111111111111:2025-03:domestic:US",
    );
    expect(() => poolKey({ tenantId: "t", month: "2025-13", bucket: "domestic", country: "US" })).toThrow(RangeError);
    expect(poolMonth("2025-03-31T23:30:00-02:00")).toBe("2025-04");
  });

  it("draws each plan from the pools of the table in plans.ts", () => {
    expect(poolBucketFor("domestic", "domestic")).toBe("domestic");
    expect(poolBucketFor("domestic", "international")).toBeNull();
    expect(poolBucketFor("domestic_international", "domestic")).toBe("domestic");
    expect(poolBucketFor("domestic_international", "international")).toBe("international");
    expect(poolBucketFor("pay_as_you_go", "domestic")).toBeNull();
    expect(poolBucketFor("none", "domestic")).toBeNull();
  });

  it("holds Microsoft's 44 Zone A countries", () => {
    expect(CONFERENCING_DIAL_OUT_ZONE.size).toBe(44);
    for (const country of ["US", "CA", "GB", "DE", "IN", "PR", "ZA"]) expect(CONFERENCING_DIAL_OUT_ZONE.has(country)).toBe(true);
    for (const country of ["NG", "AE", "KE", "AR"]) expect(CONFERENCING_DIAL_OUT_ZONE.has(country)).toBe(false);
  });
});

describe("billing per started minute", () => {
  it("rounds every started minute up and bills nothing for 0 s", () => {
    expect([0, 1, 59, 60, 61, 119, 120, 121].map(billedMinutesOf)).toEqual([0, 1, 1, 1, 2, 2, 2, 3]);
  });

  it("bills a 61 s pay-as-you-go call as two minutes", () => {
    // 61 s → 2 min × 19,000 (US) = 38,000
    expect(rate(pstnRow({ duration: 61 }), user("pay_as_you_go"))).toMatchObject({ ok: true, billedMinutes: 2, chargeMicros: 38_000, chargedTo: "credits" });
  });
});

describe("emergency calls", () => {
  it("are included and flagged, even for an unlicensed user with no plan", () => {
    const rated = rate(pstnRow({ duration: 600, calleeNumber: "+911" }), user("none", false));
    expect(rated).toEqual({
      ok: true,
      chargedTo: "included",
      chargeMicros: 0,
      wouldChargeMicros: 0,
      billedMinutes: 10,
      poolUse: null,
      perMinuteMicros: 0,
      connectionFeeMicros: 0,
      destinationCountry: "US",
      flags: ["emergency"],
    });
  });

  it("are recognised by call type and by short numbers without '+'", () => {
    expect(rate(pstnRow({ duration: 60, callType: "emergency_out", calleeNumber: "+12065550100" }), null)).toMatchObject({ chargedTo: "included", chargeMicros: 0 });
    expect(rate(pstnRow({ duration: 60, calleeNumber: "112" }), user("none", false, "DE"))).toMatchObject({ chargedTo: "included", destinationCountry: "DE" });
  });

  it("are never refused, even at a zero balance without a license", () => {
    expect(
      authorizeCall({ user: user("none", false), callType: "user_out", number: "+911", rate: findRate(rates, "+911"), balanceMicros: 0, poolRemainingMinutes: pools(0) }),
    ).toEqual({ allowed: true, perMinuteMicros: 0 });
  });
});

describe("calls to our toll-free numbers", () => {
  it("are always charged to credits, with no user and no license", () => {
    // ucap_in to +1 800: 125 s → 3 min × 20,000 (US toll-free inbound) + 0 fee = 60,000
    const record = pstnRow({ duration: 125, callType: "ucap_in", userId: "", calleeNumber: "+18005550100", callerNumber: "+12065550100", inventoryType: "Toll free" });
    expect(rate(record, null)).toEqual({
      ok: true,
      chargedTo: "credits",
      chargeMicros: 60_000,
      wouldChargeMicros: 60_000,
      billedMinutes: 3,
      poolUse: null,
      perMinuteMicros: 20_000,
      connectionFeeMicros: 0,
      destinationCountry: "US",
      flags: [],
    });
  });

  it("are recognised by the toll-free rate entry when Graph gives no inventory type", () => {
    // conf_in to +44 800: 61 s → 2 min × 50,000 (UK toll-free inbound) = 100,000
    const record = pstnRow({ duration: 61, callType: "conf_in", calleeNumber: "+448001234567", inventoryType: null });
    expect(rate(record, user("none", false, "GB"))).toMatchObject({ chargedTo: "credits", chargeMicros: 100_000, perMinuteMicros: 50_000 });
  });

  it("use the country's toll-free price when the inventory type says toll-free on a geographic prefix", () => {
    // conf_in to +33 1 (FR fixed entry, toll-free inbound 60,000): 30 s → 1 min × 60,000 = 60,000
    const record = pstnRow({ duration: 30, callType: "conf_in", calleeNumber: "+33140000000", inventoryType: "TollFree" });
    expect(rate(record, null)).toMatchObject({ chargedTo: "credits", chargeMicros: 60_000 });
  });

  it("stop when the balance is zero, and need no license", () => {
    const call = { user: null, callType: "ucap_in", number: "+18005550100", rate: findRate(rates, "+18005550100"), poolRemainingMinutes: pools(0) };
    expect(authorizeCall({ ...call, balanceMicros: 0 })).toEqual({ allowed: false, reason: "insufficient_balance", perMinuteMicros: 20_000 });
    expect(authorizeCall({ ...call, balanceMicros: 1 })).toEqual({ allowed: true, perMinuteMicros: 20_000 });
  });
});

describe("conference dial-out", () => {
  it("is included to a Zone A country", () => {
    const record = pstnRow({ duration: 900, callType: "conf_out", calleeNumber: "+4917012345678" });
    expect(rate(record, user("none", false))).toMatchObject({ chargedTo: "included", chargeMicros: 0, billedMinutes: 15, destinationCountry: "DE" });
  });

  it("is charged to credits at the outbound rate beyond Zone A, connection fee included", () => {
    // conf_out to Nigeria: 300 s → 5 min × 250,000 + 20,000 fee = 1,270,000
    const record = pstnRow({ duration: 300, callType: "conf_out", calleeNumber: "+2348012345678" });
    expect(rate(record, user("domestic"))).toMatchObject({
      chargedTo: "credits",
      chargeMicros: 1_270_000,
      connectionFeeMicros: 20_000,
      perMinuteMicros: 250_000,
      destinationCountry: "NG",
    });
  });

  it("treats a user's add-PSTN-people call (user_out_conf) the same way", () => {
    // user_out_conf to Kenya mobile: 59 s → 1 min × 200,000 = 200,000
    expect(rate(pstnRow({ duration: 59, callType: "user_out_conf", calleeNumber: "+254712345678" }), user("domestic"))).toMatchObject({
      chargedTo: "credits",
      chargeMicros: 200_000,
    });
    expect(rate(pstnRow({ duration: 59, callType: "user_out_conf", calleeNumber: "+447700900123" }), user("domestic"))).toMatchObject({ chargedTo: "included" });
  });
});

describe("other inbound calls", () => {
  it("are included, whoever receives them", () => {
    const record = pstnRow({ duration: 219, callType: "user_in", calleeNumber: "+12065550100", callerNumber: "+447700900123" });
    expect(rate(record, user("none", false))).toMatchObject({ ok: true, chargedTo: "included", chargeMicros: 0, billedMinutes: 4 });
    expect(rate(pstnRow({ duration: 60, callType: "user_in", calleeNumber: "+8830001234567" }), null)).toMatchObject({ chargedTo: "included" });
  });
});

describe("outbound calls", () => {
  it("by a pay-as-you-go user are charged to credits even with pool minutes left", () => {
    // 90 s to the US → 2 min × 19,000 = 38,000
    expect(rate(pstnRow({ duration: 90 }), user("pay_as_you_go"), pools(3000, 600))).toMatchObject({ chargedTo: "credits", chargeMicros: 38_000, poolUse: null });
  });

  it("domestic on a Domestic plan come out of the domestic pool", () => {
    // 600 s → 10 min, pool has 100 → all 10 from the pool
    expect(rate(pstnRow({ duration: 600 }), user("domestic"), pools(100))).toMatchObject({
      chargedTo: "plan",
      chargeMicros: 0,
      billedMinutes: 10,
      poolUse: { bucket: "domestic", minutes: 10 },
      flags: [],
    });
  });

  it("charge only the minutes the pool cannot cover, without a connection fee", () => {
    // 601 s → 11 min; pool has 4 → 4 from the pool, 7 overflow × 19,000 = 133,000
    expect(rate(pstnRow({ duration: 601 }), user("domestic"), pools(4))).toMatchObject({
      chargedTo: "credits",
      chargeMicros: 133_000,
      poolUse: { bucket: "domestic", minutes: 4 },
      connectionFeeMicros: 0,
      flags: ["pool_overflow"],
    });
  });

  it("are ordinary credits calls once the pool is empty", () => {
    // 601 s → 11 min × 19,000 = 209,000
    expect(rate(pstnRow({ duration: 601 }), user("domestic"), pools(0))).toMatchObject({ chargedTo: "credits", chargeMicros: 209_000, poolUse: null, flags: ["pool_exhausted"] });
  });

  it("international on Domestic and International come out of the international pool, then credits", () => {
    // UK mobile, 185 s → 4 min; international pool 600 → plan
    const record = pstnRow({ duration: 185, calleeNumber: "+447700900123" });
    expect(rate(record, user("domestic_international"), pools(0, 600))).toMatchObject({ chargedTo: "plan", poolUse: { bucket: "international", minutes: 4 } });
    // international pool 2 → 2 overflow × 100,000 = 200,000
    expect(rate(record, user("domestic_international"), pools(3000, 2))).toMatchObject({
      chargedTo: "credits",
      chargeMicros: 200_000,
      poolUse: { bucket: "international", minutes: 2 },
    });
  });

  it("international on a Domestic plan are charged to credits", () => {
    // India mobile, 300 s → 5 min × 100,000 = 500,000
    expect(rate(pstnRow({ duration: 300, calleeNumber: "+919812345678" }), user("domestic"), pools(3000, 600))).toMatchObject({
      chargedTo: "credits",
      chargeMicros: 500_000,
      destinationCountry: "IN",
      poolUse: null,
    });
  });

  it("domestic with no calling plan are charged to credits", () => {
    // 60 s → 1 min × 19,000 = 19,000
    expect(rate(pstnRow({ duration: 60 }), user("none"), pools(3000))).toMatchObject({ chargedTo: "credits", chargeMicros: 19_000 });
  });

  it("are domestic relative to the user's usage location, not the tenant's country", () => {
    // A GB user on Domestic calling a UK mobile: 120 s → 2 min from the GB pool
    expect(rate(pstnRow({ duration: 120, calleeNumber: "+447700900123" }), user("domestic", true, "GB"), pools(1200))).toMatchObject({
      chargedTo: "plan",
      poolUse: { bucket: "domestic", minutes: 2 },
    });
    // The same user calling the US: 120 s → 2 min × 19,000 = 38,000
    expect(rate(pstnRow({ duration: 120 }), user("domestic", true, "GB"), pools(1200))).toMatchObject({ chargedTo: "credits", chargeMicros: 38_000 });
  });

  it("add the destination's connection fee once, and nothing for a call that never connected a minute", () => {
    // UAE mobile, 30 s → 1 min × 250,000 + 20,000 fee = 270,000
    expect(rate(pstnRow({ duration: 30, calleeNumber: "+971501234567" }), user("none"))).toMatchObject({ chargeMicros: 270_000, connectionFeeMicros: 20_000 });
    expect(rate(pstnRow({ duration: 0, calleeNumber: "+971501234567" }), user("none"))).toMatchObject({
      chargedTo: "credits",
      chargeMicros: 0,
      billedMinutes: 0,
      connectionFeeMicros: 0,
    });
  });
});

describe("chargeable calls by users without a license", () => {
  it("are charged to nobody, flagged, and keep what they would have cost", () => {
    // Lynne (Domestic, no license) calls India: 300 s → 5 min × 100,000 = 500,000 she may not draw
    expect(rate(pstnRow({ duration: 300, calleeNumber: "+919812345678" }), user("domestic", false))).toMatchObject({
      chargedTo: "none",
      chargeMicros: 0,
      wouldChargeMicros: 500_000,
      flags: ["unlicensed"],
    });
  });

  it("include calls with no known user, such as an auto attendant dialing out", () => {
    // ucap_out to the US: 60 s → 1 min × 19,000
    expect(rate(pstnRow({ duration: 60, callType: "ucap_out", userId: "" }), null)).toMatchObject({
      chargedTo: "none",
      chargeMicros: 0,
      wouldChargeMicros: 19_000,
      flags: ["unlicensed"],
    });
  });

  it("still use their pool, and only the overflow goes unpaid", () => {
    // 601 s → 11 min; pool 4 → 4 from the pool; 7 × 19,000 = 133,000 not drawable
    expect(rate(pstnRow({ duration: 601 }), user("domestic", false), pools(4))).toMatchObject({
      chargedTo: "plan",
      chargeMicros: 0,
      wouldChargeMicros: 133_000,
      poolUse: { bucket: "domestic", minutes: 4 },
      flags: ["pool_overflow", "unlicensed"],
    });
  });
});

describe("calls that cannot be rated", () => {
  it("are refused when a chargeable destination has no rate", () => {
    expect(rate(pstnRow({ duration: 60, calleeNumber: "+8830001234567" }), user("pay_as_you_go"))).toEqual({ ok: false, reason: "unknown_destination" });
    expect(rate(pstnRow({ duration: 60, calleeNumber: "+8830001234567" }), user("domestic"), pools(3000))).toEqual({ ok: false, reason: "unknown_destination" });
    expect(rate(pstnRow({ duration: 60, callType: "ucap_in", calleeNumber: "+8830001234567", inventoryType: "Toll free" }), null)).toEqual({
      ok: false,
      reason: "unknown_destination",
    });
  });

  it("are refused when the call type has no direction", () => {
    expect(rate(pstnRow({ duration: 60, callType: "sms" }), user("pay_as_you_go"))).toEqual({ ok: false, reason: "unknown_call_type" });
  });
});

describe("authorizing a call", () => {
  const india = { callType: "user_out", number: "+919812345678", rate: findRate(rates, "+919812345678"), poolRemainingMinutes: pools(3000, 600) };

  it("refuses a credits call at a zero balance", () => {
    expect(authorizeCall({ ...india, user: user("domestic"), balanceMicros: 0 })).toEqual({ allowed: false, reason: "insufficient_balance", perMinuteMicros: 100_000 });
    expect(authorizeCall({ ...india, user: user("domestic"), balanceMicros: 1 })).toEqual({ allowed: true, perMinuteMicros: 100_000 });
  });

  it("refuses a credits call by a user without a license before looking at the balance", () => {
    expect(authorizeCall({ ...india, user: user("domestic", false), balanceMicros: 50_000_000 })).toEqual({ allowed: false, reason: "no_license", perMinuteMicros: 100_000 });
    expect(authorizeCall({ ...india, user: null, balanceMicros: 50_000_000 })).toMatchObject({ allowed: false, reason: "no_license" });
  });

  it("admits calls a pool or a subscription covers at a zero balance", () => {
    const us = { callType: "user_out", number: "+12065550100", rate: findRate(rates, "+12065550100"), balanceMicros: 0 };
    expect(authorizeCall({ ...us, user: user("domestic", false), poolRemainingMinutes: pools(1) })).toEqual({ allowed: true, perMinuteMicros: 0 });
    expect(authorizeCall({ ...us, user: user("domestic"), poolRemainingMinutes: pools(0) })).toEqual({ allowed: false, reason: "insufficient_balance", perMinuteMicros: 19_000 });
    expect(authorizeCall({ ...us, callType: "conf_out", user: user("none", false), poolRemainingMinutes: pools(0) })).toEqual({ allowed: true, perMinuteMicros: 0 });
    expect(authorizeCall({ ...us, callType: "user_in", user: user("none", false), poolRemainingMinutes: pools(0) })).toEqual({ allowed: true, perMinuteMicros: 0 });
  });

  it("blocks a destination with no rate", () => {
    expect(
      authorizeCall({ user: user("pay_as_you_go"), callType: "user_out", number: "+8830001234567", rate: undefined, balanceMicros: 50_000_000, poolRemainingMinutes: pools(0) }),
    ).toEqual({ allowed: false, reason: "destination_blocked", perMinuteMicros: 0 });
  });
});

describe("a PSTN call log row arriving from Graph", () => {
  const graphSample = {
    id: "9c4984c7-6c3c-427d-a30c-bd0b2eacee90",
    callId: "1835317186_112562680@61.221.3.176",
    userId: "db03c14b-06eb-4189-939b-7cbf3a20ba27",
    userPrincipalName: "richard.malk@contoso.com",
    userDisplayName: "Richard Malk",
    startDateTime: "2019-11-01T00:00:08.2589935Z",
    endDateTime: "2019-11-01T00:03:47.2589935Z",
    duration: 219,
    charge: 0.0,
    callType: "user_in",
    currency: "USD",
    calleeNumber: "+1234567890",
    usageCountryCode: "US",
    tenantCountryCode: "US",
    connectionCharge: 0.0,
    callerNumber: "+0123456789",
    destinationContext: null,
    destinationName: "United States",
    conferenceId: null,
    licenseCapability: "MCOPSTNU",
    inventoryType: "Subscriber",
    operator: "Microsoft",
    callDurationSource: "microsoft",
  };

  it("accepts Graph's own sample and keeps fields it does not know", () => {
    const parsed = pstnCallLogRowSchema.parse({ ...graphSample, "@odata.type": "#microsoft.graph.callRecords.pstnCallLogRow" });
    expect(parsed.duration).toBe(219);
    expect(parsed["@odata.type"]).toBe("#microsoft.graph.callRecords.pstnCallLogRow");
  });

  it("turns a bot call's null user into no user", () => {
    expect(pstnCallLogRowSchema.parse({ ...graphSample, callType: "ucap_in", userId: null }).userId).toBe("");
  });

  it("refuses rows that would bill the wrong minutes", () => {
    const refused = (change: Record<string, unknown>) => pstnCallLogRowSchema.safeParse({ ...graphSample, ...change }).success === false;
    expect(refused({ id: "" })).toBe(true);
    expect(refused({ duration: 1.5 })).toBe(true);
    expect(refused({ duration: -1 })).toBe(true);
    expect(refused({ duration: 172_801, endDateTime: "2019-11-03T00:00:09Z" })).toBe(true);
    expect(refused({ endDateTime: "2019-10-31T23:59:59Z" })).toBe(true);
    expect(refused({ duration: 400 })).toBe(true); // longer than the 219 s between start and end
    expect(refused({ startDateTime: "yesterday" })).toBe(true);
    expect(refused({ callType: "" })).toBe(true);
    expect(refused({ calleeNumber: "+44 20 7946 0000" })).toBe(true);
    expect(refused({ calleeNumber: "call me" })).toBe(true);
    expect(refused({ calleeNumber: "", callerNumber: "911" })).toBe(false);
  });
});

describe("rating invariants over random calls", () => {
  const callTypes = ["user_out", "user_in", "conf_out", "conf_in", "ucap_in", "ucap_out", "user_out_conf", "user_out_transfer", "user_out_forwarding", "emergency_out"];
  const prefixes = rateCard.entries.map((entry) => entry.prefix);
  const numberArb = fc.oneof(
    fc.tuple(fc.constantFrom(...prefixes), fc.stringMatching(/^\d{4,8}$/)).map(([prefix, rest]) => `+${prefix}${rest}`.slice(0, 16)),
    fc.constantFrom("+911", "112", "+8830001234567", ""),
  );
  const userArb = fc.option(
    fc.record({
      callingPlan: fc.constantFrom<CallingPlan>("none", "domestic", "domestic_international", "pay_as_you_go"),
      licensed: fc.boolean(),
      usageLocation: fc.constantFrom("US", "GB", "DE", "IN", "NG"),
    }),
    { nil: null },
  );
  interface RandomCall {
    callType: string;
    calleeNumber: string;
    duration: number;
    inventoryType: string | undefined;
    user: RatingUser | null;
    pools: PoolRemainingMinutes;
  }
  const callArb: fc.Arbitrary<RandomCall> = fc.record({
    callType: fc.constantFrom(...callTypes),
    calleeNumber: numberArb,
    duration: fc.integer({ min: 0, max: 172_800 }),
    inventoryType: fc.constantFrom(undefined, "Subscriber", "Service", "Toll free", "TollFree"),
    user: userArb,
    pools: fc.record({ domestic: fc.integer({ min: 0, max: 6000 }), international: fc.integer({ min: 0, max: 1200 }) }),
  });
  const inputOf = (call: RandomCall): RateCallInput => ({
    record: pstnRow({ duration: call.duration, callType: call.callType, calleeNumber: call.calleeNumber, inventoryType: call.inventoryType }),
    user: call.user,
    rate: findRate(rates, call.calleeNumber),
    tenantCountry: "US",
    poolRemainingMinutes: call.pools,
  });

  it("charges a non-negative whole number of micros: minutes × rate + fee when credits pay the whole call", () => {
    fc.assert(
      fc.property(callArb, (call) => {
        const input = inputOf(call);
        const rated = rateCall(input);
        if (!rated.ok) return;
        expect(Number.isSafeInteger(rated.chargeMicros) && rated.chargeMicros >= 0).toBe(true);
        expect(rated.billedMinutes).toBe(Math.ceil(call.duration / 60));
        if (rated.chargedTo !== "credits") expect(rated.chargeMicros).toBe(0);
        if (rated.poolUse) {
          expect(rated.poolUse.minutes).toBeLessThanOrEqual(Math.min(rated.billedMinutes, call.pools[rated.poolUse.bucket]));
        }
        const entry = input.rate;
        if (rated.chargedTo === "credits" && !rated.flags.includes("pool_overflow")) {
          // Outbound calls pay the entry's outbound rate; calls to our toll-free numbers its toll-free rate.
          expect(entry).toBeDefined();
          if (!entry) return;
          expect([entry.perMinuteMicros, entry.tollFreePerMinuteMicros]).toContain(rated.perMinuteMicros);
          const fee = rated.billedMinutes > 0 ? entry.connectionFeeMicros : 0;
          expect(rated.chargeMicros).toBe(rated.billedMinutes * rated.perMinuteMicros + fee);
        }
        if (rated.flags.includes("pool_overflow") && rated.poolUse && entry) {
          expect(rated.wouldChargeMicros).toBe((rated.billedMinutes - rated.poolUse.minutes) * entry.perMinuteMicros);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("authorizes at a zero balance exactly the calls rating would not charge to credits", () => {
    fc.assert(
      fc.property(callArb, (call) => {
        const input = inputOf(call);
        const rated = rateCall(input);
        fc.pre(rated.ok && rated.billedMinutes > 0 && !rated.flags.includes("pool_overflow"));
        if (!rated.ok) return;
        const authorization = authorizeCall({
          user: call.user,
          callType: call.callType,
          number: call.calleeNumber,
          rate: input.rate,
          balanceMicros: 0,
          poolRemainingMinutes: call.pools,
          tenantCountry: "US",
          inventoryType: call.inventoryType,
        });
        const paidByCredits = rated.chargedTo === "credits" || rated.chargedTo === "none";
        expect(authorization.allowed).toBe(!paidByCredits);
        if (rated.chargedTo === "none") expect(authorization.reason).toBe("no_license");
        if (rated.chargedTo === "credits") expect(authorization.reason).toBe("insufficient_balance");
      }),
      { numRuns: 2000 },
    );
  });
});

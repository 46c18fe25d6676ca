/**
 * A refused request says, per field, which field and what is wrong, in the caller's language and
 * from the catalog (problems.field.*): never zod's own English. In the pseudo-locale every letter
 * of those words is the catalog's (accented); only the field names, as sent, stay plain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";

describe("validation problems in the caller's language", () => {
  let world: TestWorld;
  let megan: ApiClient;
  beforeAll(async () => {
    world = await startWorld();
    megan = await ApiClient.signIn((await world.app()).url, "megan@contoso.example");
  });
  afterAll(() => world.close());

  const funds = (body: unknown, language: string) => megan.postMoney("/api/v1/account/funds", body, undefined, { "accept-language": language });
  const autoRecharge = (body: unknown, language: string) => megan.send<any>("PUT", "/api/v1/account/auto-recharge", body, { "accept-language": language });
  const budgets = (body: unknown, language: string) => megan.send<any>("PUT", "/api/v1/budgets", body, { "accept-language": language });
  const messages = (res: { body: { errors: { path: string; message: string }[] } }) => Object.fromEntries(res.body.errors.map((e) => [e.path, e.message]));

  it("add funds: a missing amount, a string, a fraction, zero and an unknown field, in English", async () => {
    expect(messages(await funds({}, "en"))).toEqual({ amountMicros: "is missing" });
    expect(messages(await funds({ amountMicros: "50" }, "en"))).toEqual({ amountMicros: "must be a number" });
    expect(messages(await funds({ amountMicros: 1.5 }, "en"))).toEqual({ amountMicros: "must be a whole number of micros" });
    expect(messages(await funds({ amountMicros: 0 }, "en"))).toEqual({ amountMicros: "must be more than zero" });
    expect(messages(await funds({ amountMicros: 1e20 }, "en"))).toEqual({ amountMicros: "is too large" });
    const unknown = await funds({ amountMicros: usd(50), currency: "EUR" }, "en");
    expect(messages(unknown)).toEqual({ "(body)": "has a field this API does not know: currency" });
    expect(unknown.body.detail).toBe("This field is not valid: the body: has a field this API does not know: currency");
  });

  it("add funds: the same problems in French", async () => {
    expect(messages(await funds({}, "fr"))).toEqual({ amountMicros: "est manquant" });
    expect(messages(await funds({ amountMicros: "50" }, "fr-FR"))).toEqual({ amountMicros: "doit être un nombre" });
    expect(messages(await funds({ amountMicros: 0 }, "de, fr;q=0.9"))).toEqual({ amountMicros: "doit être supérieur à zéro" });
    const res = await funds({ amountMicros: -1, extra: true }, "fr");
    expect(res.body.title).toBe("La requête n'est pas valide");
    expect(res.body.detail).toBe(
      "Ces champs ne sont pas valides : amountMicros : doit être supérieur à zéro; le corps de la requête : contient un champ que cette API ne connaît pas : extra",
    );
  });

  it("auto-recharge: limits said with their numbers, types and missing fields, in both languages", async () => {
    const body = { enabled: "yes", amountMicros: -5, maxRechargesPerDay: 500 };
    expect(messages(await autoRecharge(body, "en"))).toEqual({
      enabled: "must be true or false",
      amountMicros: "must not be negative",
      thresholdMicros: "is missing",
      maxRechargesPerDay: "must be 100 or less",
    });
    expect(messages(await autoRecharge(body, "fr"))).toEqual({
      enabled: "doit être true ou false",
      amountMicros: "ne doit pas être négatif",
      thresholdMicros: "est manquant",
      maxRechargesPerDay: "doit être 100 ou moins",
    });
    expect(messages(await autoRecharge({ enabled: true, amountMicros: 0, thresholdMicros: 0, maxRechargesPerDay: 0 }, "fr")).maxRechargesPerDay).toBe("doit être 1 ou plus");
  });

  it("budgets: not one of the allowed values, empty, too long, in both languages", async () => {
    const body = {
      departments: [
        { department: "", monthlyMicros: usd(10), mode: "shout" },
        { department: "x".repeat(300), monthlyMicros: usd(10), mode: "warn" },
      ],
    };
    expect(messages(await budgets(body, "en"))).toEqual({
      "departments.0.department": "must not be empty",
      "departments.0.mode": "must be one of: warn, block",
      "departments.1.department": "must be at most 256 characters long",
    });
    expect(messages(await budgets(body, "fr"))).toEqual({
      "departments.0.department": "ne doit pas être vide",
      "departments.0.mode": "doit valoir l’une de ces valeurs : warn, block",
      "departments.1.department": "doit compter au plus 256 caractères",
    });
  });

  it("notification settings: a schema's own words (a role, a kind, a channel twice) come from the catalog too", async () => {
    const body = {
      kinds: { recharge_failed: { roles: ["not-a-role"] }, nonsense: { roles: [] } },
      channels: [
        { teamId: "t", channelId: "c", name: "A" },
        { teamId: "t", channelId: "c", name: "B" },
      ],
      lowBalanceThresholds: [{ percent: 5 }],
    };
    const res = await megan.send<any>("PUT", "/api/v1/notification-settings", body, { "accept-language": "en" });
    expect(res.status).toBe(400);
    expect(messages(res)).toMatchObject({
      "kinds.recharge_failed.roles.0": "is not one of the notified directory roles (a role template id)",
      "kinds.nonsense": expect.stringMatching(/^is not a notification kind \(recharge_succeeded, /),
      channels: "lists a channel twice",
      "lowBalanceThresholds.0": "must be { percentOfRecharge } or { amountMicros }",
    });
    const fr = await megan.send<any>("PUT", "/api/v1/notification-settings", body, { "accept-language": "fr" });
    expect(messages(fr).channels).toBe("cite deux fois le même canal");
  });

  it("a field a use case refuses (after the schema) is said from the catalog too, with its facts", async () => {
    const noKey = (language: string) => megan.send<any>("POST", "/api/v1/account/funds", { amountMicros: usd(50) }, { "accept-language": language });
    expect(messages(await noKey("fr"))).toEqual({ "Idempotency-Key": "est manquant : cette requête déplace de l’argent, elle doit donc porter un en-tête Idempotency-Key" });
    expect((await noKey("en")).body.detail).toBe("This field is not valid: Idempotency-Key: is missing: this request moves money, so it must carry an Idempotency-Key header");
    const period = await megan.send<any>("GET", "/api/v1/usage/summary?period=fortnight", undefined, { "accept-language": "fr" });
    expect(messages(period)).toEqual({ period: "doit valoir 7d, 30d, 90d, this_month ou last_month" });
    const range = await megan.send<any>("GET", "/api/v1/usage/records?from=2020-01-01&to=2025-12-31", undefined, { "accept-language": "en" });
    expect(messages(range)).toEqual({ to: "the range may span at most 400 days" });
    const lee = await ApiClient.signIn((await world.app()).url, "lee@contoso.example");
    const guard = (await lee.get("/api/v1/guard")).body;
    const country = await lee.send<any>("PUT", "/api/v1/guard", { ...guard, blockedCountries: ["France"] }, { "accept-language": "fr" });
    expect(messages(country)).toEqual({ "blockedCountries/0": "« France » n’est pas un code pays à deux lettres" });
    const xa = await lee.send<any>("PUT", "/api/v1/guard", { ...guard, spikeFactor: 1 }, { "accept-language": "en-XA" });
    expect(xa.body.errors[0].message).toMatch(/^⟦[^A-Za-z]+⟧$/);
  });

  it("no answer carries zod's own English", async () => {
    for (const res of [
      await funds({ amountMicros: "x", y: 1 }, "fr"),
      await autoRecharge({ enabled: 1 }, "fr"),
      await budgets({ departments: [{ mode: 1 }] }, "fr"),
      await megan.send<any>("GET", "/api/v1/usage/summary?groupBy=week", undefined, { "accept-language": "fr" }),
    ]) {
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).not.toMatch(/Invalid|expected|received|Too (big|small)|Unrecognized/);
    }
  });

  it("in the pseudo-locale every letter of the words is the catalog's; only field names and values stay plain", async () => {
    for (const res of [
      await funds({ amountMicros: "x", y: 1 }, "en-XA"),
      await autoRecharge({ enabled: "yes", amountMicros: -5, maxRechargesPerDay: 500 }, "en-XA"),
      await budgets({ departments: [{ department: "", monthlyMicros: 1.5, mode: "shout" }] }, "en-XA"),
    ]) {
      expect(res.status).toBe(400);
      const data = new Set(["amountMicros", "thresholdMicros", "enabled", "maxRechargesPerDay", "departments", "department", "monthlyMicros", "mode", "warn", "block", "y"]);
      for (const text of [res.body.title, res.body.detail, ...res.body.errors.map((e: { message: string }) => e.message)]) {
        expect(text, text).toMatch(/^⟦/);
        const words = text.split(/[^A-Za-z]+/).filter((w: string) => w && !data.has(w));
        expect(words, text).toEqual([]);
      }
    }
  });
});

/**
 * Issue 17 (4) and issue 18 (2): a card's money action keeps its own keys and the API's types, and
 * what a card sends back is checked again on the server. Each finding is pressed as Teams presses
 * it (an invoke to /api/messages) on the card the bot really sent, then changed as a client could.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID } from "@cc/common";
import { localBotConnector, startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import type { LocalBotConnector, SentActivity } from "../../api/src/local/bot/local-bot-connector.js";

const MEGAN = { id: "29:megan", aadObjectId: "a1f0c0de-0000-4000-8000-000000000001", name: "Megan Bowen" };
const chat = "a:megan-money-chat";
type Action = { verb: string; title: string; data: Record<string, unknown> };
const cardOf = (s: SentActivity) => ((s.activity.attachments as { content: Record<string, unknown> }[] | undefined) ?? [])[0]?.content;

describe("card money actions: their own keys, the API's types, nothing trusted from the card", () => {
  let world: TestWorld;
  let app: App;
  let connector: LocalBotConnector;
  let megan: ApiClient;

  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
    connector = localBotConnector(app);
    megan = await ApiClient.signIn(app.url, "megan@contoso.example");
    await megan.post("/api/v1/payment-methods", { token: "tok_visa" });
    await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(10) });
    await app.settle();
  });
  afterAll(() => world.close());
  // Each test starts with the previous one's notifications delivered (they land in megan's chat too).
  beforeEach(async () => {
    await app.settle();
    await app.services.notifier?.settle();
  });

  async function activity(body: Record<string, unknown>) {
    const res = await fetch(`${app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        channelId: "msteams",
        serviceUrl: connector.url,
        id: `act-${Math.random()}`,
        locale: "en-US",
        from: MEGAN,
        recipient: { id: "28:credits-bot", name: "Credits" },
        conversation: { id: chat, conversationType: "personal", tenantId: CONTOSO_TENANT_ID },
        channelData: { tenant: { id: CONTOSO_TENANT_ID } },
        ...body,
      }),
    });
    expect(res.status).toBeLessThan(300);
    return res;
  }

  /** `top up <amount>` in megan's chat: the confirmation card's Charge button as sent. */
  async function topUp(amount: string): Promise<Action> {
    const before = connector.sent().length;
    await activity({ type: "message", text: `top up ${amount}` });
    const card = connector
      .sent()
      .slice(before)
      .filter((s) => s.conversationId === chat)
      .map(cardOf)
      .find(Boolean)!;
    return (card.actions as Action[])[0]!;
  }

  async function press(verb: string, data: Record<string, unknown>): Promise<string> {
    const res = await activity({ type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb, data } } });
    const body = (await res.json()) as { value: unknown };
    return JSON.stringify(body.value);
  }

  const balance = async () => (await megan.get("/api/v1/account")).body.balanceMicros as number;
  /** The card's offer id, whatever the card calls it. */
  const keyOf = (action: Action) => String(action.data.idempotencyKey ?? action.data.key);

  it("a confirmation whose key a REST funding of another amount already used still adds its own amount", async () => {
    const charge = await topUp("70");
    // A REST client (or a script) happened to send the same Idempotency-Key, for 50.00.
    expect((await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(50) }, keyOf(charge))).status).toBe(201);
    const before = await balance();
    const answer = await press(charge.verb, charge.data);
    expect(answer).toContain("Done: $70.00 added.");
    expect(await balance()).toBe(before + usd(70));
    expect(answer).toContain(`The balance is now $${((before + usd(70)) / 1_000_000).toFixed(2)}.`);
  });

  it("an amount sent as a string (hexadecimal, exponent, or plain) is refused and charges nothing", async () => {
    const charge = await topUp("50");
    const before = await balance();
    const charges = world.sandbox.charges().length;
    for (const amountMicros of ["0x2FAF080", "5e7", "50000000"]) {
      const answer = await press(charge.verb, { ...charge.data, amountMicros });
      expect(answer).toContain("Enter an amount");
    }
    expect(world.sandbox.charges().length).toBe(charges);
    expect(await balance()).toBe(before);
    // The card as sent still works: its amount is a number.
    expect(charge.data.amountMicros).toBe(usd(50));
    expect(await press(charge.verb, charge.data)).toContain("Done: $50.00 added.");
  });

  it("a confirmed amount changed by the client, or a confirmation the bot never sent, is refused and charges nothing", async () => {
    const charge = await topUp("20");
    const before = await balance();
    const charges = world.sandbox.charges().length;
    expect(await press(charge.verb, { ...charge.data, amountMicros: usd(2000) })).toContain("does not match the amount I offered");
    expect(await press(charge.verb, { ...charge.data, idempotencyKey: "0d9f9c1e-3b0a-4a57-9a39-5c1d2f0f4a11", key: "made-up" })).toContain("not one I sent");
    expect(await press("confirm_add_funds", charge.data)).toContain("does not match");
    expect(world.sandbox.charges().length).toBe(charges);
    expect(await balance()).toBe(before);
  });

  it("the tenant is the activity's: another tenant's event, or a tenant named in the card, changes nothing there", async () => {
    // A Fabrikam notification; megan (Contoso) presses its button, naming Fabrikam in the data too.
    await app.services.outbox.emit(FABRIKAM_TENANT_ID, "spend_spike", "destination:CU:2026-12-07T09", {
      upn: null,
      destinationCountry: "CU",
      destinationName: "Cuba",
      amountMicros: usd(84),
      baselineMicros: usd(6),
      currency: "USD",
    });
    const answer = await press("block_destination", { eventId: "spend_spike:destination:CU:2026-12-07T09", tenantId: FABRIKAM_TENANT_ID });
    expect(answer).toContain("not one of this organisation's notifications");
    const nestor = await ApiClient.signIn(app.url, "nestor@fabrikam.example");
    expect((await nestor.get("/api/v1/guard")).body.blockedCountries).toEqual([]);
    expect((await megan.get("/api/v1/guard")).body.blockedCountries).toEqual([]);
  });

  it("a button pressed on a notification of another kind is refused (Resume on a spending spike)", async () => {
    await app.services.outbox.emit(CONTOSO_TENANT_ID, "spend_spike", "destination:CU:2026-12-07T08", {
      upn: null,
      destinationCountry: "CU",
      destinationName: "Cuba",
      amountMicros: usd(84),
      baselineMicros: usd(6),
      currency: "USD",
    });
    expect(await press("resume_auto_recharge", { eventId: "spend_spike:destination:CU:2026-12-07T08" })).toContain("does not belong to this notification");
    expect(await press("retry_recharge", { eventId: "spend_spike:destination:CU:2026-12-07T08" })).toContain("does not belong to this notification");
  });

  it("a verb no card offers is answered in words, not a bare 501", async () => {
    expect(await press("transfer_everything", { eventId: "" })).toContain("I don't know that action.");
  });

  it("an older client's Action.Submit fallback (data.verb) does what the button does", async () => {
    const before = connector.sent().length;
    await activity({ type: "message", value: { verb: "restrict_domestic", eventId: "spend_spike:destination:CU:2026-12-07T08" } });
    expect((await megan.get("/api/v1/guard")).body.domesticOnly).toBe(true);
    // The answer is a new message in the chat (an Action.Submit cannot update the card in place).
    const said = () =>
      connector
        .sent()
        .slice(before)
        .filter((s) => s.conversationId === chat && JSON.stringify(cardOf(s) ?? {}).includes("Megan Bowen restricted calling to domestic numbers."));
    for (let i = 0; i < 100 && said().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(said()).toHaveLength(1);
  });
});

/** The notifier's pieces that decide without I/O: when events go (the queue), feed chains, and nobody told. */
import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { DeliveryQueue, MAX_DIRECT } from "../../api/src/notifications/delivery-queue.js";
import { situationsOf, SendFeedItem } from "../../api/src/notifications/send-feed-item.js";
import { chainIdOf } from "../../api/src/notifications/graph-activity-feed.js";
import { reachedNobody, unreachedView, type DeliveredEvent } from "../../api/src/notifications/unreached-rules.js";
import type { OutboxEvent } from "../../api/src/notifications/outbox.js";
import { EVENT_FACTS, sampleEvent } from "../support/notification-events.js";
import { reasonCodeOf } from "../../api/src/notifications/reason-code-rules.js";

const log = pino({ level: "silent" });
const event = (id: string, tenantId = "t1") => ({ id, tenantId, kind: "funds_added", data: {} }) as unknown as OutboxEvent;

describe("the delivery queue (p-queue)", () => {
  it("delivers an event written here once however often it is nudged, at most MAX_DIRECT at a time", async () => {
    let running = 0;
    let peak = 0;
    const delivered: string[] = [];
    const queue = new DeliveryQueue(
      async (e) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        delivered.push(e.id);
        running--;
        return 1;
      },
      async () => [],
      log,
    );
    for (let i = 0; i < MAX_DIRECT * 2; i++) queue.nudge(event(`e${i}`));
    queue.nudge(event("e0"));
    await queue.settle();
    expect(delivered.sort()).toEqual(Array.from({ length: MAX_DIRECT * 2 }, (_, i) => `e${i}`).sort());
    expect(peak).toBe(MAX_DIRECT);
  });

  it("a round delivers what is due except what is already queued, and rounds asked for meanwhile coalesce into one more", async () => {
    const delivered: string[] = [];
    let rounds = 0;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const queue = new DeliveryQueue(
      async (e) => {
        if (e.id === "slow") await held;
        delivered.push(e.id);
        return 1;
      },
      async () => {
        rounds++;
        return [event("slow"), event("due")];
      },
      log,
    );
    queue.nudge(event("slow"));
    const first = queue.runNow();
    queue.nudge();
    queue.nudge();
    release();
    const total = await first;
    await queue.settle();
    expect(rounds).toBe(2);
    // The first round left "slow" to its direct delivery; the one coalesced round after it may take it again (its records make that a no-op).
    expect(delivered.filter((id) => id === "due")).toHaveLength(2);
    expect(total).toBeGreaterThanOrEqual(2);
  });
});

describe("activity feed chains", () => {
  it("an urgent kind opens its situation; the good news closes it; other kinds do nothing", () => {
    expect(situationsOf(sampleEvent("recharge_failed"))).toEqual({ opens: "recharge", closes: [] });
    expect(situationsOf(sampleEvent("recharge_paused"))).toEqual({ opens: "recharge", closes: [] });
    expect(situationsOf(sampleEvent("balance_depleted"))).toEqual({ opens: "balance", closes: [] });
    expect(situationsOf(sampleEvent("spend_spike", undefined, "spend_spike:s1"))).toEqual({ opens: "spike:spend_spike:s1", closes: [] });
    expect(situationsOf(sampleEvent("recharge_succeeded"))).toEqual({ opens: null, closes: ["recharge", "balance"] });
    expect(situationsOf({ id: "recharge_succeeded:b", kind: "recharge_succeeded", data: { ...EVENT_FACTS.recharge_succeeded, balanceAfterMicros: -1_000_000 } })).toEqual({
      opens: null,
      closes: ["recharge"],
    });
    expect(situationsOf(sampleEvent("funds_added"))).toEqual({ opens: null, closes: ["balance"] });
    expect(situationsOf({ id: "funds_added:e", kind: "funds_added", data: { ...EVENT_FACTS.funds_added, balanceAfterMicros: 0 } })).toEqual({ opens: null, closes: [] });
    expect(SendFeedItem.concerns(sampleEvent("balance_low"))).toBe(false);
    expect(SendFeedItem.concerns(sampleEvent("card_expiring"))).toBe(false);
  });

  it("a chainId is stable per tenant and situation, differs between them, and is an exact JSON integer", () => {
    expect(chainIdOf("t1", "recharge")).toBe(chainIdOf("t1", "recharge"));
    expect(chainIdOf("t1", "recharge")).not.toBe(chainIdOf("t1", "balance"));
    expect(chainIdOf("t1", "recharge")).not.toBe(chainIdOf("t2", "recharge"));
    expect(Number.isSafeInteger(chainIdOf("t1", "recharge"))).toBe(true);
  });
});

describe("nobody told", () => {
  const at = (n: number) => `2026-12-0${n}T10:00:00.000Z`;
  const urgent = (id: string, n: number, statuses: string[]): DeliveredEvent => ({
    id,
    kind: "balance_depleted",
    at: at(n),
    deliveredAt: at(n),
    recipients: statuses.map((status, i) => ({
      upn: `a${i}@x`,
      status: status as "sent",
      channel: i % 2 ? "email" : "teams_chat",
      attempts: 1,
      ...(status === "sent" ? {} : i % 2 ? { reason: "the app may not send from credits@x: ErrorAccessDenied: Forbidden" } : { reasonCode: "app_install_refused" as const }),
    })),
    channels: [],
  });

  it("an urgent event delivered to nobody by any channel, or with nobody to reach, is unreached; one reached by e-mail is not", () => {
    expect(reachedNobody(urgent("a", 1, ["not_installed", "failed"]))).toBe(true);
    expect(reachedNobody(urgent("b", 1, []))).toBe(true);
    expect(reachedNobody(urgent("c", 1, ["not_installed", "sent"]))).toBe(false);
    expect(reachedNobody({ ...urgent("d", 1, ["failed"]), deliveredAt: null })).toBe(false);
    expect(reachedNobody({ ...urgent("e", 1, ["failed"]), kind: "funds_added" })).toBe(false);
  });

  it("says who was tried, on which channel, and why (codes; check-ledger says them in words)", () => {
    const view = unreachedView(urgent("new", 3, ["not_installed", "failed"]));
    expect(view.tried).toEqual([
      { upn: "a0@x", channel: "teams_chat", status: "not_installed", reasonCode: "app_install_refused" },
      // A line stored before reason codes: its code is read from the raw text, which is not shown.
      { upn: "a1@x", channel: "email", status: "failed", reasonCode: "mailbox_forbidden" },
    ]);
  });
});

describe("delivery reason codes", () => {
  it("a line keeps the code written with it; a line stored before codes gets one read from its raw text; a sent line has none", () => {
    expect(reasonCodeOf({ status: "failed", reasonCode: "throttled", reason: "anything" })).toBe("throttled");
    expect(reasonCodeOf({ status: "sent", reasonCode: "failed" })).toBeUndefined();
    expect(reasonCodeOf({ channel: "teams_chat", status: "not_installed", reason: "app_install_refused: Forbidden" })).toBe("app_install_refused");
    expect(reasonCodeOf({ channel: "teams_chat", status: "not_installed", reason: "MessageWritesBlocked: the user does not accept messages from the app" })).toBe("blocked");
    expect(reasonCodeOf({ channel: "teams_channel", status: "not_installed", reason: "the app is not installed in this channel's team" })).toBe("not_installed");
    expect(reasonCodeOf({ channel: "email", status: "failed", reason: "no sender mailbox is configured (NOTIFY_SENDER_MAILBOX)" })).toBe("no_sender_mailbox");
    expect(reasonCodeOf({ channel: "email", status: "failed", reason: "outcome unknown, not sent again: socket hang up" })).toBe("unconfirmed");
    expect(reasonCodeOf({ channel: "email", status: "pending", reason: "not accepted yet: 429" })).toBe("throttled");
    expect(reasonCodeOf({ channel: "activity_feed", status: "failed", reason: "Forbidden: 403" })).toBe("forbidden");
    expect(reasonCodeOf({ channel: "teams_chat", status: "failed", reason: "InternalServerError: boom" })).toBe("failed");
    expect(reasonCodeOf({ channel: "email", status: "pending", reason: "sending" })).toBeUndefined();
    expect(reasonCodeOf({ channel: "teams_chat", status: "pending", reason: "ServiceUnavailable: try later" })).toBeUndefined();
  });
});

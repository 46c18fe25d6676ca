/**
 * What happens when an admin presses a card button or gives a chat command that changes something.
 * Role checks are the API's (the same permissions as the routes), and so are the use cases and their
 * audit records. What a card sends back is not trusted: the tenant is the verified activity's, an
 * event id must name an event of that tenant and of the kind the button belongs to, amounts go
 * through the API's zod schemas, and a confirmation is honoured only as the API offered it
 * (card-offers.ts). Money actions run once per key, in the card's own namespace: event + verb for
 * the buttons of a notification's copies, the offer for a confirmation card. A successful action
 * from one copy is recorded on the event and every copy is updated to say who did what, so nobody
 * acts twice.
 */
import { formatAmount, hasPermission, parseDecimalToMicros, t, type MessageId, type MessageValues, type NotificationKind } from "@cc/common";
import { localeOf, renderConfirmCard, type ActionAnswer, type ActionRequest, type Locale } from "@cc/bot";
import type { Directory } from "../directory/directory.js";
import type { IdempotencyService } from "../store/idempotency.js";
import type { Funding } from "../funding/add-funds.js";
import type { AutoRecharge } from "../funding/auto-recharge/index.js";
import type { Accounts } from "../accounts/accounts.js";
import type { Guard } from "../guard/guard.js";
import { Refusal } from "../shared/refusal.js";
import type { Clock } from "../shared/clock.js";
import { addFundsBody, autoRechargeBody } from "../http/validation.js";
import { detailFor } from "../http/problem-words.js";
import type { Outbox, OutboxEvent } from "./outbox.js";
import type { Notifier } from "./notifier.js";
import type { CardOffers, ConfirmVerb } from "./card-offers.js";
import { canManageNotifications, type NotificationSettingsStore } from "./settings.js";

/** The buttons a notification card offers, and the kinds of notification that offer each. */
const EVENT_VERBS: Record<string, readonly NotificationKind[]> = {
  retry_recharge: ["recharge_failed"],
  add_funds: ["balance_low", "balance_depleted"],
  confirm_add_funds: ["balance_low", "balance_depleted"],
  restrict_domestic: ["spend_spike"],
  block_destination: ["spend_spike"],
  resume_auto_recharge: ["recharge_paused"],
};

/** Verbs that move money or change auto-recharge or the guard: billing, as the matching routes require. */
const BILLING_VERBS = new Set([
  "retry_recharge",
  "add_funds",
  "confirm_add_funds",
  "top_up",
  "confirm_top_up",
  "auto_recharge_on",
  "auto_recharge_off",
  "restrict_domestic",
  "block_destination",
  "resume_auto_recharge",
]);

/** The card's own idempotency namespace: a REST Idempotency-Key can never name a card action. */
const cardKey = (eventId: string, verb: string) => `card:${eventId}:${verb}`;

/** The actions the cards offer: the same use cases as the routes (and so the same audit records). */
export interface CardOfferedActions {
  retryRecharge: AutoRecharge["retryNow"];
  resumeAutoRecharge: AutoRecharge["resume"];
  configureAutoRecharge: AutoRecharge["configure"];
  addFunds: Funding["addFunds"];
  viewAccount: Accounts["view"];
  restrictToDomestic: Guard["restrictToDomestic"];
  blockDestination: Guard["blockDestination"];
  addChannel: NotificationSettingsStore["addChannel"];
  removeChannel: NotificationSettingsStore["removeChannel"];
}

/** A button press as every verb sees it: who, in which tenant and language, on which event. */
interface Pressed {
  tenantId: string;
  verb: string;
  data: ActionRequest["data"];
  locale: Locale;
  user: { id: string; upn: string; displayName: string; roles: string[] };
  actor: { id: string; upn: string };
  by: { by: string; byUserId: string };
  eventId: string;
  event: OutboxEvent | undefined;
  card: (event: OutboxEvent) => ReturnType<Notifier["message"]>["card"];
  said: (id: MessageId, values?: MessageValues) => string;
  /** A refusal on the presser's copy. */
  refused: (message: string) => ActionAnswer;
}

export class CardActions {
  constructor(
    private readonly directory: Directory,
    private readonly outbox: Outbox,
    /** Renders a card and updates every copy of it (the notifier, built before this). */
    private readonly notifier: Pick<Notifier, "message" | "updateCopies">,
    private readonly idempotency: IdempotencyService,
    private readonly actions: CardOfferedActions,
    private readonly clock: Clock,
    private readonly offers: CardOffers,
  ) {}

  /** The checks every verb shares, then one switch over the verbs: a reader sees every button's effect in one place. */
  async act(request: ActionRequest): Promise<ActionAnswer> {
    const pressed = await this.pressedBy(request);
    if (!pressed) return { ok: false, message: t(localeOf(request.locale), "bot.action.notAdmin") };
    const { verb, user, event, eventId, said, refused } = pressed;
    if (eventId && !event) return { ok: false, message: said("bot.action.unknownEvent") };
    if (verb === "refresh") return event ? { ok: true, message: "", card: pressed.card(event) } : { ok: false, message: said("bot.action.unknownEvent") };
    const kinds = EVENT_VERBS[verb];
    if (kinds && event && !kinds.includes(event.kind)) return refused(said("bot.action.wrongCard"));
    if (BILLING_VERBS.has(verb) && !hasPermission(user.roles, "billing")) return refused(said("bot.action.forbidden"));
    if ((verb === "notify_here" || verb === "notify_stop") && !canManageNotifications(user.roles)) return { ok: false, message: said("bot.action.forbidden") };
    // Someone already acted on this notification: every copy says who did what; nothing runs again.
    if (event?.action?.ok && kinds) return { ok: true, message: "", card: pressed.card(event) };

    try {
      switch (verb) {
        case "retry_recharge":
        case "restrict_domestic":
        case "block_destination":
        case "resume_auto_recharge":
          return await this.eventAction(pressed);
        case "add_funds":
        case "top_up":
          return await this.offerFunds(pressed);
        case "confirm_add_funds":
        case "confirm_top_up":
          return await this.confirmFunds(pressed);
        case "auto_recharge_on":
        case "auto_recharge_off":
          return await this.setAutoRecharge(pressed);
        case "notify_here":
          await this.actions.addChannel(pressed.tenantId, pressed.actor, {
            teamId: String(pressed.data.teamId ?? ""),
            channelId: String(pressed.data.channelId ?? pressed.data.conversationId ?? ""),
            name: String(pressed.data.name ?? ""),
          });
          return { ok: true, message: said("bot.action.notifyHere") };
        case "notify_stop":
          await this.actions.removeChannel(pressed.tenantId, pressed.actor, String(pressed.data.channelId ?? pressed.data.conversationId ?? ""));
          return { ok: true, message: said("bot.action.notifyStop") };
        default:
          return { ok: false, message: said("bot.unknownAction") };
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return refused(refusalWords(error, pressed.locale));
    }
  }

  /** Who pressed what, on which event (read in the activity's tenant: another tenant's event id finds nothing); undefined for a non-admin. */
  private async pressedBy(request: ActionRequest): Promise<Pressed | undefined> {
    const { tenantId, userId, verb, data } = request;
    const locale = localeOf(request.locale);
    const user = (await this.directory.users(tenantId)).find((u) => u.id === userId);
    if (!user || !hasPermission(user.roles, "read")) return undefined;
    const eventId = typeof data.eventId === "string" ? data.eventId : "";
    const event = eventId ? await this.outbox.read(tenantId, eventId) : undefined;
    const card = (e: OutboxEvent) => this.notifier.message(e, locale).card;
    const by = { by: user.displayName, byUserId: user.id };
    return {
      tenantId,
      verb,
      data,
      locale,
      user,
      actor: { id: user.id, upn: user.upn },
      by,
      eventId,
      event,
      card,
      said: (id, values) => t(locale, id, values),
      // A refusal is shown on the presser's copy only (who tried, and why); the other copies keep their buttons.
      refused: (message) => ({
        ok: false,
        message,
        ...(event ? { card: card({ ...event, action: { verb, ok: false, ...by, message, at: this.clock.now().toISOString() } }) } : {}),
      }),
    };
  }

  /** A notification's own button (Retry now, Restrict to domestic, Block this destination, Resume): run once per event and verb, then every copy says who did it. */
  private async eventAction({ tenantId, verb, actor, by, event, locale, said, refused }: Pressed): Promise<ActionAnswer> {
    if (!event) return refused(said("bot.action.wrongCard"));
    const country = event.kind === "spend_spike" ? (event.data.destinationCountry ?? "") : "";
    if (verb === "block_destination" && !country) return refused(said("bot.action.noDestination"));
    // The same use cases as the routes (and so the same audit records).
    const run: () => Promise<unknown> =
      verb === "retry_recharge"
        ? () => this.actions.retryRecharge(tenantId, actor)
        : verb === "restrict_domestic"
          ? () => this.actions.restrictToDomestic(tenantId, actor)
          : verb === "block_destination"
            ? () => this.actions.blockDestination(tenantId, actor, country)
            : async () => void (await this.actions.resumeAutoRecharge(tenantId, actor));
    await this.idempotency.run(tenantId, "card-action", cardKey(event.id, verb), { verb, eventId: event.id }, run);
    return this.recorded(event, { verb, ok: true, ...by }, locale);
  }

  /** Add funds (a low-balance card's button) or top up (the chat command): a confirmation card with the amount the API offers. */
  private async offerFunds({ tenantId, verb, data, user, event, eventId, locale, said, refused }: Pressed): Promise<ActionAnswer> {
    // add_funds: the card's Input.Number, in currency units; top_up: the chat command's micros.
    const amountMicros = verb === "add_funds" ? unitsToMicros(data.amount) : data.amountMicros;
    const amount = addFundsBody.safeParse({ amountMicros });
    if (!amount.success) return { ok: false, message: said("bot.action.badAmount") };
    if (verb === "add_funds" && !event) return refused(said("bot.action.wrongCard"));
    const confirmVerb: ConfirmVerb = verb === "add_funds" ? "confirm_add_funds" : "confirm_top_up";
    const offer = await this.offers.offer(tenantId, user.id, {
      verb: confirmVerb,
      amountMicros: amount.data.amountMicros,
      eventId,
      ...(event ? { chargeKey: cardKey(event.id, "add_funds") } : {}),
    });
    const account = await this.actions.viewAccount(tenantId);
    return {
      ok: true,
      message: "",
      card: renderConfirmCard(
        { verb: confirmVerb, amountMicros: offer.amountMicros, currency: account.currency, paymentMethod: paymentMethodName(account), idempotencyKey: offer.id, eventId },
        locale,
      ),
    };
  }

  /** The confirmation card's Charge button: honoured only as offered, charged once per offer; the card says the outcome. */
  private async confirmFunds({ tenantId, verb, data, actor, by, event, eventId, locale, said }: Pressed): Promise<ActionAnswer> {
    const amount = addFundsBody.safeParse({ amountMicros: data.amountMicros });
    if (!amount.success) return { ok: false, message: said("bot.action.badAmount") };
    const offerId = typeof data.idempotencyKey === "string" ? data.idempotencyKey : "";
    const offer = offerId ? await this.offers.find(tenantId, offerId) : undefined;
    if (!offer) return { ok: false, message: said("bot.action.notOffered") };
    if (offer.verb !== verb || offer.eventId !== eventId || offer.amountMicros !== amount.data.amountMicros) return { ok: false, message: said("bot.action.changed") };
    const account = await this.actions.viewAccount(tenantId);
    const confirmCard = (done: { ok: true; balanceMicros: number } | { ok: false; message: string }) =>
      renderConfirmCard(
        { verb, amountMicros: offer.amountMicros, currency: account.currency, paymentMethod: paymentMethodName(account), idempotencyKey: offer.id, eventId, done },
        locale,
      );
    try {
      const { result } = await this.idempotency.run(tenantId, "card-action", offer.chargeKey, { verb: "funds", amountMicros: offer.amountMicros }, () =>
        this.actions.addFunds(tenantId, actor, offer.amountMicros, offer.chargeKey, "card"),
      );
      if (event) await this.recorded(event, { verb, ok: true, ...by, amountMicros: offer.amountMicros, currency: account.currency }, locale);
      return { ok: true, message: "", card: confirmCard({ ok: true, balanceMicros: result.balanceMicros }) };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      // The confirmation card itself says why (a declined card, a limit), in the reader's language.
      return { ok: false, message: refusalWords(error, locale), card: confirmCard({ ok: false, message: refusalWords(error, locale) }) };
    }
  }

  /** Auto-recharge on (with the card's amounts) or off (keeping the account's). */
  private async setAutoRecharge({ tenantId, verb, data, actor, locale, said }: Pressed): Promise<ActionAnswer> {
    const account = await this.actions.viewAccount(tenantId);
    const enabled = verb === "auto_recharge_on";
    const parsed = autoRechargeBody.safeParse(
      enabled
        ? { enabled, amountMicros: data.amountMicros, thresholdMicros: data.thresholdMicros }
        : { enabled, amountMicros: account.autoRecharge.amountMicros, thresholdMicros: account.autoRecharge.thresholdMicros },
    );
    if (!parsed.success) return { ok: false, message: said("bot.action.badAmount") };
    await this.actions.configureAutoRecharge(tenantId, actor, parsed.data);
    const m = (v: number) => formatAmount(locale, v, account.currency);
    return {
      ok: true,
      message: enabled ? said("bot.action.autoRechargeOn", { amount: m(parsed.data.amountMicros), threshold: m(parsed.data.thresholdMicros) }) : said("bot.action.autoRechargeOff"),
    };
  }

  /** Record the action on the event, update every copy, answer the updated card. */
  private async recorded(
    event: OutboxEvent,
    action: { verb: string; ok: boolean; by: string; byUserId: string; amountMicros?: number; currency?: string },
    locale: Locale,
  ): Promise<ActionAnswer> {
    const saved = (await this.outbox.recordAction(event.tenantId, event.id, { ...action, at: this.clock.now().toISOString() })) ?? event;
    await this.notifier.updateCopies(saved);
    return { ok: true, message: "", card: this.notifier.message(saved, locale).card };
  }
}

/** The card as the API names it ("Visa •••• 4242", not the processor's "visa"), as every other sentence about it does. */
const paymentMethodName = (account: { paymentMethod: { name: string } | null }) => account.paymentMethod?.name ?? null;

/** A refusal in the reader's language: the catalog's words for its code and facts. */
function refusalWords(error: Refusal, locale: Locale): string {
  return detailFor(error.code, error.message, (error.facts ?? {}) as Record<string, string | number>, locale);
}

/** An amount typed in the card (units, "100" or "100,50"); undefined when it is not a plain decimal. */
function unitsToMicros(value: unknown): number | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  try {
    return parseDecimalToMicros(String(value).trim().replace(",", "."));
  } catch {
    return undefined;
  }
}

export type { NotificationKind };

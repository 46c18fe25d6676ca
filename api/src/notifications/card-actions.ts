/**
 * What happens when an admin presses a card button or gives a chat command that changes something.
 * Role checks are the API's (the same permissions as the routes); money actions run once per
 * idempotency key (event + action for card copies, the confirmation card's key for a top-up); a
 * successful action from one copy is recorded on the event and every copy is updated to say who did
 * what, so nobody retries a recharge twice.
 */
import { hasPermission, formatMoney, parseDecimalToMicros, type NotificationKind } from "@cc/common";
import { localeOf, renderConfirmCard, type ActionAnswer, type ActionRequest } from "@cc/bot";
import type { Directory } from "../directory/directory.js";
import type { IdempotencyService } from "../store/idempotency.js";
import type { Funding } from "../funding/add-funds.js";
import type { AutoRecharge } from "../funding/auto-recharge.js";
import type { Accounts } from "../accounts/accounts.js";
import { Refusal } from "../shared/refusal.js";
import type { Clock } from "../shared/clock.js";
import type { Outbox } from "./outbox.js";
import type { Notifier } from "./notifier.js";
import { canManageNotifications, type NotificationSettingsStore } from "./settings.js";

/** Optional use cases another capability provides (guard, pause/resume); verbs answer "not available yet" without them. */
export interface OptionalActions {
  restrictToDomestic?: (tenantId: string, actor: { id: string; upn: string }) => Promise<unknown>;
  blockDestination?: (tenantId: string, actor: { id: string; upn: string }, countryCode: string) => Promise<unknown>;
  resumeAutoRecharge?: (tenantId: string, actor: { id: string; upn: string }) => Promise<unknown>;
}

const SAID = {
  en: { forbidden: "Only Global and Billing Administrators can do this.", notAdmin: "Only admins in the notified roles can use Communications Credits.", notAvailable: "This action is not available yet.", arOn: (a: string, t: string) => `Auto-recharge is on: ${a} is added when the balance falls below ${t}.`, arOff: "Auto-recharge is off.", notifyHere: "This channel now gets Communications Credits notifications too.", notifyStop: "This channel no longer gets Communications Credits notifications.", badAmount: "Enter an amount, for example 100." },
  fr: { forbidden: "Seuls les administrateurs généraux et de facturation peuvent faire cela.", notAdmin: "Seuls les administrateurs des rôles notifiés peuvent utiliser les crédits de communication.", notAvailable: "Cette action n'est pas encore disponible.", arOn: (a: string, t: string) => `La recharge automatique est activée : ${a} est ajouté quand le solde passe sous ${t}.`, arOff: "La recharge automatique est désactivée.", notifyHere: "Ce canal reçoit maintenant aussi les notifications des crédits de communication.", notifyStop: "Ce canal ne reçoit plus les notifications des crédits de communication.", badAmount: "Saisissez un montant, par exemple 100." },
};

const MONEY_VERBS = new Set(["retry_recharge", "add_funds", "confirm_add_funds", "confirm_top_up", "auto_recharge_on", "auto_recharge_off", "restrict_domestic", "block_destination", "resume_auto_recharge"]);

export class CardActions {
  constructor(
    private readonly directory: Directory,
    private readonly outbox: Outbox,
    private readonly notifier: () => Notifier,
    private readonly idempotency: IdempotencyService,
    private readonly funding: Funding,
    private readonly autoRecharge: AutoRecharge,
    private readonly accounts: Accounts,
    private readonly settings: NotificationSettingsStore,
    private readonly clock: Clock,
    private readonly optional: OptionalActions = {},
  ) {}

  async act(request: ActionRequest): Promise<ActionAnswer> {
    const { tenantId, userId, verb, data, idempotencyKey } = request;
    const locale = localeOf(request.locale);
    const said = SAID[locale];
    const user = (await this.directory.users(tenantId)).find((u) => u.id === userId);
    if (!user || !hasPermission(user.roles, "read")) return { ok: false, message: said.notAdmin };
    const actor = { id: user.id, upn: user.upn };
    const eventId = typeof data.eventId === "string" ? data.eventId : "";
    const event = eventId ? await this.outbox.read(tenantId, eventId) : undefined;

    if (verb === "refresh") return event ? { ok: true, message: "", card: this.notifier().message(event, locale).card } : { ok: false, message: said.notAvailable };
    if (MONEY_VERBS.has(verb) && !hasPermission(user.roles, "billing")) return { ok: false, message: said.forbidden, ...(event ? { card: this.notifier().message(event, locale).card } : {}) };
    if ((verb === "notify_here" || verb === "notify_stop") && !canManageNotifications(user.roles)) return { ok: false, message: said.forbidden };

    try {
      switch (verb) {
        case "retry_recharge": {
          if (!event) return { ok: false, message: said.notAvailable };
          await this.idempotency.run(tenantId, "card-action", idempotencyKey, { verb, eventId }, () => this.autoRecharge.retryNow(tenantId, actor));
          return this.recorded(event.tenantId, event.id, { verb, ok: true, by: user.displayName, byUserId: user.id }, locale);
        }
        case "add_funds": {
          const amountMicros = amountOf(data.amount);
          if (amountMicros === undefined) return { ok: false, message: said.badAmount };
          const account = await this.accounts.view(tenantId);
          const card = renderConfirmCard({ verb: "confirm_add_funds", amountMicros, currency: account.currency, paymentMethod: account.paymentMethod ? `${account.paymentMethod.brand} •••• ${account.paymentMethod.last4}` : "—", key: `${eventId}:add_funds`, eventId }, locale);
          return { ok: true, message: "", card };
        }
        case "confirm_add_funds":
        case "confirm_top_up": {
          const amountMicros = Number(data.amountMicros);
          if (!Number.isSafeInteger(amountMicros) || amountMicros <= 0) return { ok: false, message: said.badAmount };
          const account = await this.accounts.view(tenantId);
          const paymentMethod = account.paymentMethod ? `${account.paymentMethod.brand} •••• ${account.paymentMethod.last4}` : "—";
          const { result } = await this.idempotency.run(tenantId, "card-action", idempotencyKey, { verb: "funds", amountMicros }, () => this.funding.addFunds(tenantId, actor, amountMicros, idempotencyKey));
          if (event) {
            await this.outbox.recordAction(tenantId, event.id, { verb, ok: true, by: user.displayName, byUserId: user.id, amountMicros, currency: account.currency, at: this.clock.now().toISOString() }).then((saved) => saved && this.notifier().updateCopies(saved));
          }
          return { ok: true, message: "", card: renderConfirmCard({ verb, amountMicros, currency: account.currency, paymentMethod, key: idempotencyKey, eventId, done: { ok: true, balanceMicros: result.balanceMicros } }, locale) };
        }
        case "auto_recharge_on":
        case "auto_recharge_off": {
          const account = await this.accounts.view(tenantId);
          const enabled = verb === "auto_recharge_on";
          const settings = enabled ? { enabled, amountMicros: Number(data.amountMicros), thresholdMicros: Number(data.thresholdMicros) } : { ...account.autoRecharge, enabled: false };
          await this.autoRecharge.configure(tenantId, actor, { enabled: settings.enabled, amountMicros: settings.amountMicros, thresholdMicros: settings.thresholdMicros });
          const m = (v: number) => formatMoney(v, account.currency, locale === "fr" ? "fr-FR" : "en-US");
          return { ok: true, message: enabled ? said.arOn(m(settings.amountMicros), m(settings.thresholdMicros)) : said.arOff };
        }
        case "notify_here":
          await this.settings.addChannel(tenantId, actor, { teamId: String(data.teamId ?? ""), channelId: String(data.channelId ?? data.conversationId ?? ""), name: String(data.name ?? "") });
          return { ok: true, message: said.notifyHere };
        case "notify_stop":
          await this.settings.removeChannel(tenantId, actor, String(data.channelId ?? data.conversationId ?? ""));
          return { ok: true, message: said.notifyStop };
        case "restrict_domestic":
        case "block_destination":
        case "resume_auto_recharge": {
          const run =
            verb === "restrict_domestic" ? this.optional.restrictToDomestic && (() => this.optional.restrictToDomestic!(tenantId, actor))
            : verb === "block_destination" ? this.optional.blockDestination && (() => this.optional.blockDestination!(tenantId, actor, String(event?.data.destinationCountry ?? "")))
            : this.optional.resumeAutoRecharge && (() => this.optional.resumeAutoRecharge!(tenantId, actor));
          if (!run || !event) return { ok: false, message: said.notAvailable, ...(event ? { card: this.notifier().message({ ...event, action: { verb, ok: false, by: user.displayName, byUserId: user.id, at: this.clock.now().toISOString() } }, locale).card } : {}) };
          await this.idempotency.run(tenantId, "card-action", idempotencyKey, { verb, eventId }, run);
          return this.recorded(tenantId, event.id, { verb, ok: true, by: user.displayName, byUserId: user.id }, locale);
        }
        default:
          return { ok: false, message: said.notAvailable };
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const refusedEvent = event ? { ...event, action: { verb, ok: false, by: user.displayName, byUserId: user.id, message: error.message, at: this.clock.now().toISOString() } } : undefined;
      return { ok: false, message: error.message, ...(refusedEvent ? { card: this.notifier().message(refusedEvent, locale).card } : {}) };
    }
  }

  /** Record the action on the event, update every copy, answer the updated card. */
  private async recorded(tenantId: string, eventId: string, action: { verb: string; ok: boolean; by: string; byUserId: string }, locale: "en" | "fr"): Promise<ActionAnswer> {
    const saved = await this.outbox.recordAction(tenantId, eventId, { ...action, at: this.clock.now().toISOString() });
    if (!saved) return { ok: false, message: SAID[locale].notAvailable };
    await this.notifier().updateCopies(saved);
    return { ok: true, message: "", card: this.notifier().message(saved, locale).card };
  }
}

function amountOf(value: unknown): number | undefined {
  try {
    const micros = parseDecimalToMicros(String(value ?? "").replace(",", "."));
    return micros > 0 ? micros : undefined;
  } catch {
    return undefined;
  }
}

export type { NotificationKind };

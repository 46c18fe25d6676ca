/** The confirmation card of an addition of funds (a low-balance card's Add funds, the `top up` command): charged once per offer. */
import { t } from "@cc/common";
import confirmTemplate from "./confirm.json" with { type: "json" };
import { expand, langOf, type AdaptiveCardJson } from "./template.js";
import { money } from "./words.js";
import type { Locale } from "../types.js";

export interface ConfirmCardInput {
  verb: "confirm_add_funds" | "confirm_top_up";
  amountMicros: number;
  currency: string;
  /** The card as the API names it ("Visa •••• 4242"), or null when there is none yet. */
  paymentMethod: string | null;
  /**
   * The API's offer id the confirmation carries (see api/src/notifications/card-offers.ts): a double
   * click charges once. Named `idempotencyKey`, not `key`: some clients (Agents Playground) crash on
   * an Action.Execute data field named `key`.
   */
  idempotencyKey: string;
  eventId?: string;
  /** After the charge: the new balance (ok) or the API's refusal sentence (in the reader's language). */
  done?: { ok: true; balanceMicros: number } | { ok: false; message: string };
}

export function renderConfirmCard(input: ConfirmCardInput, locale: Locale): AdaptiveCardJson {
  const amount = money(input.amountMicros, input.currency, locale);
  const outcome = !input.done
    ? ""
    : input.done.ok
      ? t(locale, "cards.confirm.done", { amount, balance: money(input.done.balanceMicros, input.currency, locale) })
      : input.done.message;
  return expand(confirmTemplate, {
    lang: langOf(locale),
    appName: t(locale, "cards.app.name"),
    title: t(locale, "cards.confirm.title"),
    question: t(locale, "cards.confirm.question", { amount, card: input.paymentMethod ?? t(locale, "cards.confirm.noCard") }),
    confirmLabel: t(locale, "cards.confirm.confirm", { amount }),
    verb: input.verb,
    amountMicros: input.amountMicros,
    idempotencyKey: input.idempotencyKey,
    eventId: input.eventId ?? "",
    outcome,
    outcomeColor: input.done?.ok ? "Good" : "Attention",
  });
}

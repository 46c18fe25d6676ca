/** The balance card (the `balance` command): the account's balance, auto-recharge, card and next step, in the reader's language. */
import { t, type AccountView, type MessageId } from "@cc/common";
import balanceTemplate from "./balance.json" with { type: "json" };
import { expand, langOf, type AdaptiveCardJson } from "./template.js";
import { money, when } from "./words.js";
import type { Locale } from "../types.js";

export interface BalanceCardData {
  lang: string;
  appName: string;
  balance: string;
  balanceColor: "Default" | "Warning" | "Attention";
  facts: { title: string; value: string }[];
  lastRecharge: string;
  next: string;
  asOf: string;
}

/** The balance card's words and numbers, in the reader's language and the account's currency. */
export function balanceCardData(account: AccountView, locale: Locale = "en", now = new Date()): BalanceCardData {
  const w = (id: MessageId, values?: Parameters<typeof t>[2]) => t(locale, id, values);
  const m = (micros: number) => money(micros, account.currency, locale);
  const { autoRecharge, paymentMethod, lastRecharge } = account;
  const autoRechargeText = !autoRecharge.enabled
    ? w("cards.balance.off")
    : autoRecharge.paused
      ? w("cards.balance.autoRechargePaused", { reason: w("cards.pauseReason", { reason: autoRecharge.paused.reason }) })
      : w("cards.balance.autoRechargeOn", { amount: m(autoRecharge.amountMicros), threshold: m(autoRecharge.thresholdMicros) });
  return {
    lang: langOf(locale),
    appName: w("cards.app.name"),
    balance: m(account.balanceMicros),
    balanceColor: account.status === "depleted" ? "Attention" : account.status === "not_set_up" ? "Warning" : "Default",
    facts: [
      { title: w("cards.balance.status"), value: w("cards.balance.statusLabel", { status: account.status }) },
      { title: w("cards.balance.currency"), value: account.currency },
      { title: w("cards.balance.autoRecharge"), value: autoRechargeText },
      {
        title: w("cards.balance.paymentMethod"),
        value: paymentMethod
          ? w("cards.cardWithExpiry", { card: paymentMethod.name, expiry: `${String(paymentMethod.expMonth).padStart(2, "0")}/${paymentMethod.expYear}` })
          : w("cards.balance.none"),
      },
    ],
    lastRecharge: lastRecharge
      ? w("cards.balance.lastRecharge", {
          amount: m(lastRecharge.amountMicros),
          status: lastRecharge.status,
          failure: lastRecharge.failureCode ? "yes" : "none",
          failureWords: lastRecharge.failureCode ? w("cards.balance.failure", { code: lastRecharge.failureCode }) : "",
        })
      : "",
    // The next step the API found for this account (add a card, turn on or resume auto-recharge, replace the failed card, add funds).
    next: account.nextAction ? w("cards.balance.next", { action: account.nextAction }) : "",
    asOf: w("cards.balance.asOf", { at: when(now.toISOString(), locale) }),
  };
}

export function renderBalanceCard(account: AccountView, locale: Locale = "en", now?: Date): AdaptiveCardJson {
  return expand(balanceTemplate, balanceCardData(account, locale, now));
}

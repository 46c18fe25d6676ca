/**
 * The e-mail for an event, in the reader's language (catalog namespace `email`): the same facts
 * as the card (amounts in the account's currency to the cent, the reason in words, what stops at
 * zero), a link that opens the tab on the page where they act (a Teams deep link), and a footer
 * saying why the reader gets it (their role, and why Teams could not reach them) and where to
 * change it. An HTML part and a plain-text part with the same words (sent as MIME, see
 * deliver-by-email.ts). Pure: no I/O.
 */
import escapeHtml from "escape-html";
import {
  assertNever,
  formatMoneyLocale,
  intlFor,
  negotiateLanguage,
  roleName,
  type CardFailureCode,
  type CurrencyCode,
  type MessageId,
  type MessageValues,
  type NotificationEvent,
  type NotificationKind,
  type RechargePausedFacts,
  type SpendSpikeFacts,
} from "@cc/common";
import type { Locale } from "@cc/bot";

export interface EmailContext {
  locale: Locale;
  /** The organisation's name (Graph /organization displayName). */
  org: string;
  /** The directory role that makes the reader a recipient of this kind. */
  roleId: string | null;
  /** Why the Teams path did not reach them. */
  whyEmail: "not_installed" | "blocked" | "failed" | "unknown";
  /** Teams deep link to the tab (https://teams.microsoft.com/l/entity/<app>/<entity>). */
  tabUrl: string;
}

export interface EmailMessage {
  subject: string;
  html: string;
  text: string;
  /** The deep link the action opens. */
  link: string;
  settingsLink: string;
}

/** The tab page where an admin acts on each kind. */
export const PAGE_OF: Record<NotificationKind, string> = {
  recharge_succeeded: "ledger",
  recharge_failed: "overview",
  recharge_paused: "overview",
  balance_low: "overview",
  balance_depleted: "overview",
  funds_added: "ledger",
  card_expiring: "overview",
  spend_spike: "usage",
  budget_threshold: "usage",
};

/** The e-mail's button: the card's own button words where the card has the same one. */
const ACTION_OF: Record<NotificationKind, MessageId> = {
  recharge_succeeded: "email.act.default",
  recharge_failed: "email.act.recharge_failed",
  recharge_paused: "cards.label.resume",
  balance_low: "email.act.balance_low",
  balance_depleted: "cards.label.addFunds",
  funds_added: "email.act.default",
  card_expiring: "cards.label.updatePayment",
  spend_spike: "email.act.spend_spike",
  budget_threshold: "email.act.spend_spike",
};

/** Kinds whose e-mail says what stops at zero (the balance is, or may soon be, at zero). */
const SAYS_WHAT_STOPS: readonly NotificationKind[] = ["recharge_failed", "recharge_paused", "balance_low", "balance_depleted", "card_expiring"];

/** A Teams deep link opening the app's tab on one page (the tab reads it as the sub-page id). */
export function tabDeepLink(tabUrl: string, page: string): string {
  return `${tabUrl}?context=${encodeURIComponent(JSON.stringify({ subEntityId: page }))}`;
}

/** What a notification's words need of its facts, worded in the reader's language: shared by the e-mail and the activity feed. */
export function eventWords(locale: Locale) {
  const intl = intlFor(locale);
  const say = (id: MessageId, values?: MessageValues) => intl.formatMessage({ id }, values as Record<string, string | number>) as string;
  const money = (micros: number | undefined, currency: CurrencyCode) => (micros === undefined ? "—" : formatMoneyLocale(micros, currency, locale === "fr" ? "fr-FR" : "en-US"));
  return {
    intl,
    say,
    money,
    /** Why the card was refused (events.cardFailure.*). */
    cardFailure: (code: CardFailureCode) => say(`events.cardFailure.${code}`),
    /** Why auto-recharge paused, with the limit it reached (events.pauseReason.*). */
    pauseReason: (d: RechargePausedFacts) =>
      d.reason === "max_recharges_per_day"
        ? say("events.pauseReason.max_recharges_per_day", { count: d.limitCount ?? 0 })
        : say("events.pauseReason.max_amount_per_day", { amount: money(d.limitMicros, d.currency) }),
    /** Who spent it: the user, or the calls to a destination. */
    spender: (d: SpendSpikeFacts) => d.upn || say("email.who.destination", { name: d.destinationName ?? d.destinationCountry ?? "" }),
  };
}

/** What the e-mail's facts are worded with: the event's words, a fact line (skipped when empty), an instant. */
type FactWords = ReturnType<typeof eventWords> & { fact: (id: MessageId, value: string) => void; when: (at: string) => string };

/** The lead sentence of the money kinds, their facts added on the way. */
function accountLead(event: NotificationEvent, org: string, w: FactWords): string {
  const { say, money, cardFailure, pauseReason, fact, when } = w;
  switch (event.kind) {
    case "recharge_failed": {
      const d = event.data;
      const lead = say("email.lead.recharge_failed", { amount: money(d.amountMicros, d.currency), org: org });
      fact("cards.fact.reason", cardFailure(d.reason));
      fact("cards.fact.amount", money(d.amountMicros, d.currency));
      if (d.paymentMethod) fact("cards.fact.card", d.paymentMethod);
      fact("cards.fact.balanceNow", money(d.balanceMicros, d.currency));
      fact("cards.fact.retry", d.willRetryAt ? when(d.willRetryAt) : say("email.fact.noRetry"));
      return lead;
    }
    case "recharge_succeeded": {
      const d = event.data;
      const lead = say("email.lead.recharge_succeeded", { amount: money(d.amountMicros, d.currency), card: d.paymentMethod ?? "—", org: org });
      fact("cards.fact.amount", money(d.amountMicros, d.currency));
      if (d.paymentMethod) fact("cards.fact.card", d.paymentMethod);
      fact("cards.fact.balance", money(d.balanceAfterMicros, d.currency));
      return lead;
    }
    case "funds_added": {
      const d = event.data;
      const lead = say("email.lead.funds_added", { amount: money(d.amountMicros, d.currency), by: d.by, org: org });
      fact("cards.fact.amount", money(d.amountMicros, d.currency));
      fact("cards.fact.by", d.by);
      fact("cards.fact.balance", money(d.balanceAfterMicros, d.currency));
      return lead;
    }
    case "balance_low":
    case "balance_depleted": {
      const d = event.data;
      const lead = say(`email.lead.${event.kind}`, { balance: money(d.balanceAfterMicros, d.currency), threshold: money(d.thresholdMicros, d.currency), org: org });
      fact("cards.fact.balanceNow", money(d.balanceAfterMicros, d.currency));
      fact("cards.fact.threshold", money(d.thresholdMicros, d.currency));
      return lead;
    }
    case "recharge_paused": {
      const d = event.data;
      const lead = say("email.lead.recharge_paused", { why: pauseReason(d), org: org });
      fact("cards.fact.reason", pauseReason(d));
      fact("cards.fact.amount", money(d.amountMicros, d.currency));
      return lead;
    }
    default:
      return otherLead(event, w);
  }
}

/** The lead sentence of an expiring card, a spend spike, a department budget, their facts added on the way. */
function otherLead(event: Extract<NotificationEvent, { kind: "card_expiring" | "spend_spike" | "budget_threshold" }>, w: FactWords): string {
  const { intl, say, money, fact, spender } = w;
  switch (event.kind) {
    case "card_expiring": {
      const d = event.data;
      const lead = say("email.lead.card_expiring", {
        card: d.paymentMethod,
        expiry: intl.formatDate(Date.UTC(d.expYear, d.expMonth - 1, 1), { month: "long", year: "numeric", timeZone: "UTC" }),
      });
      fact("cards.fact.card", d.paymentMethod);
      return lead;
    }
    case "spend_spike": {
      const d = event.data;
      const lead = say("email.lead.spend_spike", { who: spender(d), amount: money(d.amountMicros, d.currency), usual: money(d.baselineMicros, d.currency) });
      if (d.upn) fact("cards.fact.user", d.upn);
      else fact("cards.fact.destination", d.destinationName ?? d.destinationCountry ?? "");
      fact("cards.fact.spend", money(d.amountMicros, d.currency));
      fact("cards.fact.usual", money(d.baselineMicros, d.currency));
      return lead;
    }
    case "budget_threshold": {
      const d = event.data;
      const values = {
        department: d.department,
        spent: money(d.spentMicros, d.currency),
        budget: money(d.monthlyMicros, d.currency),
        level: d.level,
        month: intl.formatDate(Date.UTC(Number(d.month.slice(0, 4)), Number(d.month.slice(5, 7)) - 1, 1), { month: "long", year: "numeric", timeZone: "UTC" }),
      };
      const lead = say("budgets.card.reached", values);
      if (d.level >= 100) fact("cards.fact.reason", d.mode === "block" ? say("budgets.card.blocks", { department: d.department }) : say("budgets.card.warns"));
      fact("cards.fact.spend", values.spent);
      return lead;
    }
    default:
      return assertNever(event);
  }
}

/** Both parts of an e-mail say the same words. */
interface EmailWords {
  locale: Locale;
  org: string;
  appName: string;
  subject: string;
  title: string;
  lead: string;
  facts: [string, string][];
  stops: string;
  action: string;
  link: string;
  settingsLink: string;
  openInTeams: string;
  footerWhy: string;
  footerEmail: string;
  footerChange: string;
  settingsLinkWords: string;
  automatic: string;
  textLine: (label: string, value: string) => string;
}

export function renderEmail(event: NotificationEvent, ctx: EmailContext): EmailMessage {
  const words = eventWords(ctx.locale);
  const { intl, say } = words;
  const when = (at: string) => say("cards.when", { at: intl.formatDate(at, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) });
  const kind = event.kind;
  const title = say(`cards.title.${kind}`);
  const facts_: [string, string][] = [];
  const fact = (id: MessageId, value: string) => void (value && facts_.push([say(id), value]));
  const lead = accountLead(event, ctx.org, { ...words, fact, when });
  const stops = SAYS_WHAT_STOPS.includes(kind) ? say("cards.stops") : "";
  const link = tabDeepLink(ctx.tabUrl, PAGE_OF[kind]);
  const settingsLink = tabDeepLink(ctx.tabUrl, "notifications");
  const action = say(ACTION_OF[kind]);
  const appName = say("words.app.name");
  const role = ctx.roleId ? roleName(ctx.roleId, negotiateLanguage(ctx.locale)) : appName;
  const footerWhy = say("email.footer.why", { role, org: ctx.org, kind: say(`events.kind.${kind}`) });
  const footerEmail = say("email.footer.whyEmail", { why: say(`email.why.${ctx.whyEmail}`) });
  const footerChange = say("email.footer.change");
  const automatic = say("email.footer.automatic");
  const subject = say("email.subject", { title, org: ctx.org });
  const parts: EmailWords = {
    locale: ctx.locale,
    org: ctx.org,
    appName,
    subject,
    title,
    lead,
    facts: facts_,
    stops,
    action,
    link,
    settingsLink,
    openInTeams: say("email.openInTeams"),
    footerWhy,
    footerEmail,
    footerChange,
    settingsLinkWords: say("email.footer.settingsLink"),
    automatic,
    textLine: (label, value) => say("email.textLine", { label, value }),
  };
  return { subject, html: emailHtml(parts), text: emailText(parts), link, settingsLink };
}

/** The plain-text part. */
function emailText(w: EmailWords): string {
  const { title, lead, stops, action, link, footerWhy, footerEmail, footerChange, settingsLink, automatic } = w;
  return [
    title,
    "",
    lead,
    "",
    ...w.facts.map(([label, value]) => w.textLine(label, value)),
    ...(stops ? ["", stops] : []),
    "",
    w.textLine(action, link),
    w.openInTeams,
    "",
    "—",
    footerWhy,
    footerEmail,
    `${footerChange} ${settingsLink}`,
    automatic,
  ].join("\n");
}

/** The HTML part: one centred card, the facts as a table, the action as a button. */
function emailHtml(w: EmailWords): string {
  const { subject, appName, title, lead, stops, action, link, footerWhy, footerEmail, footerChange, settingsLink, automatic } = w;
  const e = escapeHtml;
  const rows = w.facts
    .map(
      ([k, v]) =>
        `<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0;color:#605e5c;font-weight:600;vertical-align:top">${e(k)}</th><td style="padding:4px 0">${e(v)}</td></tr>`,
    )
    .join("");
  return `<!DOCTYPE html>
<html lang="${w.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:#f5f5f5;font-family:'Segoe UI',Helvetica,Arial,sans-serif;color:#242424">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f5f5f5"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px;border:1px solid #e0e0e0">
<tr><td style="padding:16px 24px;border-bottom:3px solid #5b5fc7;font-size:14px;color:#5b5fc7;font-weight:600">${e(appName)} · ${e(w.org)}</td></tr>
<tr><td style="padding:24px 24px 8px"><h1 style="margin:0 0 12px;font-size:22px;line-height:28px">${e(title)}</h1>
<p style="margin:0 0 16px;font-size:15px;line-height:22px">${e(lead)}</p>
${rows ? `<table role="presentation" cellpadding="0" cellspacing="0" style="font-size:14px;line-height:20px;margin:0 0 16px">${rows}</table>` : ""}
${stops ? `<p style="margin:0 0 16px;padding:12px;background:#fdf3f4;border-left:4px solid #c4314b;font-size:14px;line-height:20px">${e(stops)}</p>` : ""}
<p style="margin:8px 0 4px"><a href="${e(link)}" style="display:inline-block;background:#5b5fc7;color:#ffffff;text-decoration:none;padding:10px 20px;border-radius:4px;font-weight:600;font-size:14px">${e(action)}</a></p>
<p style="margin:4px 0 16px;font-size:12px;color:#605e5c">${e(w.openInTeams)}</p></td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #e0e0e0;font-size:12px;line-height:18px;color:#605e5c">
<p style="margin:0 0 6px">${e(footerWhy)}</p>
<p style="margin:0 0 6px">${e(footerEmail)}</p>
<p style="margin:0 0 6px">${e(footerChange)} <a href="${e(settingsLink)}" style="color:#5b5fc7">${e(w.settingsLinkWords)}</a></p>
<p style="margin:0">${e(automatic)}</p></td></tr>
</table></td></tr></table></body></html>`;
}

/**
 * The e-mail for an event, in the reader's language (catalog namespace `email`): the same facts
 * as the card (amounts in the account's currency to the cent, the reason in words, what stops at
 * zero), a link that opens the tab on the page where they act (a Teams deep link), and a footer
 * saying why the reader gets it (their role, and why Teams could not reach them) and where to
 * change it. An HTML part and a plain-text part with the same words (sent as MIME, see
 * deliver-by-email.ts). Pure: no I/O.
 */
import escapeHtml from "escape-html";
import { formatMoneyLocale, intlFor, negotiateLanguage, roleName, type CurrencyCode, type MessageId, type MessageValues, type NotificationKind } from "@cc/common";
import type { Locale } from "@cc/bot";

export interface EmailFacts {
  kind: NotificationKind;
  data: Record<string, unknown>;
}

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

/** Kinds whose e-mail says what stops at zero (the balance is, or may soon be, at zero). */
const SAYS_WHAT_STOPS: readonly NotificationKind[] = ["recharge_failed", "recharge_paused", "balance_low", "balance_depleted", "card_expiring"];

/** A Teams deep link opening the app's tab on one page (the tab reads it as the sub-page id). */
export function tabDeepLink(tabUrl: string, page: string): string {
  return `${tabUrl}?context=${encodeURIComponent(JSON.stringify({ subEntityId: page }))}`;
}

export function renderEmail(facts: EmailFacts, ctx: EmailContext): EmailMessage {
  const intl = intlFor(ctx.locale);
  const say = (id: MessageId, values?: MessageValues) => intl.formatMessage({ id }, values as Record<string, string | number>) as string;
  const d = facts.data;
  const currency = (typeof d.currency === "string" ? d.currency : "USD") as CurrencyCode;
  const money = (micros: unknown) => (typeof micros === "number" ? formatMoneyLocale(micros, currency, ctx.locale === "fr" ? "fr-FR" : "en-US") : "—");
  const when = (at: unknown) => (typeof at === "string" ? `${intl.formatDate(at, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC` : "");
  const kind = facts.kind;
  const title = say(`email.title.${kind}` as MessageId);
  const reason = (code: unknown) => say((["card_declined", "expired_card", "processing_error"].includes(String(code)) ? `email.reason.${String(code)}` : "email.reason.unknown") as MessageId);
  const who = typeof d.upn === "string" && d.upn ? d.upn : say("email.who.destination", { name: String(d.destinationName ?? d.destinationCountry ?? "") });
  const pauseWhy = d.reason === "max_recharges_per_day" ? say("email.pause.max_recharges_per_day", { count: Number(d.limitCount ?? 0) }) : say("email.pause.max_amount_per_day", { amount: money(d.limitMicros) });
  const expiry = typeof d.expMonth === "number" && typeof d.expYear === "number" ? intl.formatDate(Date.UTC(d.expYear, d.expMonth - 1, 1), { month: "long", year: "numeric", timeZone: "UTC" }) : "";
  const lead = say(`email.lead.${kind}` as MessageId, {
    amount: money(d.amountMicros),
    card: String(d.paymentMethod ?? "—"),
    org: ctx.org,
    why: pauseWhy,
    balance: money(d.balanceAfterMicros ?? d.balanceMicros),
    threshold: money(d.thresholdMicros),
    by: String(d.by ?? "—"),
    expiry,
    who,
    usual: money(d.baselineMicros),
    department: String(d.department ?? ""),
    spent: money(d.spentMicros),
    budget: money(d.monthlyMicros),
    level: Number(d.level ?? 0),
    month: String(d.month ?? ""),
  });
  const facts_: [string, string][] = [];
  const fact = (id: MessageId, value: string) => value && facts_.push([say(id), value]);
  if (kind === "recharge_failed") {
    fact("email.fact.reason", reason(d.reason));
    fact("email.fact.amount", money(d.amountMicros));
    if (d.paymentMethod) fact("email.fact.card", String(d.paymentMethod));
    fact("email.fact.balance", money(d.balanceMicros));
    fact("email.fact.nextTry", typeof d.willRetryAt === "string" ? when(d.willRetryAt) : say("email.fact.noRetry"));
  } else if (kind === "recharge_succeeded") {
    fact("email.fact.amount", money(d.amountMicros));
    if (d.paymentMethod) fact("email.fact.card", String(d.paymentMethod));
    fact("email.fact.balanceAfter", money(d.balanceAfterMicros));
  } else if (kind === "funds_added") {
    fact("email.fact.amount", money(d.amountMicros));
    fact("email.fact.by", String(d.by ?? "—"));
    fact("email.fact.balanceAfter", money(d.balanceAfterMicros));
  } else if (kind === "balance_low" || kind === "balance_depleted") {
    fact("email.fact.balance", money(d.balanceAfterMicros));
    if (typeof d.thresholdMicros === "number") fact("email.fact.threshold", money(d.thresholdMicros));
  } else if (kind === "recharge_paused") {
    fact("email.fact.reason", pauseWhy);
    fact("email.fact.amount", money(d.amountMicros));
  } else if (kind === "card_expiring") {
    fact("email.fact.card", String(d.paymentMethod ?? "—"));
  } else if (kind === "spend_spike") {
    fact("email.fact.who", who);
    fact("email.fact.spend", money(d.amountMicros));
    fact("email.fact.usual", money(d.baselineMicros));
  }
  const stops = SAYS_WHAT_STOPS.includes(kind) ? say("email.stops") : "";
  const link = tabDeepLink(ctx.tabUrl, PAGE_OF[kind]);
  const settingsLink = tabDeepLink(ctx.tabUrl, "notifications");
  const actId = (["recharge_failed", "recharge_paused", "balance_low", "balance_depleted", "card_expiring", "spend_spike"].includes(kind) ? `email.act.${kind}` : "email.act.default") as MessageId;
  const action = say(actId);
  const role = ctx.roleId ? roleName(ctx.roleId, negotiateLanguage(ctx.locale)) : say("email.appName");
  const footerWhy = say("email.footer.why", { role, org: ctx.org, kind: say(`email.kindLower.${kind}` as MessageId) });
  const footerEmail = say("email.footer.whyEmail", { why: say(`email.why.${ctx.whyEmail}` as MessageId) });
  const footerChange = say("email.footer.change");
  const automatic = say("email.footer.automatic");
  const subject = say("email.subject", { title, org: ctx.org });

  const text = [
    title,
    "",
    lead,
    "",
    ...facts_.map(([label, value]) => say("email.textLine", { label, value })),
    ...(stops ? ["", stops] : []),
    "",
    say("email.textLine", { label: action, value: link }),
    say("email.openInTeams"),
    "",
    "—",
    footerWhy,
    footerEmail,
    `${footerChange} ${settingsLink}`,
    automatic,
  ].join("\n");

  const e = escapeHtml;
  const rows = facts_.map(([k, v]) => `<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0;color:#605e5c;font-weight:600;vertical-align:top">${e(k)}</th><td style="padding:4px 0">${e(v)}</td></tr>`).join("");
  const html = `<!DOCTYPE html>
<html lang="${ctx.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:#f5f5f5;font-family:'Segoe UI',Helvetica,Arial,sans-serif;color:#242424">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f5f5f5"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px;border:1px solid #e0e0e0">
<tr><td style="padding:16px 24px;border-bottom:3px solid #5b5fc7;font-size:14px;color:#5b5fc7;font-weight:600">${e(say("email.appName"))} · ${e(ctx.org)}</td></tr>
<tr><td style="padding:24px 24px 8px"><h1 style="margin:0 0 12px;font-size:22px;line-height:28px">${e(title)}</h1>
<p style="margin:0 0 16px;font-size:15px;line-height:22px">${e(lead)}</p>
${rows ? `<table role="presentation" cellpadding="0" cellspacing="0" style="font-size:14px;line-height:20px;margin:0 0 16px">${rows}</table>` : ""}
${stops ? `<p style="margin:0 0 16px;padding:12px;background:#fdf3f4;border-left:4px solid #c4314b;font-size:14px;line-height:20px">${e(stops)}</p>` : ""}
<p style="margin:8px 0 4px"><a href="${e(link)}" style="display:inline-block;background:#5b5fc7;color:#ffffff;text-decoration:none;padding:10px 20px;border-radius:4px;font-weight:600;font-size:14px">${e(action)}</a></p>
<p style="margin:4px 0 16px;font-size:12px;color:#605e5c">${e(say("email.openInTeams"))}</p></td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #e0e0e0;font-size:12px;line-height:18px;color:#605e5c">
<p style="margin:0 0 6px">${e(footerWhy)}</p>
<p style="margin:0 0 6px">${e(footerEmail)}</p>
<p style="margin:0 0 6px">${e(footerChange)} <a href="${e(settingsLink)}" style="color:#5b5fc7">${e(say("email.footer.settingsLink"))}</a></p>
<p style="margin:0">${e(automatic)}</p></td></tr>
</table></td></tr></table></body></html>`;
  return { subject, html, text, link, settingsLink };
}

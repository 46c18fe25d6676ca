/** A notification's facts and delivery statuses in words: values in, values out. */
import type { NotificationView } from "@cc/common";
import type { I18n, MessageKey } from "../../i18n";
import { capitalise } from "../../money";

/** A delivery status in words; why it did not reach them comes as a reason code, worded by deliveryWords (the raw answer stays in the API's logs). */
export const statusLabel = (status: string, t: I18n["t"], has: I18n["has"]) => (has(`delivery.${status}`) ? t(`delivery.${status}` as MessageKey) : t("delivery.other"));

/** The event's own facts in words: amount, card, balance after, who, why it failed. */
export function notificationDetails(n: NotificationView, i18n: I18n, money: (micros: number, currency: string) => string): string[] {
  const { t, has } = i18n;
  const d = n.data as Record<string, unknown>;
  const currency = typeof d.currency === "string" ? d.currency : "USD";
  const out: string[] = [];
  if (typeof d.amountMicros === "number") out.push(t("detailAmount", { amount: money(d.amountMicros, currency) }));
  const card = d.card as { brand?: string; last4?: string } | undefined;
  if (card?.last4) out.push(`${capitalise(card.brand ?? "")} •••• ${card.last4}`);
  else if (typeof d.last4 === "string") out.push(`•••• ${d.last4}`);
  const after = typeof d.balanceAfterMicros === "number" ? d.balanceAfterMicros : typeof d.balanceMicros === "number" ? d.balanceMicros : undefined;
  if (after !== undefined) out.push(t("balanceAfterAmount", { amount: money(after, currency) }));
  if (typeof d.by === "string") out.push(t("byWho", { who: d.by }));
  if (typeof d.reason === "string")
    out.push(
      has(`failure_${d.reason}`) ? t(`failure_${d.reason}` as MessageKey) : has(`pauseReason.${d.reason}`) ? t(`pauseReason.${d.reason}` as MessageKey) : t("pauseReason.other"),
    );
  return out;
}

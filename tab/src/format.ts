/** Display helpers. Amounts are always formatted from micros by @cc/common, never via floats. */
import { formatMicros, formatMoney } from "@cc/common";

/** A timestamp the API sent as ISO 8601, in the viewer's locale. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** formatMoney when the currency is known; the plain decimal otherwise (never guess a currency). */
export function formatAmount(micros: number, currency: string | null | undefined): string {
  return currency ? formatMoney(micros, currency) : formatMicros(micros);
}

import { formatMicros, formatMoney } from "@cc/common";
/** Display helpers for timestamps the API sends as ISO 8601 strings. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** formatMoney when the currency is known; the plain decimal otherwise (never guess a currency). */
export function formatAmount(micros: number, currency: string | null | undefined): string {
  return currency ? formatMoney(micros, currency) : formatMicros(micros);
}

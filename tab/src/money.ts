/** Money on screen, in the user's locale: whole cents, or full precision for per-minute rates. */
import { formatMoneyLocale } from "@cc/common";
import { useI18n } from "./i18n";

export function useMoney() {
  const { locale } = useI18n();
  return {
    money: (micros: number, currency: string) => formatMoneyLocale(micros, currency, locale),
    rate: (micros: number, currency: string) => formatMoneyLocale(micros, currency, locale, true),
  };
}

export function capitalise(word: string): string {
  const known: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover" };
  return known[word.toLowerCase()] ?? word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * An API refusal in words for the person in front of the tab: never a status code, a code name or
 * micros. Known codes get our own sentence (with amounts in the account currency); otherwise the
 * API's `detail` (which the API writes for people, in the Accept-Language we send).
 */
import type { ApiError } from "./api/client";
import type { I18n, MessageKey } from "./i18n";

export interface Described {
  text: string;
  /** Worth trying again as is (network, server, throttling). */
  retryable: boolean;
}

/** Codes a form places next to a field instead of in a banner. */
export const FIELD_CODES: Record<string, string> = {
  below_minimum: "amountMicros",
  above_maximum: "amountMicros",
  expired_card: "token",
  duplicate_payment_method: "token",
};

export function describeError(error: ApiError, i18n: I18n, vars: Record<string, string> = {}): Described {
  const { t } = i18n;
  if (error.status === 0) return { text: t("errNetwork"), retryable: true };
  if (error.status === 429) {
    const seconds = error.retryAfterSeconds;
    return { text: seconds ? t("errThrottled", { seconds }) : t("errThrottledFinal"), retryable: true };
  }
  if (error.status >= 500) return { text: t("errServer"), retryable: true };
  const code = error.code;
  const key = `code_${code}` as MessageKey;
  if (code && hasKey(i18n, key) && (!needsVars(code) || vars[varOf(code)])) return { text: t(key, vars), retryable: false };
  const detail = error.problem.detail ?? error.problem.errors?.[0]?.message;
  if (detail && !/micros|\b[a-z]+_[a-z_]+\b/.test(detail)) return { text: sentence(detail), retryable: false };
  if (error.status === 403) return { text: t("errForbidden"), retryable: false };
  if (error.status === 404) return { text: t("errNotFound"), retryable: false };
  return { text: t("errGeneric"), retryable: false };
}

function hasKey(i18n: I18n, key: MessageKey): boolean {
  return i18n.has(key);
}

function needsVars(code: string): boolean {
  return code === "below_minimum" || code === "above_maximum";
}

function varOf(code: string): string {
  return code === "below_minimum" ? "min" : "max";
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The field an error belongs to, if any: by `errors[].path` or by a known code. */
export function fieldOf(error: ApiError | undefined): string | undefined {
  if (!error) return undefined;
  const path = error.problem.errors?.[0]?.path;
  if (path)
    return path
      .split(/[./[\]]+/)
      .filter(Boolean)
      .pop();
  return error.code ? FIELD_CODES[error.code] : undefined;
}

/**
 * Why a delivery did not reach its recipient, as a code (DeliveryReasonCode, common/src/api.ts):
 * the API shows codes, the tab words them with their fix; the raw answer of Teams or Graph stays
 * in the record (for support) and the logs. Records and outbox lines written before codes carry
 * only the raw text: their code is read from it here. Pure: no I/O.
 */
import type { DeliveryChannel, DeliveryReasonCode, DeliveryStatus } from "@cc/common";

/** A delivery line as stored: lines written before reason codes carry the raw text (`reason`) instead. */
export type StoredLine<T> = T & { reason?: string };

/** What a reason code is read from. */
export interface ReasonedLine {
  channel?: DeliveryChannel | null;
  status: DeliveryStatus;
  reasonCode?: DeliveryReasonCode;
  reason?: string;
}

/** The reason code of a delivery line: the one written with it, or, on a line written before codes, read from its raw text. */
export function reasonCodeOf(line: ReasonedLine): DeliveryReasonCode | undefined {
  if (line.status === "sent") return undefined;
  if (line.reasonCode) return line.reasonCode;
  const text = line.reason ?? "";
  if (!text || text === "sending") return line.status === "failed" ? "failed" : undefined;
  if (/app_install_refused/.test(text)) return "app_install_refused";
  if (/MessageWritesBlocked|ConversationBlockedByUser|does not accept messages/.test(text)) return "blocked";
  if (line.status === "not_installed") return "not_installed";
  if (/no sender mailbox/.test(text)) return "no_sender_mailbox";
  if (/may not send from/.test(text)) return "mailbox_forbidden";
  if (/not confirmed|outcome unknown/.test(text)) return "unconfirmed";
  if (line.status === "pending" && /^429\b|not accepted yet|Throttl|TooManyRequests/i.test(text)) return "throttled";
  if (line.channel === "activity_feed" && /403|Forbidden/i.test(text)) return "forbidden";
  // A transient failure still being retried has no reason yet.
  return line.status === "failed" ? "failed" : undefined;
}

/** A line's reason as the API shows it: a code, never the raw text (that stays in the record and the logs). */
export function codeOf(line: ReasonedLine): { reasonCode?: DeliveryReasonCode } {
  const reasonCode = reasonCodeOf(line);
  return reasonCode ? { reasonCode } : {};
}

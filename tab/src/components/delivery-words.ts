/**
 * A delivery line (a recipient or channel of a notification, an admin the overview's warning says
 * was not reached) in the reader's words: the channel, and why it did not reach them with the fix
 * (the API sends a reason code; the tab catalog's `reach.reason.*` words it). A code this build
 * has no words for (a newer server) reads as the line's status.
 */
import type { I18n, MessageKey } from "../i18n";

export interface DeliveryLine {
  channel?: string | null;
  status: string;
  reasonCode?: string;
}

export function deliveryWords(line: DeliveryLine, { t, has }: Pick<I18n, "t" | "has">): { channel: string; why: string } {
  const channelKey = `reach.channel.${line.channel ?? "teams_chat"}`;
  const channel = has(channelKey) ? t(channelKey as MessageKey) : (line.channel ?? "");
  const reasonKey = `reach.reason.${line.reasonCode ?? ""}`;
  const statusKey = `delivery.${line.status}`;
  const why = line.reasonCode && has(reasonKey) ? t(reasonKey as MessageKey) : has(statusKey) ? t(statusKey as MessageKey) : t("delivery.other");
  return { channel, why };
}

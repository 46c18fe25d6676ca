/**
 * Nobody told is a problem to show: an event of an urgent kind whose delivery is finished and
 * that reached no admin by any channel (no chat card, no channel card, no feed item, no e-mail),
 * or had nobody to reach. Pure: the overview's reach status (unreached.ts) and check-ledger's delivery invariant
 * (reconciliation/invariants.ts) judge with the same rule.
 */
import { codeOf, type ReasonedLine, type StoredLine } from "./reason-code-rules.js";
import { URGENT_KINDS, type DeliveryChannel, type NotificationChannelView, type NotificationKind, type NotificationRecipientView, type UnreachedEventView } from "@cc/common";

export interface DeliveredEvent {
  id: string;
  kind: NotificationKind;
  at: string;
  deliveredAt: string | null;
  recipients?: StoredLine<NotificationRecipientView>[];
  channels?: StoredLine<NotificationChannelView>[];
}

export function reachedNobody(event: DeliveredEvent): boolean {
  if (!URGENT_KINDS.includes(event.kind) || !event.deliveredAt) return false;
  return ![...(event.recipients ?? []), ...(event.channels ?? [])].some((r) => r.status === "sent");
}

export function unreachedView(event: DeliveredEvent): UnreachedEventView {
  const tried = [
    ...(event.recipients ?? []).map((r) => triedLine(r.upn, { ...r, channel: r.channel ?? "teams_chat" })),
    ...(event.channels ?? []).map((c) => triedLine(c.name || c.channelId, { ...c, channel: "teams_channel" })),
  ];
  return { eventId: event.id, kind: event.kind, at: event.at, tried };
}

/** One admin or channel tried: the channel, the status and why, as a code (lines stored before codes carry text, read here). */
export function triedLine(upn: string, line: ReasonedLine & { channel: DeliveryChannel }): UnreachedEventView["tried"][number] {
  return { upn, channel: line.channel, status: line.status, ...codeOf(line) };
}

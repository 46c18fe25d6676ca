/**
 * After an admin acted on one copy of a card: replace every copy that was sent (chats and
 * channels), so each says who did what and nobody acts twice.
 */
import { isWholeReference, type ConversationTarget, type ProactiveMessenger } from "@cc/bot";
import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import pLimit from "p-limit";
import type { OutboxEvent } from "./outbox.js";
import type { Pacer } from "./pacing.js";
import { cardMessage } from "./card-message.js";
import { channelOf, deliveriesOf } from "./delivery-record.js";

export class UpdateCardCopies {
  constructor(
    private readonly deliveries: Container,
    private readonly messenger: ProactiveMessenger,
    private readonly pacer: Pacer,
    private readonly logger: Logger,
    private readonly tabUrl: string,
  ) {}

  /** The number of copies replaced. */
  async call(event: OutboxEvent): Promise<number> {
    const sent = (await deliveriesOf(this.deliveries, event.tenantId, event.id)).filter(
      (d) => d.status === "sent" && d.activityId && (channelOf(d) === "teams_chat" || channelOf(d) === "teams_channel"),
    );
    const copies = sent.filter((d) => isWholeReference(d.reference));
    // A card sent before whole references has none to update it through: it stays as it was.
    if (copies.length < sent.length)
      this.logger.warn({ eventId: event.id, skipped: sent.length - copies.length }, "card copies sent before whole conversation references are not updated");
    let updated = 0;
    const limit = pLimit(8);
    await Promise.all(
      copies.map((copy) =>
        limit(async () => {
          const target: ConversationTarget = { tenantId: event.tenantId, reference: copy.reference! };
          try {
            await this.pacer.paced(event.tenantId, target.reference.conversation.id, () =>
              this.messenger.update(target, copy.activityId ?? "", cardMessage(event, copy.locale, this.tabUrl, copy.recipient.kind === "channel" ? [] : undefined)),
            );
            updated++;
          } catch (err) {
            this.logger.warn({ err, eventId: event.id, deliveryId: copy.id }, "updating a card copy failed");
          }
        }),
      ),
    );
    return updated;
  }
}

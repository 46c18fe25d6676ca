/**
 * Deliver an event's card to one admin channel of a team the app is installed in (channel
 * `teams_channel`). A 403 or 404 on the send means the app left the team: the installation is
 * removed and the channel is `not_installed`.
 */
import { localeOf, type ConnectorError, type ConversationTarget, type ProactiveMessenger } from "@cc/bot";
import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import { readDoc } from "../store/cosmos.js";
import { storeId } from "../shared/store-ids.js";
import type { Clock } from "../shared/clock.js";
import type { Installations } from "./installations.js";
import type { OutboxEvent } from "./outbox.js";
import type { Pacer } from "./pacing.js";
import { cardMessage } from "./card-message.js";
import { attempt, isGone, TERMINAL, type DeliveryDoc, type RetryOptions } from "./delivery-record.js";

export interface AdminChannel {
  teamId: string;
  channelId: string;
  name: string;
}

export class DeliverToChannel {
  constructor(
    private readonly deliveries: Container,
    private readonly installations: Installations,
    private readonly messenger: ProactiveMessenger,
    private readonly pacer: Pacer,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: RetryOptions & { tabUrl: string },
  ) {}

  async call(event: OutboxEvent, channel: AdminChannel, refreshUserIds: string[]): Promise<DeliveryDoc> {
    const conversationId = channel.channelId;
    const id = storeId(`delivery:${event.id}:conv:${conversationId}`); // a channel id an admin typed
    const [existing, installation] = await Promise.all([
      readDoc<DeliveryDoc>(this.deliveries, event.tenantId, id),
      this.installations.byConversation(event.tenantId, conversationId),
    ]);
    if (existing && TERMINAL.includes(existing.status)) return existing;
    const locale = localeOf(installation?.locale);
    const base: DeliveryDoc = {
      id,
      tenantId: event.tenantId,
      type: "delivery",
      eventId: event.id,
      recipient: { kind: "channel", conversationId, teamId: channel.teamId, channelId: channel.channelId, name: channel.name },
      channel: "teams_channel",
      status: "pending",
      attempts: (existing?.attempts ?? 0) + 1,
      locale,
      updatedAt: this.clock.now().toISOString(),
    };
    const result = await attempt(
      base,
      async () => {
        if (!installation) return { status: "not_installed", reasonCode: "not_installed", reason: "the app is not installed in this channel's team" };
        const target: ConversationTarget = { tenantId: event.tenantId, reference: installation.reference };
        try {
          const { activityId } = await this.pacer.paced(event.tenantId, conversationId, () =>
            this.messenger.send(target, cardMessage(event, locale, this.options.tabUrl, refreshUserIds)),
          );
          return { status: "sent", activityId, conversationId, serviceUrl: installation.reference.serviceUrl, reference: installation.reference };
        } catch (error) {
          if (isGone(error)) {
            await this.installations.remove(event.tenantId, installation.id);
            return { status: "not_installed", reasonCode: "not_installed", reason: `${(error as ConnectorError).code}: the app was removed from this team` };
          }
          throw error;
        }
      },
      this.options,
      this.clock,
      this.logger,
    );
    await this.deliveries.items.upsert(result);
    return result;
  }
}

/**
 * Deliver an event's card to one admin in their 1:1 chat with the bot (channel `teams_chat`).
 *
 * Continue their personal conversation when there is one; otherwise install the app for them
 * through Graph (409 = it already is) and create the 1:1 conversation; a refused install is
 * `not_installed`. A 403 or 404 on a send removes the installation and the user is reached afresh.
 * Teams' limits: 429 waits Retry-After; 412, 502, 504 and network errors are retried with back-off
 * (delivery-record.ts); sends are paced per conversation and per tenant (pacing.ts).
 */
import { localeOf, type ConnectorError, type ConversationRef, type ConversationTarget, type NewChatVia, type ProactiveMessenger } from "@cc/bot";
import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import { readDoc } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { RoleMember, RoleMembersReader } from "../directory/role-members.js";
import type { Installations } from "./installations.js";
import type { OutboxEvent } from "./outbox.js";
import type { Pacer } from "./pacing.js";
import { cardMessage } from "./card-message.js";
import { attempt, isGone, pendingToUser, TERMINAL, type DeliveryDoc, type RetryOptions } from "./delivery-record.js";

export interface DeliverToUserOptions extends RetryOptions {
  catalogAppId: string;
  defaultNewChat: NewChatVia;
  tabUrl: string;
}

export class DeliverToUser {
  constructor(
    private readonly deliveries: Container,
    private readonly installations: Installations,
    private readonly roleMembers: RoleMembersReader,
    private readonly messenger: ProactiveMessenger,
    private readonly pacer: Pacer,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: DeliverToUserOptions,
  ) {}

  async call(event: OutboxEvent, user: RoleMember): Promise<DeliveryDoc> {
    const id = `delivery:${event.id}:${user.id}`;
    const [existing, stored] = await Promise.all([readDoc<DeliveryDoc>(this.deliveries, event.tenantId, id), this.installations.personal(event.tenantId, user.id)]);
    if (existing && TERMINAL.includes(existing.status)) return existing;
    let installation = stored;
    const locale = localeOf(installation?.locale ?? user.preferredLanguage);
    const base = pendingToUser(id, event, user, "teams_chat", { attempts: (existing?.attempts ?? 0) + 1, locale, updatedAt: this.clock.now().toISOString() });
    const message = cardMessage(event, locale, this.options.tabUrl);
    /** Why the stored chat could not be used (a 403/404 on a send), told with the final outcome. */
    let gone = "";
    const result = await attempt(
      base,
      async () => {
        if (installation) {
          const target: ConversationTarget = { tenantId: event.tenantId, reference: installation.reference };
          try {
            const { activityId } = await this.pacer.paced(event.tenantId, installation.conversationId, () => this.messenger.send(target, message));
            return { status: "sent", activityId, conversationId: installation.conversationId, serviceUrl: installation.reference.serviceUrl, reference: installation.reference };
          } catch (error) {
            if (!isGone(error)) throw error;
            // The app left this chat (or the chat is gone): forget it and reach the user afresh below.
            gone = `${(error as ConnectorError).code}: the app was removed from this chat`;
            await this.installations.remove(event.tenantId, installation.id);
            installation = undefined;
          }
        }
        // Installed for the user (409 from Graph) → open the 1:1 chat; not installed → install, then open it.
        const install = await this.roleMembers.installApp(event.tenantId, user.id, this.options.catalogAppId);
        if (install.outcome === "refused")
          return { status: "not_installed", reasonCode: "app_install_refused", reason: [gone, install.reason ?? "app_install_refused"].filter(Boolean).join("; ") };
        const via = (await this.installations.newChatVia(event.tenantId)) ?? this.options.defaultNewChat;
        let created: { reference: ConversationRef; activityId: string };
        try {
          created = await this.pacer.paced(event.tenantId, `new:${user.id}`, () => this.messenger.createPersonal(via, event.tenantId, user.id, message));
        } catch (error) {
          // The user blocked the bot: a new chat is refused too. Stop trying this recipient.
          if (isGone(error)) return { status: "not_installed", reasonCode: "blocked", reason: `${(error as ConnectorError).code}: the user does not accept messages from the app` };
          throw error;
        }
        const { reference } = created;
        await this.installations.save({
          tenantId: event.tenantId,
          scope: "personal",
          userId: user.id,
          conversationId: reference.conversation.id,
          serviceUrl: reference.serviceUrl,
          locale: user.preferredLanguage,
          reference,
        });
        return { status: "sent", activityId: created.activityId, conversationId: reference.conversation.id, serviceUrl: reference.serviceUrl, reference };
      },
      this.options,
      this.clock,
      this.logger,
    );
    await this.deliveries.items.upsert(result);
    return result;
  }
}

/**
 * Deliver an event by e-mail to an admin the Teams path could not reach (not installable, blocked,
 * 403, or still failing after the last round): channel `email`, sent once.
 *
 * Once: the record `delivery:<event>:<user>:email` is created (409 = someone already has it)
 * before the mail leaves, and says `sending` until Graph accepted it. A later round finding it
 * terminal sends nothing; finding it still `sending` (the process stopped, or Graph's answer was
 * lost: the mail may have left) it does not send again either, and records that the outcome is
 * unknown. Only answers that mean "not accepted" (429 and 503 after the client's own retries)
 * leave the record pending for the next round.
 */
import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import type { Locale } from "@cc/bot";
import { createDoc, readDoc } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { RoleMember } from "../directory/role-members.js";
import type { OutboxEvent } from "./outbox.js";
import type { MailSender } from "./graph-mail.js";
import { renderEmail, type EmailContext } from "./email-message.js";
import { messageOf, pendingToUser, statusOf, TERMINAL, type DeliveryDoc } from "./delivery-record.js";
import { reasonCodeOf } from "./reason-code-rules.js";

export interface DeliverByEmailOptions {
  /** The mailbox mail is sent from (NOTIFY_SENDER_MAILBOX); unset = no e-mail, recorded as such. */
  senderMailbox: string | undefined;
  tabUrl: string;
  maxAttempts?: number;
}

const SENDING = "sending";
/** Answers after which the mail certainly did not leave. */
const NOT_ACCEPTED = new Set([429, 503]);

export class DeliverByEmail {
  constructor(
    private readonly deliveries: Container,
    private readonly mail: MailSender,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: DeliverByEmailOptions,
  ) {}

  /** `teams`: the admin's teams_chat record, which says why Teams did not reach them. */
  async call(event: OutboxEvent, user: RoleMember, teams: DeliveryDoc): Promise<DeliveryDoc> {
    const id = `delivery:${event.id}:${user.id}:email`;
    const now = () => this.clock.now().toISOString();
    const base = pendingToUser(id, event, user, "email", { reason: SENDING, attempts: 1, locale: teams.locale, updatedAt: now() });
    const claimed = await createDoc(this.deliveries, base);
    let record = base;
    if (!claimed.created) {
      const existing = await readDoc<DeliveryDoc>(this.deliveries, event.tenantId, id);
      if (!existing || TERMINAL.includes(existing.status)) return existing ?? base;
      if (existing.reason === SENDING) {
        // A try whose outcome nobody recorded: the mail may have left. Never a second one.
        const unknown: DeliveryDoc = {
          ...existing,
          status: "failed",
          reasonCode: "unconfirmed",
          reason: "an earlier try was not confirmed; not sent again so the admin never gets it twice",
          updatedAt: now(),
        };
        await this.deliveries.items.upsert(unknown);
        return unknown;
      }
      record = { ...existing, reasonCode: undefined, reason: SENDING, attempts: existing.attempts + 1, updatedAt: now() };
      await this.deliveries.items.upsert(record);
    }
    const sender = this.options.senderMailbox;
    if (!sender) return this.save({ ...record, status: "failed", reasonCode: "no_sender_mailbox", reason: "no sender mailbox is configured (NOTIFY_SENDER_MAILBOX)" });
    try {
      const org = await this.mail.organizationName(event.tenantId).catch(() => event.tenantId);
      const ctx: EmailContext = { locale: teams.locale as Locale, org, roleId: user.roleIds?.[0] ?? null, whyEmail: whyOf(teams), tabUrl: this.options.tabUrl };
      const message = renderEmail(event, ctx);
      await this.mail.send(event.tenantId, {
        from: sender,
        to: { address: user.mail ?? user.upn, name: user.displayName },
        subject: message.subject,
        html: message.html,
        text: message.text,
        deliveryId: id,
        lang: teams.locale,
      });
      return this.save({ ...record, status: "sent", reasonCode: undefined, reason: `Teams could not reach them: ${teams.reason ?? teams.status}` });
    } catch (error) {
      const status = statusOf(error);
      this.logger.warn({ err: error, deliveryId: id, status }, "an e-mail notification was not sent");
      if (status !== undefined && NOT_ACCEPTED.has(status) && record.attempts < (this.options.maxAttempts ?? 5))
        return this.save({ ...record, status: "pending", reasonCode: "throttled", reason: `not accepted yet: ${messageOf(error)}` });
      if (status !== undefined && status >= 400 && status < 500)
        return this.save({
          ...record,
          status: "failed",
          reasonCode: status === 403 ? "mailbox_forbidden" : "failed",
          reason: status === 403 ? `the app may not send from ${sender}: ${messageOf(error)}` : messageOf(error),
        });
      // A 5xx or a lost answer: the mail may have left. Recorded as failed with an unknown outcome, never sent again.
      return this.save({ ...record, status: "failed", reasonCode: "unconfirmed", reason: `outcome unknown, not sent again: ${messageOf(error)}` });
    }
  }

  private async save(doc: DeliveryDoc): Promise<DeliveryDoc> {
    const saved = { ...doc, updatedAt: this.clock.now().toISOString() };
    await this.deliveries.items.upsert(saved);
    return saved;
  }
}

function whyOf(teams: DeliveryDoc): EmailContext["whyEmail"] {
  if (teams.status === "failed") return "failed";
  if (reasonCodeOf(teams) === "blocked") return "blocked";
  if (teams.status === "not_installed") return "not_installed";
  return "unknown";
}

/**
 * E-mail through Microsoft Graph: `POST /users/{sender}/sendMail` (application permission
 * Mail.Send, scoped with Exchange RBAC for Applications to the sender mailbox). Graph's JSON
 * message has one body (HTML or text), so the message goes in MIME format (Content-Type
 * text/plain, the RFC 5322 message base64-encoded, built with mimetext): a multipart/alternative
 * with a plain-text and an HTML part, as mail clients expect. Graph answers 202 with no body; the
 * client's retry middleware honours 429/503/504 Retry-After before an error reaches the caller.
 */
import { createMimeMessage } from "mimetext";
import type { GraphClientFactory } from "../directory/graph-directory.js";

export interface OutgoingMail {
  from: string;
  to: { address: string; name?: string };
  subject: string;
  html: string;
  text: string;
  /** Our delivery record id, carried as a header for whoever reads the message source. */
  deliveryId: string;
  lang: string;
}

export interface MailSender {
  send(tenantId: string, mail: OutgoingMail): Promise<void>;
  /** The organisation's display name, for the e-mail's words. */
  organizationName(tenantId: string): Promise<string>;
}

export function mimeOf(mail: OutgoingMail): string {
  const message = createMimeMessage();
  message.setSender({ addr: mail.from });
  message.setRecipient(mail.to.name ? { addr: mail.to.address, name: mail.to.name } : mail.to.address);
  message.setSubject(mail.subject);
  message.setHeader("X-CC-Delivery-Id", mail.deliveryId);
  message.setHeader("Content-Language", mail.lang);
  message.addMessage({ contentType: "text/plain", data: mail.text });
  message.addMessage({ contentType: "text/html", data: mail.html });
  return message.asRaw();
}

export class GraphMail implements MailSender {
  private readonly orgNames = new Map<string, Promise<string>>();

  constructor(private readonly clientFor: GraphClientFactory) {}

  async send(tenantId: string, mail: OutgoingMail): Promise<void> {
    const mime = Buffer.from(mimeOf(mail), "utf8").toString("base64");
    await this.clientFor(tenantId)
      .api(`/users/${encodeURIComponent(mail.from)}/sendMail`)
      .header("Content-Type", "text/plain")
      .post(mime);
  }

  organizationName(tenantId: string): Promise<string> {
    let name = this.orgNames.get(tenantId);
    if (!name) {
      name = this.clientFor(tenantId)
        .api("/organization?$select=displayName")
        .get()
        .then((answer: { value?: { displayName?: string }[] }) => answer.value?.[0]?.displayName ?? tenantId);
      name.catch(() => this.orgNames.delete(tenantId));
      this.orgNames.set(tenantId, name);
    }
    return name;
  }
}

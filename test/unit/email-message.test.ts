/** The notification e-mail: the card's facts in the reader's language, safe HTML, a plain-text twin, deep links. */
import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, type NotificationEvent } from "@cc/common";
import { sampleEvent } from "../support/notification-events.js";
import { renderEmail, tabDeepLink, type EmailContext } from "../../api/src/notifications/email-message.js";
import { mimeOf } from "../../api/src/notifications/graph-mail.js";
import PostalMime from "postal-mime";

const TAB = "https://teams.microsoft.com/l/entity/app-id/credits";
const ctx = (locale: "en" | "fr", extra: Partial<EmailContext> = {}): EmailContext => ({
  locale,
  org: "Contoso",
  roleId: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  whyEmail: "not_installed",
  tabUrl: TAB,
  ...extra,
});
const failed: NotificationEvent = {
  kind: "recharge_failed",
  data: { amountMicros: 50_004_999, currency: "USD", reason: "expired_card", willRetryAt: null, balanceMicros: 10_000_000, paymentMethod: "Visa •••• 0069" },
};

describe("the notification e-mail", () => {
  it("says a failed recharge's facts in English: the amount to the cent, the reason in words, what stops at zero, the role and why e-mail", () => {
    const mail = renderEmail(failed, ctx("en"));
    expect(mail.subject).toBe("Auto-recharge failed — Contoso");
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain("$50.00");
      expect(part).not.toContain("50.004999");
      expect(part).toContain("The card has expired.");
      expect(part).toContain("No automatic retry");
      expect(part).toContain("At zero these stop");
      expect(part).toContain("User Administrator");
      expect(part).toContain("the app could not be installed for you");
    }
  });

  it("says the same in French, with French money and words", () => {
    const mail = renderEmail(failed, ctx("fr"));
    expect(mail.subject).toBe("La recharge automatique a échoué — Contoso");
    expect(mail.text).toContain("50,00\u00a0$US");
    expect(mail.text).toContain("La carte a expiré.");
    expect(mail.text).toContain("Administrateur d’utilisateurs".slice(0, 14));
    expect(mail.html).toContain('lang="fr"');
  });

  it("links the tab's page in Teams (a deep link with the sub-page) and the notification settings", () => {
    const mail = renderEmail(failed, ctx("en"));
    expect(mail.link).toBe(tabDeepLink(TAB, "overview"));
    expect(decodeURIComponent(mail.link.split("context=")[1])).toBe('{"subEntityId":"overview"}');
    expect(mail.html).toContain(`href="${mail.link.replace(/&/g, "&amp;")}"`);
    expect(mail.text).toContain(mail.settingsLink);
  });

  it("escapes what it did not write (an organisation's name) in HTML and keeps the text part plain", () => {
    const mail = renderEmail(failed, ctx("en", { org: `<img src=x onerror="alert(1)">` }));
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain("&lt;img");
    expect(mail.text).toContain("<img src=x");
    expect(mail.text).not.toMatch(/<(p|a|table|br)\b/);
  });

  it("every kind renders in both languages with no placeholder or message id left", () => {
    for (const kind of NOTIFICATION_KINDS) {
      for (const locale of ["en", "fr"] as const) {
        const mail = renderEmail(sampleEvent(kind), ctx(locale));
        for (const part of [mail.subject, mail.text]) {
          expect(part, `${kind} ${locale}`).not.toMatch(/\{|\}|email\.|events\.|cards\.|words\./);
        }
      }
    }
  });

  it("words each kind's own facts: a pause's limit, a spike's user or destination, a card's expiry", () => {
    const paused = renderEmail(sampleEvent("recharge_paused"), ctx("en"));
    expect(paused.text).toContain("it reached its limit of 5 recharges in 24 hours.");
    expect(renderEmail(sampleEvent("recharge_paused"), ctx("fr")).text).toContain("elle a atteint sa limite de 5 recharges en 24 heures.");
    const spike = renderEmail(sampleEvent("spend_spike"), ctx("en"));
    expect(spike.text).toContain("User: diego@contoso.example");
    expect(spike.text).toContain("$84.00");
    const byDestination = renderEmail(
      { kind: "spend_spike", data: { upn: null, destinationCountry: "CU", destinationName: "Cuba", amountMicros: 84_004_321, baselineMicros: 6_001_000, currency: "USD" } },
      ctx("fr"),
    );
    expect(byDestination.text).toContain("les appels vers Cuba");
    expect(byDestination.text).toContain("Destination : Cuba");
    expect(renderEmail(sampleEvent("card_expiring"), ctx("en")).text).toContain("December 2026");
    expect(renderEmail(sampleEvent("balance_low"), ctx("fr")).text).toContain("18,75\u00a0€");
  });

  it("goes as MIME multipart/alternative with the text and the HTML part, as Graph's MIME sendMail takes it", async () => {
    const mail = renderEmail(failed, ctx("fr"));
    const raw = mimeOf({
      from: "credits@contoso.example",
      to: { address: "adele@contoso.example", name: "Adele Vance" },
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      deliveryId: "delivery:x:y:email",
      lang: "fr",
    });
    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.text?.trim()).toBe(mail.text.trim());
    expect(parsed.html).toContain("La carte a expiré.");
    expect(parsed.headers.find((h) => h.key === "x-cc-delivery-id")?.value).toBe("delivery:x:y:email");
  });
});

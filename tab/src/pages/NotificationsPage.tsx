import { Body1, Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import { notificationKindName, t as tCatalog, type MessageId as CatalogId, type NotificationView } from "@cc/common";
import { useCallback } from "react";
import { useApi } from "../api/context";
import type { BotMessage } from "../api/credits";
import { LocalGraphPanel } from "../components/LocalGraphPanel";
import { useResource } from "../api/useResource";
import { usePagedList } from "../api/usePagedList";
import { AdaptiveCardView } from "../components/AdaptiveCardView";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { LoadMore } from "../components/LoadMore";
import { ListSkeleton } from "../components/Skeletons";
import { NotificationSettingsPanel } from "../components/NotificationSettingsPanel";
import { Section } from "../components/Section";
import { useI18n, type MessageKey } from "../i18n";
import { capitalise, useMoney } from "../money";

const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
const PAGE_SIZE = 50;

const statusLabel: Record<string, { en: string; fr: string }> = {
  pending: { en: "pending", fr: "en attente" },
  sent: { en: "sent", fr: "envoyée" },
  failed: { en: "failed", fr: "échec" },
  not_installed: { en: "app not installed", fr: "application non installée" },
};

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  messages: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  item: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, padding: `${tokens.spacingVerticalS} 0`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, overflowWrap: "anywhere" },
  recipients: { listStyleType: "none", margin: 0, padding: 0 },
  message: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    maxWidth: "520px",
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
    paddingLeft: tokens.spacingHorizontalM,
  },
});

export function NotificationsPage({ devMode }: { devMode: boolean }) {
  const styles = useStyles();
  return (
    <div className={styles.page}>
      <NotificationList />
      <NotificationSettingsPanel />
      {devMode ? <BotMessagesPanel /> : null}
      {devMode ? <LocalGraphPanel /> : null}
    </div>
  );
}

function NotificationList() {
  const styles = useStyles();
  const api = useApi();
  const i18n = useI18n();
  const { lang, t } = i18n;
  const { money } = useMoney();
  const L = (en: string, fr: string) => (lang === "fr" ? fr : en);
  /** The event's own facts in words: amount, card, balance after, why it failed. */
  const details = (n: NotificationView): string[] => {
    const d = n.data as Record<string, unknown>;
    const currency = typeof d.currency === "string" ? d.currency : "USD";
    const out: string[] = [];
    if (typeof d.amountMicros === "number") out.push(`${L("Amount", "Montant")} ${money(d.amountMicros, currency)}`);
    const card = d.card as { brand?: string; last4?: string } | undefined;
    if (card?.last4) out.push(`${capitalise(card.brand ?? "")} •••• ${card.last4}`);
    else if (typeof d.last4 === "string") out.push(`•••• ${d.last4}`);
    const after = typeof d.balanceAfterMicros === "number" ? d.balanceAfterMicros : typeof d.balanceMicros === "number" ? d.balanceMicros : undefined;
    if (after !== undefined) out.push(`${L("Balance after", "Solde après")} ${money(after, currency)}`);
    if (typeof d.by === "string") out.push(`${L("by", "par")} ${d.by}`);
    if (typeof d.reason === "string") out.push(t(`failure_${d.reason}` as MessageKey) === `failure_${d.reason}` ? d.reason : t(`failure_${d.reason}` as MessageKey));
    return out;
  };
  const fetchPage = useCallback((cursor: string | null) => api.notifications(PAGE_SIZE, cursor), [api]);
  const { items, next, loading, error, load } = usePagedList(fetchPage);

  const refresh = (
    <Button appearance="subtle" onClick={() => void load(null)} disabled={loading} data-testid="refresh-notifications">
      {t("refresh")}
    </Button>
  );

  return (
    <Section title={L("Notifications", "Notifications")} testId="notifications" action={refresh}>
      <ErrorBar error={error} onRetry={() => void load(null)} />
      {items.length === 0 && !loading && !error ? (
        <EmptyState title={L("No notifications yet", "Aucune notification pour l’instant")}>
          {L("Admins are told here when a recharge succeeds or fails and when the balance runs low or out.", "Les administrateurs sont prévenus ici quand une recharge réussit ou échoue et quand le solde baisse ou s’épuise.")}
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <ul className={styles.list} aria-label={L("Notifications", "Notifications")}>
          {items.map((notification) => (
            <li key={notification.id} className={styles.item} data-testid="notification-row" data-kind={notification.kind}>
              <Body1>
                <strong>{notificationKindName(notification.kind, lang)}</strong> · {i18n.formatDateTime(notification.at)}
              </Body1>
              {details(notification).length > 0 ? <Caption1 data-testid="notification-details">{details(notification).join(" · ")}</Caption1> : null}
              <ul className={styles.recipients} aria-label={L("Recipients", "Destinataires")}>
                {notification.recipients.map((recipient) => (
                  <li key={`${recipient.upn}|${recipient.channel ?? ""}`} data-testid="notification-recipient" data-status={recipient.status} data-channel={recipient.channel ?? "teams_chat"}>
                    <Caption1>
                      {recipient.upn} · {tCatalog(lang, `email.channel.${recipient.channel ?? "teams_chat"}` as CatalogId)}: {statusLabel[recipient.status]?.[lang] ?? recipient.status}
                      {recipient.reason ? ` (${recipient.reason})` : ""}
                    </Caption1>
                  </li>
                ))}
              </ul>
              {notification.channels.length > 0 ? <Caption1>{L("Channels", "Canaux")}: {notification.channels.map((c) => `${c.name}: ${statusLabel[c.status]?.[lang] ?? c.status}`).join(", ")}</Caption1> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <LoadMore loading={loading} next={next} count={items.length} onLoad={(cursor) => void load(cursor)} testId="load-more-notifications" />
    </Section>
  );
}

/** Dev only: what the bot sent through the local Bot Connector, rendered as Teams would show it. */
function BotMessagesPanel() {
  const styles = useStyles();
  const api = useApi();
  const { t, lang } = useI18n();
  const L = (en: string, fr: string) => (lang === "fr" ? fr : en);
  const messages = useResource(() => api.botMessages(), [api]);

  const refresh = (
    <Button appearance="subtle" onClick={() => void messages.reload()} disabled={messages.loading} data-testid="refresh-bot-messages">
      {t("refresh")}
    </Button>
  );

  return (
    <Section title={L("Bot messages (local Bot Connector)", "Messages du bot (Bot Connector local)")} testId="bot-messages" action={refresh}>
      {messages.error?.isNotFound ? (
        <EmptyState title={L("No local Bot Connector on this server", "Pas de Bot Connector local sur ce serveur")} testId="bot-messages-unavailable" />
      ) : (
        <ErrorBar error={messages.error} />
      )}
      {messages.loading && !messages.data ? <ListSkeleton rows={3} /> : null}
      {messages.data && messages.data.length === 0 ? <EmptyState title={L("The bot has not sent anything yet", "Le bot n'a encore rien envoyé")} /> : null}
      {messages.data && messages.data.length > 0 ? (
        <div className={styles.messages}>
          {[...messages.data].sort((a, b) => b.at.localeCompare(a.at)).map((message, index) => (
            <BotMessageView key={`${message.at}-${index}`} message={message} />
          ))}
        </div>
      ) : null}
    </Section>
  );
}

function BotMessageView({ message }: { message: BotMessage }) {
  const styles = useStyles();
  const i18n = useI18n();
  const cards = (message.activity.attachments ?? []).filter((a) => a.contentType === ADAPTIVE_CARD);
  return (
    <div className={styles.message} data-testid="bot-message" data-conversation-id={message.conversationId}>
      <Caption1>
        {i18n.formatDateTime(message.at)} · conversation {message.conversationId}
      </Caption1>
      {message.activity.text ? <Body1>{message.activity.text}</Body1> : null}
      {cards.map((card, index) => (
        <AdaptiveCardView key={index} content={card.content} />
      ))}
    </div>
  );
}

import { Body1, Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import type { NotificationView } from "@cc/common";
import type { BotMessage } from "../api/credits";
import { keys, useBotMessages, usePagedQuery } from "../api/queries";
import { LocalGraphPanel } from "../components/LocalGraphPanel";
import { AdaptiveCardView } from "../components/AdaptiveCardView";
import { deliveryWords } from "../components/delivery-words";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { LoadMore } from "../components/LoadMore";
import { ListSkeleton } from "../components/Skeletons";
import { NotificationSettingsPanel } from "../components/NotificationSettingsPanel";
import { Section } from "../components/Section";
import { useI18n, type I18n, type MessageKey } from "../i18n";
import { useDevMode } from "../me";
import { capitalise, useMoney } from "../money";

const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
const PAGE_SIZE = 50;

/** A delivery status in words; why it did not reach them comes as a reason code, worded by deliveryWords (the raw answer stays in the API's logs). */
const statusLabel = (status: string, t: I18n["t"], has: I18n["has"]) => (has(`delivery.${status}`) ? t(`delivery.${status}` as MessageKey) : t("delivery.other"));

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  messages: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  item: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    overflowWrap: "anywhere",
  },
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

export function NotificationsPage() {
  const styles = useStyles();
  const devMode = useDevMode();
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
  const i18n = useI18n();
  const { t, has } = i18n;
  const { money } = useMoney();
  /** The event's own facts in words: amount, card, balance after, why it failed. */
  const details = (n: NotificationView): string[] => {
    const d = n.data as Record<string, unknown>;
    const currency = typeof d.currency === "string" ? d.currency : "USD";
    const out: string[] = [];
    if (typeof d.amountMicros === "number") out.push(t("detailAmount", { amount: money(d.amountMicros, currency) }));
    const card = d.card as { brand?: string; last4?: string } | undefined;
    if (card?.last4) out.push(`${capitalise(card.brand ?? "")} •••• ${card.last4}`);
    else if (typeof d.last4 === "string") out.push(`•••• ${d.last4}`);
    const after = typeof d.balanceAfterMicros === "number" ? d.balanceAfterMicros : typeof d.balanceMicros === "number" ? d.balanceMicros : undefined;
    if (after !== undefined) out.push(t("balanceAfterAmount", { amount: money(after, currency) }));
    if (typeof d.by === "string") out.push(t("byWho", { who: d.by }));
    if (typeof d.reason === "string")
      out.push(
        has(`failure_${d.reason}`) ? t(`failure_${d.reason}` as MessageKey) : has(`pauseReason.${d.reason}`) ? t(`pauseReason.${d.reason}` as MessageKey) : t("pauseReason.other"),
      );
    return out;
  };
  const list = usePagedQuery(keys.notifications, (api, cursor) => api.notifications(PAGE_SIZE, cursor));
  const { items } = list;
  const error = list.error ?? undefined;
  const loading = list.isFetching;

  const refresh = (
    <Button appearance="subtle" onClick={() => void list.refetch()} disabled={loading} data-testid="refresh-notifications">
      {t("refresh")}
    </Button>
  );

  return (
    <Section title={t("navNotifications")} testId="notifications" action={refresh}>
      <ErrorBar error={error} onRetry={() => void list.refetch()} />
      {items.length === 0 && !loading && !error ? <EmptyState title={t("noNotifications")}>{t("noNotificationsHint")}</EmptyState> : null}
      {items.length > 0 ? (
        <ul className={styles.list} aria-label={t("navNotifications")}>
          {items.map((notification) => (
            <li key={notification.id} className={styles.item} data-testid="notification-row" data-kind={notification.kind}>
              <Body1>
                <strong>{i18n.say(`events.kind.${notification.kind}`)}</strong> · {i18n.formatDateTime(notification.at)}
              </Body1>
              {details(notification).length > 0 ? <Caption1 data-testid="notification-details">{details(notification).join(" · ")}</Caption1> : null}
              <ul className={styles.recipients} aria-label={t("recipients")}>
                {notification.recipients.map((recipient) => (
                  <li
                    key={`${recipient.upn}|${recipient.channel ?? ""}`}
                    data-testid="notification-recipient"
                    data-status={recipient.status}
                    data-reason={recipient.reasonCode}
                    data-channel={recipient.channel ?? "teams_chat"}
                  >
                    <Caption1>
                      {t("recipientStatus", { upn: recipient.upn, status: statusLabel(recipient.status, t, has) })} · {deliveryWords(recipient, i18n).channel}
                      {recipient.reasonCode ? ` · ${deliveryWords(recipient, i18n).why}` : null}
                    </Caption1>
                  </li>
                ))}
              </ul>
              {notification.channels.length > 0 ? (
                <Caption1>
                  {t("channelsDelivery", {
                    list: notification.channels
                      .map((c) => t("recipientStatus", { upn: c.name, status: c.reasonCode ? deliveryWords(c, i18n).why : statusLabel(c.status, t, has) }))
                      .join(", "),
                  })}
                </Caption1>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <LoadMore loading={loading} next={list.hasNextPage ? "more" : null} count={items.length} onLoad={() => void list.fetchNextPage()} testId="load-more-notifications" />
    </Section>
  );
}

/** Dev only: what the bot sent through the local Bot Connector, rendered as Teams would show it. */
function BotMessagesPanel() {
  const styles = useStyles();
  const { t } = useI18n();
  const messages = useBotMessages();

  const refresh = (
    <Button appearance="subtle" onClick={() => void messages.refetch()} disabled={messages.isFetching} data-testid="refresh-bot-messages">
      {t("refresh")}
    </Button>
  );

  return (
    <Section title={t("botMessages")} testId="bot-messages" action={refresh}>
      {messages.error?.isNotFound ? <EmptyState title={t("noBotConnector")} testId="bot-messages-unavailable" /> : <ErrorBar error={messages.error ?? undefined} />}
      {messages.isPending ? <ListSkeleton rows={3} /> : null}
      {messages.data && messages.data.length === 0 ? <EmptyState title={t("botSentNothing")} /> : null}
      {messages.data && messages.data.length > 0 ? (
        <div className={styles.messages}>
          {[...messages.data]
            .sort((a, b) => b.at.localeCompare(a.at))
            .map((message, index) => (
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
  const { t } = i18n;
  const cards = (message.activity.attachments ?? []).filter((a) => a.contentType === ADAPTIVE_CARD);
  return (
    <div className={styles.message} data-testid="bot-message" data-conversation-id={message.conversationId}>
      <Caption1>{t("botMessageAt", { at: i18n.formatDateTime(message.at), conversation: message.conversationId })}</Caption1>
      {message.activity.text ? <Body1>{message.activity.text}</Body1> : null}
      {cards.map((card, index) => (
        <AdaptiveCardView key={index} content={card.content} />
      ))}
    </div>
  );
}

import { Body1, Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import type { BotMessage } from "../api/credits";
import { keys, useBotMessages, usePagedQuery } from "../api/queries";
import { LocalGraphPanel } from "../components/LocalGraphPanel";
import { AdaptiveCardView } from "../components/AdaptiveCardView";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { LoadMore } from "../components/LoadMore";
import { ListSkeleton } from "../components/Skeletons";
import { NotificationSettingsPanel } from "../components/NotificationSettingsPanel";
import { Section } from "../components/Section";
import { useI18n } from "../i18n";
import { useDevMode } from "../me";
import { NotificationItem } from "./notifications/NotificationItem";

const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
const PAGE_SIZE = 50;

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  messages: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
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
  const { t } = useI18n();
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
            <NotificationItem key={notification.id} notification={notification} />
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

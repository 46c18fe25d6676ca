import { Badge, Body1, Button, Caption1, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from "@fluentui/react-components";
import type { NotificationKind, NotificationView } from "@cc/common";
import { useCallback } from "react";
import { useApi } from "../api/context";
import type { BotMessage } from "../api/credits";
import { useResource } from "../api/useResource";
import { usePagedList } from "../api/usePagedList";
import { AdaptiveCardView } from "../components/AdaptiveCardView";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { LoadMore } from "../components/LoadMore";
import { Loading } from "../components/Loading";
import { Section } from "../components/Section";
import { formatDateTime } from "../format";

const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
const PAGE_SIZE = 50;

const kindLabel: Record<NotificationKind, string> = {
  recharge_succeeded: "Recharge succeeded",
  recharge_failed: "Recharge failed",
  balance_depleted: "Balance depleted",
  balance_low: "Balance low",
  funds_added: "Funds added",
};

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  messages: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
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
      {devMode ? <BotMessagesPanel /> : null}
    </div>
  );
}

function NotificationList() {
  const api = useApi();
  const fetchPage = useCallback((cursor: string | null) => api.notifications(PAGE_SIZE, cursor), [api]);
  const { items, next, loading, error, load } = usePagedList(fetchPage);

  const refresh = (
    <Button appearance="subtle" onClick={() => void load(null)} disabled={loading} data-testid="refresh-notifications">
      Refresh
    </Button>
  );

  if (error?.isNotFound) {
    return (
      <Section title="Notifications" testId="notifications">
        <EmptyState title="Notifications are not available yet" testId="notifications-unavailable" />
      </Section>
    );
  }

  return (
    <Section title="Notifications" testId="notifications" action={refresh}>
      <ErrorBar error={error} />
      {items.length === 0 && !loading && !error ? (
        <EmptyState title="No notifications yet">Admins are told here when a recharge succeeds or fails and when the balance runs low or out.</EmptyState>
      ) : null}
      {items.length > 0 ? (
        <Table size="small" aria-label="Notifications">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>What</TableHeaderCell>
              <TableHeaderCell>Recipients</TableHeaderCell>
              <TableHeaderCell>Channels</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((notification) => (
              <TableRow key={notification.id} data-testid="notification-row" data-kind={notification.kind}>
                <TableCell>{formatDateTime(notification.at)}</TableCell>
                <TableCell>{kindLabel[notification.kind] ?? notification.kind}</TableCell>
                <TableCell>
                  {notification.recipients.map((recipient) => (
                    <Badge
                      key={recipient.upn}
                      appearance="tint"
                      size="small"
                      color={recipient.status === "sent" ? "success" : recipient.status === "failed" ? "danger" : "informative"}
                      style={{ marginRight: 4 }}
                    >
                      {recipient.upn} · {recipient.status}
                    </Badge>
                  ))}
                </TableCell>
                <TableCell>{notification.channels.map((c) => c.name).join(", ")}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      <LoadMore loading={loading} next={next} onLoad={(cursor) => void load(cursor)} testId="load-more-notifications" />
    </Section>
  );
}

/** Dev only: what the bot sent through the local Bot Connector, rendered as Teams would show it. */
function BotMessagesPanel() {
  const styles = useStyles();
  const api = useApi();
  const messages = useResource(() => api.botMessages(), [api]);

  const refresh = (
    <Button appearance="subtle" onClick={() => void messages.reload()} disabled={messages.loading} data-testid="refresh-bot-messages">
      Refresh
    </Button>
  );

  return (
    <Section title="Bot messages (local Bot Connector)" testId="bot-messages" action={refresh}>
      {messages.error?.isNotFound ? (
        <EmptyState title="No local Bot Connector on this server" testId="bot-messages-unavailable" />
      ) : (
        <ErrorBar error={messages.error} />
      )}
      {messages.loading && !messages.data ? <Loading /> : null}
      {messages.data && messages.data.length === 0 ? <EmptyState title="The bot has not sent anything yet" /> : null}
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
  const cards = (message.activity.attachments ?? []).filter((a) => a.contentType === ADAPTIVE_CARD);
  return (
    <div className={styles.message} data-testid="bot-message" data-conversation-id={message.conversationId}>
      <Caption1>
        {formatDateTime(message.at)} · conversation {message.conversationId}
      </Caption1>
      {message.activity.text ? <Body1>{message.activity.text}</Body1> : null}
      {cards.map((card, index) => (
        <AdaptiveCardView key={index} content={card.content} />
      ))}
    </div>
  );
}

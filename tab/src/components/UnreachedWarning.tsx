/**
 * Nobody told (issue 20): urgent events that reached no admin by any channel, as the API computed
 * them (GET /api/v1/account `unreachedEvents`): which event, who could not be reached on which
 * channel and why, and what to do. Words from the catalog's `email` namespace.
 */
import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { notificationKindName, type MessageId, type UnreachedEventView } from "@cc/common";
import { useI18n } from "../i18n";

const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalXS} 0`, paddingInlineStart: tokens.spacingHorizontalL, overflowWrap: "anywhere" },
  what: { margin: 0 },
});

export function UnreachedWarning({ events }: { events: readonly UnreachedEventView[] | undefined }) {
  const styles = useStyles();
  const { lang, say, formatDateTime } = useI18n();
  if (!events || events.length === 0) return null;
  return (
    <MessageBar intent="error" layout="multiline" data-testid="unreached-warning">
      <MessageBarBody>
        <MessageBarTitle>{say("email.warning.title", { count: events.length })}</MessageBarTitle>
        {events.map((event) => (
          <div key={event.eventId} data-testid="unreached-event">
            <p className={styles.what}>{say("email.warning.event", { kind: notificationKindName(event.kind, lang), at: formatDateTime(event.at) })}</p>
            <ul className={styles.list}>
              {event.tried.length === 0 ? <li>{say("email.warning.triedNone")}</li> : null}
              {event.tried.map((r, i) => (
                <li key={`${r.upn}-${r.channel}-${i}`}>{say("email.warning.tried", { upn: r.upn, channel: say(`email.channel.${r.channel}` as MessageId), why: r.reason ?? r.status })}</li>
              ))}
            </ul>
          </div>
        ))}
        <p className={styles.what}>{say("email.warning.what")}</p>
      </MessageBarBody>
    </MessageBar>
  );
}

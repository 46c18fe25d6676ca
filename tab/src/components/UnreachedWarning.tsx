/**
 * Nobody told (issue 20): urgent events that reached no admin by any channel, as the API computed
 * them (GET /api/v1/account `unreachedEvents`): which event, who could not be reached on which
 * channel and why, and what to do. Words from the catalog's `email` namespace.
 */
import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { notificationKindName, t, type MessageId, type UnreachedEventView } from "@cc/common";
import { useI18n } from "../i18n";

const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalXS} 0`, paddingInlineStart: tokens.spacingHorizontalL, overflowWrap: "anywhere" },
  what: { margin: 0 },
});

export function UnreachedWarning({ events }: { events: readonly UnreachedEventView[] | undefined }) {
  const styles = useStyles();
  const { lang, formatDateTime } = useI18n();
  if (!events || events.length === 0) return null;
  return (
    <MessageBar intent="error" layout="multiline" data-testid="unreached-warning">
      <MessageBarBody>
        <MessageBarTitle>{t(lang, "email.warning.title", { count: events.length })}</MessageBarTitle>
        {events.map((event) => (
          <div key={event.eventId} data-testid="unreached-event">
            <p className={styles.what}>{t(lang, "email.warning.event", { kind: notificationKindName(event.kind, lang), at: formatDateTime(event.at) })}</p>
            <ul className={styles.list}>
              {event.tried.length === 0 ? <li>{t(lang, "email.warning.triedNone")}</li> : null}
              {event.tried.map((r, i) => (
                <li key={`${r.upn}-${r.channel}-${i}`}>{t(lang, "email.warning.tried", { upn: r.upn, channel: t(lang, `email.channel.${r.channel}` as MessageId), why: r.reason ?? r.status })}</li>
              ))}
            </ul>
          </div>
        ))}
        <p className={styles.what}>{t(lang, "email.warning.what")}</p>
      </MessageBarBody>
    </MessageBar>
  );
}

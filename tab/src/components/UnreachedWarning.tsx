/**
 * Nobody told (issue 20): urgent events that reached no admin by any channel, as the API computed
 * them (GET /api/v1/account `unreachedEvents`): which event, who could not be reached on which
 * channel, why in words with its fix (the API sends a reason code), and what to do. Words from the
 * catalog's `tab` namespace (`reach.*`).
 */
import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import type { UnreachedEventView } from "@cc/common";
import { useI18n } from "../i18n";
import { deliveryWords } from "./delivery-words";

const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalXS} 0`, paddingInlineStart: tokens.spacingHorizontalL, overflowWrap: "anywhere" },
  what: { margin: 0 },
});

export function UnreachedWarning({ events }: { events: readonly UnreachedEventView[] | undefined }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  if (!events || events.length === 0) return null;
  return (
    <MessageBar intent="error" layout="multiline" data-testid="unreached-warning">
      <MessageBarBody>
        <MessageBarTitle>{t("reach.title", { count: events.length })}</MessageBarTitle>
        {events.map((event) => (
          <div key={event.eventId} data-testid="unreached-event">
            <p className={styles.what}>{t("reach.event", { kind: i18n.say(`events.kind.${event.kind}`), at: formatDateTime(event.at) })}</p>
            <ul className={styles.list}>
              {event.tried.length === 0 ? <li>{t("reach.triedNone")}</li> : null}
              {event.tried.map((r, i) => (
                <li key={`${r.upn}-${r.channel}-${i}`} data-testid="unreached-tried" data-reason={r.reasonCode}>
                  {t("reach.tried", { upn: r.upn, ...deliveryWords(r, i18n) })}
                </li>
              ))}
            </ul>
          </div>
        ))}
        <p className={styles.what}>{t("reach.what")}</p>
      </MessageBarBody>
    </MessageBar>
  );
}

import { Body1, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import type { NotificationView } from "@cc/common";
import { deliveryWords } from "../../components/delivery-words";
import { useI18n } from "../../i18n";
import { useMoney } from "../../money";
import { notificationDetails, statusLabel } from "./notification-words";

const useStyles = makeStyles({
  item: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    overflowWrap: "anywhere",
  },
  recipients: { listStyleType: "none", margin: 0, padding: 0 },
});

/** One notification: its kind and time, its facts, each recipient's delivery status and the channels it was posted to. */
export function NotificationItem({ notification }: { notification: NotificationView }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t, has } = i18n;
  const { money } = useMoney();
  const details = notificationDetails(notification, i18n, money);
  return (
    <li className={styles.item} data-testid="notification-row" data-kind={notification.kind}>
      <Body1>
        <strong>{i18n.say(`events.kind.${notification.kind}`)}</strong> · {i18n.formatDateTime(notification.at)}
      </Body1>
      {details.length > 0 ? <Caption1 data-testid="notification-details">{details.join(" · ")}</Caption1> : null}
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
  );
}

/**
 * Dev only (the local world): what the local Graph received. Each e-mail as a person reads it
 * (sender, recipient, subject, and the HTML part drawn in a sandboxed frame, the plain-text part
 * beside it), and each activity feed item with its text and the link it opens.
 */
import { Body1, Body1Strong, Button, Caption1, Link, makeStyles, tokens } from "@fluentui/react-components";
import { type LocalFeedItemView, type LocalMailView } from "@cc/common";
import { useGraphOutbox } from "../api/queries";
import { useI18n } from "../i18n";
import { EmptyState } from "./EmptyState";
import { ErrorBar } from "./ErrorBar";
import { Section } from "./Section";

const useStyles = makeStyles({
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, minWidth: 0 },
  mail: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
    minWidth: 0,
    overflowWrap: "anywhere",
  },
  frame: { width: "100%", height: "520px", border: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: "#ffffff" },
  text: { whiteSpace: "pre-wrap", fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, margin: 0 },
});

export function LocalGraphPanel() {
  const styles = useStyles();
  const { t: tabWord, say } = useI18n();
  const outbox = useGraphOutbox();
  const refresh = (
    <Button appearance="subtle" onClick={() => void outbox.refetch()} disabled={outbox.isFetching} data-testid="refresh-graph-outbox">
      {tabWord("refresh")}
    </Button>
  );
  const mails = outbox.data?.mails ?? [];
  const feed = outbox.data?.feedItems ?? [];
  return (
    <>
      <Section title={say("email.localPanel.title")} testId="local-mails" action={refresh}>
        <ErrorBar error={outbox.error ?? undefined} />
        {outbox.data && mails.length === 0 ? <EmptyState title={say("email.localPanel.empty")} /> : null}
        <div className={styles.list}>
          {mails.map((mail, i) => (
            <MailView key={`${mail.at}-${i}`} mail={mail} />
          ))}
        </div>
      </Section>
      <Section title={say("email.localPanel.feedTitle")} testId="local-feed">
        {outbox.data && feed.length === 0 ? <EmptyState title={say("email.localPanel.empty")} /> : null}
        <div className={styles.list}>
          {feed.map((item, i) => (
            <FeedItemView key={`${item.at}-${i}`} item={item} />
          ))}
        </div>
      </Section>
    </>
  );
}

function MailView({ mail }: { mail: LocalMailView }) {
  const styles = useStyles();
  const { say, formatDateTime } = useI18n();
  return (
    <article className={styles.mail} data-testid="local-mail">
      <Caption1>{formatDateTime(mail.at)}</Caption1>
      <Caption1>{say("email.localPanel.from", { from: mail.from })}</Caption1>
      <Caption1>{say("email.localPanel.to", { to: mail.to.join(", ") })}</Caption1>
      <Body1Strong>{mail.subject}</Body1Strong>
      {/* An empty sandbox: the mail's HTML is drawn, nothing in it runs or reaches the tab. */}
      {mail.html ? <iframe className={styles.frame} title={mail.subject} sandbox="" srcDoc={mail.html} data-testid="local-mail-html" /> : null}
      {mail.text ? (
        <details>
          <summary>text/plain</summary>
          <pre className={styles.text}>{mail.text}</pre>
        </details>
      ) : null}
    </article>
  );
}

function FeedItemView({ item }: { item: LocalFeedItemView }) {
  const styles = useStyles();
  const { formatDateTime } = useI18n();
  return (
    <article className={styles.mail} data-testid="local-feed-item" data-chain-id={item.chainId ?? ""}>
      <Caption1>
        {formatDateTime(item.at)} · {item.activityType}
      </Caption1>
      <Body1Strong>{item.text}</Body1Strong>
      <Body1>{item.previewText}</Body1>
      <Link href={item.webUrl} target="_blank" rel="noreferrer">
        {item.webUrl}
      </Link>
    </article>
  );
}

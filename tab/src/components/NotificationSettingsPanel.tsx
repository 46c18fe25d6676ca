/**
 * Which roles are told of which events, and the admin channels that are told too
 * (GET/PUT /api/v1/notification-settings, API.md v1.1). Renders nothing while the server has no
 * such endpoint (404). Who may change it comes from /me (`can.manageNotifications`).
 */
import { Button, Caption1, Checkbox, makeStyles, tokens } from "@fluentui/react-components";
import { DirectoryRole, roleDisplayName, type DirectoryRoleId, type NotificationKind, type NotificationSettings } from "@cc/common";
import { useEffect, useState } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { toApiError, useResource } from "../api/useResource";
import { useI18n } from "../i18n";
import { useMe } from "../me";
import { ErrorBar } from "./ErrorBar";
import { Section } from "./Section";
import { ListSkeleton } from "./Skeletons";

export const KINDS: NotificationKind[] = ["recharge_succeeded", "recharge_failed", "recharge_paused", "balance_low", "balance_depleted", "funds_added", "card_expiring", "spend_spike"];

const MAIN_ROLES: string[] = [DirectoryRole.GlobalAdministrator, DirectoryRole.BillingAdministrator, DirectoryRole.TeamsCommunicationsAdministrator];

const ROLE_FR: Record<string, string> = {
  [DirectoryRole.GlobalAdministrator]: "Administrateur général",
  [DirectoryRole.BillingAdministrator]: "Administrateur de facturation",
  [DirectoryRole.TeamsCommunicationsAdministrator]: "Administrateur des communications Teams",
};

const useStyles = makeStyles({
  kinds: { display: "flex", flexDirection: "column", margin: 0, padding: 0, listStyleType: "none" },
  kind: { border: "none", margin: 0, padding: `${tokens.spacingVerticalS} 0`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, minWidth: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0 },
  roles: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalM },
  channels: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  channel: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap", overflowWrap: "anywhere" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
});

export function NotificationSettingsPanel({ kindName }: { kindName: (kind: string) => string }) {
  const styles = useStyles();
  const api = useApi();
  const { lang, t } = useI18n();
  const me = useMe();
  const L = (en: string, fr: string) => (lang === "fr" ? fr : en);
  const settings = useResource<NotificationSettings | null>(() => api.notificationSettings(), [api]);
  const [draft, setDraft] = useState<NotificationSettings | null>(null);
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const readOnly = !me.can.manageNotifications;
  useEffect(() => setDraft(settings.data ?? null), [settings.data]);

  // No such endpoint on this server yet: the section is not shown at all.
  if (settings.data === null) return null;
  const roleName = (id: string) => (lang === "fr" ? ROLE_FR[id] : undefined) ?? roleDisplayName[id as DirectoryRoleId] ?? id;
  const roles = [...new Set([...MAIN_ROLES, ...Object.values(draft?.kinds ?? {}).flatMap((k) => k?.roles ?? [])])];
  const dirty = draft !== null && JSON.stringify(draft) !== JSON.stringify(settings.data);

  function toggle(kind: NotificationKind, role: string, on: boolean) {
    setSaved(false);
    setDraft((d) => {
      if (!d) return d;
      const current = d.kinds[kind]?.roles ?? [];
      const next = on ? [...new Set([...current, role])] : current.filter((r) => r !== role);
      return { ...d, kinds: { ...d.kinds, [kind]: { roles: next } } };
    });
  }

  async function save() {
    if (!draft) return;
    setError(undefined);
    setSaving(true);
    try {
      settings.set(await api.setNotificationSettings(draft));
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Section title={L("Who is told", "Qui est prévenu")} testId="notification-settings">
      <ErrorBar error={settings.error} onRetry={() => void settings.reload()} />
      {settings.loading && !settings.data ? <ListSkeleton rows={4} /> : null}
      {draft ? (
        <>
          <Caption1>{L("For each event, the admin roles whose holders get a message from the bot.", "Pour chaque événement, les rôles d’administrateur dont les titulaires reçoivent un message du bot.")}</Caption1>
          <div className={styles.kinds}>
            {KINDS.map((kind) => (
              <fieldset key={kind} className={styles.kind} data-testid="notification-setting" data-kind={kind}>
                <legend className={styles.legend}>{kindName(kind)}</legend>
                <div className={styles.roles}>
                  {roles.map((role) => (
                    <Checkbox
                      key={role}
                      label={roleName(role)}
                      checked={draft.kinds[kind]?.roles.includes(role) ?? false}
                      disabled={readOnly}
                      onChange={(_, d) => toggle(kind, role, d.checked === true)}
                    />
                  ))}
                </div>
              </fieldset>
            ))}
          </div>
          <Caption1 as="h3">{L("Admin channels", "Canaux d’administration")}</Caption1>
          {draft.channels.length === 0 ? (
            <Caption1 data-testid="no-channels">{L("No channel yet: add the app to a team's channel and ask the bot to post there.", "Aucun canal : ajoutez l’application au canal d’une équipe et demandez au bot d’y publier.")}</Caption1>
          ) : (
            <ul className={styles.channels}>
              {draft.channels.map((c) => (
                <li key={`${c.teamId}/${c.channelId}`} className={styles.channel} data-testid="notification-channel">
                  <span>{c.name}</span>
                  {!readOnly ? (
                    <Button size="small" appearance="subtle" aria-label={L(`Stop telling ${c.name}`, `Ne plus prévenir ${c.name}`)} onClick={() => setDraft({ ...draft, channels: draft.channels.filter((x) => x !== c) })}>
                      {t("remove")}
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          <ErrorBar error={error} onDismiss={() => setError(undefined)} />
          {readOnly ? (
            <Caption1 data-testid="notification-settings-read-only">{t("needsBilling")}</Caption1>
          ) : (
            <div className={styles.actions}>
              <Button appearance="primary" disabled={saving || !dirty} onClick={() => void save()} data-testid="notification-settings-save">
                {saving ? t("saving") : t("saveSettings")}
              </Button>
              {dirty && !saving ? <Caption1>{t("unsaved")}</Caption1> : null}
              {saved && !dirty ? <span role="status">{t("saved")}</span> : null}
            </div>
          )}
        </>
      ) : null}
    </Section>
  );
}

/**
 * Which roles are told of which events, and the admin channels that are told too
 * (GET/PUT /api/v1/notification-settings, API.md v1.1). Renders nothing while the server has no
 * such endpoint (404). Who may change it comes from /me (`can.manageNotifications`).
 */
import { Body1Strong, Button, Caption1, Dropdown, Option, OptionGroup, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { DirectoryRole, NOTIFICATION_KINDS, NOTIFIED_ROLES, type DirectoryRoleId, type NotificationKind, type NotificationSettings } from "@cc/common";
import { useEffect, useState } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { keys, toApiError, useNotificationSettings } from "../api/queries";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useI18n, type MessageKey } from "../i18n";
import { useMe } from "../me";
import { ErrorBar } from "./ErrorBar";
import { Section } from "./Section";
import { ListSkeleton } from "./Skeletons";
import { SaveBar } from "./SaveBar";
import { QueryView } from "./QueryView";

const MAIN_ROLES: string[] = [DirectoryRole.GlobalAdministrator, DirectoryRole.BillingAdministrator, DirectoryRole.TeamsCommunicationsAdministrator];

/** The 16 notified roles in the groups an admin thinks in, for the role picker. */
const ROLE_GROUPS: { label: MessageKey; roles: DirectoryRoleId[] }[] = [
  { label: "roleGroupBilling", roles: [DirectoryRole.GlobalAdministrator, DirectoryRole.BillingAdministrator] },
  {
    label: "roleGroupTeams",
    roles: [
      DirectoryRole.TeamsAdministrator,
      DirectoryRole.TeamsCommunicationsAdministrator,
      DirectoryRole.TeamsCommunicationsSupportEngineer,
      DirectoryRole.TeamsCommunicationsSupportSpecialist,
      DirectoryRole.TeamsDevicesAdministrator,
      DirectoryRole.SkypeForBusinessAdministrator,
    ],
  },
  {
    label: "roleGroupUsers",
    roles: [DirectoryRole.UserAdministrator, DirectoryRole.LicenseAdministrator, DirectoryRole.AuthenticationAdministrator, DirectoryRole.PrivilegedAuthenticationAdministrator],
  },
  {
    label: "roleGroupSupport",
    roles: [DirectoryRole.HelpdeskAdministrator, DirectoryRole.ServiceSupportAdministrator, DirectoryRole.ApplicationAdministrator, DirectoryRole.CloudDeviceAdministrator],
  },
];

const isEveryRole = (roles: readonly string[]) => NOTIFIED_ROLES.every((r) => roles.includes(r));

const useStyles = makeStyles({
  kinds: { display: "flex", flexDirection: "column", margin: 0, padding: 0, listStyleType: "none" },
  kind: {
    display: "grid",
    gridTemplateColumns: "minmax(10rem, 14rem) minmax(0, 1fr)",
    alignItems: "center",
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
    "@media (max-width: 600px)": { gridTemplateColumns: "minmax(0, 1fr)" },
  },
  choice: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, minWidth: 0 },
  picker: { minWidth: 0, maxWidth: "100%" },
  summary: { color: tokens.colorNeutralForeground2, overflowWrap: "anywhere" },
  channels: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  channel: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap", overflowWrap: "anywhere" },
});

/** One component on purpose: every kind's roles and the channels are one draft, saved at once and compared as one. */
export function NotificationSettingsPanel() {
  const styles = useStyles();
  const api = useApi();
  const { t, say } = useI18n();
  const me = useMe();
  const settings = useNotificationSettings();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<NotificationSettings | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation<NotificationSettings, ApiError, NotificationSettings>({
    mutationFn: (next) => api.setNotificationSettings(next).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: (answered) => {
      queryClient.setQueryData(keys.notificationSettings, answered);
      setSaved(true);
    },
  });
  const readOnly = !me.can.manageNotifications;
  useEffect(() => setDraft(settings.data ?? null), [settings.data]);

  // No such endpoint on this server yet: the section is not shown at all.
  if (settings.data === null) return null;
  const roleName = (id: string) => t(`role.${id}` as MessageKey);
  // Role order is not a change.
  const comparable = (v: NotificationSettings | null | undefined) =>
    v ? JSON.stringify({ kinds: NOTIFICATION_KINDS.map((k) => [...(v.kinds[k]?.roles ?? [])].sort()), channels: v.channels, activityFeed: v.activityFeed !== false }) : "";
  const dirty = draft !== null && comparable(draft) !== comparable(settings.data);

  function setRoles(kind: NotificationKind, roles: string[]) {
    setSaved(false);
    setDraft((d) => (d ? { ...d, kinds: { ...d.kinds, [kind]: { roles } } } : d));
  }

  /** "Every role" on: all 16; off: the three most admins keep, to narrow from. */
  function setEveryRole(kind: NotificationKind, on: boolean) {
    setRoles(kind, on ? [...NOTIFIED_ROLES] : [...MAIN_ROLES]);
  }

  function summary(roles: readonly string[]): string {
    if (roles.length === 0) return t("nobodyTold");
    const names = roles.map(roleName);
    return names.length <= 3 ? names.join(", ") : t("rolesAndMore", { names: names.slice(0, 2).join(", "), count: names.length - 2 });
  }

  return (
    <Section title={t("whoIsTold")} testId="notification-settings">
      <QueryView query={settings} skeleton={<ListSkeleton rows={4} />}>
        {() =>
          draft ? (
            <>
              <Caption1>{t("whoIsToldHint")}</Caption1>
              <div className={styles.kinds}>
                {NOTIFICATION_KINDS.map((kind) => {
                  const chosen = draft.kinds[kind]?.roles ?? [];
                  const every = isEveryRole(chosen);
                  const label = say(`events.kind.${kind}`);
                  return (
                    <div key={kind} className={styles.kind} role="group" aria-label={label} data-testid="notification-setting" data-kind={kind} data-roles={chosen.length}>
                      <Body1Strong>{label}</Body1Strong>
                      <div className={styles.choice}>
                        <Switch
                          label={t("everyNotifiedRole", { count: NOTIFIED_ROLES.length })}
                          checked={every}
                          disabled={readOnly}
                          onChange={(_, d) => setEveryRole(kind, d.checked)}
                          data-testid="notification-every-role"
                        />
                        {every ? null : (
                          <Dropdown
                            className={styles.picker}
                            multiselect
                            disabled={readOnly}
                            aria-label={t("rolesToldOf", { label })}
                            placeholder={t("chooseRoles")}
                            value={summary(chosen)}
                            selectedOptions={chosen}
                            onOptionSelect={(_, d) => setRoles(kind, d.selectedOptions)}
                            data-testid="notification-role-picker"
                          >
                            {ROLE_GROUPS.map((group) => (
                              <OptionGroup key={group.label} label={t(group.label)}>
                                {group.roles.map((role) => (
                                  <Option key={role} value={role}>
                                    {roleName(role)}
                                  </Option>
                                ))}
                              </OptionGroup>
                            ))}
                          </Dropdown>
                        )}
                        {/* Narrowed, the picker shows the roles; the caption names them all only when the picker had to shorten them. */}
                        {every || chosen.length > 3 ? (
                          <Caption1 className={styles.summary} data-testid="notification-roles-summary">
                            {every ? t("everyRoleSummary") : chosen.map(roleName).join(", ")}
                          </Caption1>
                        ) : null}
                      </div>
                    </div>
                  );
                })}
              </div>
              <Caption1 as="h3">{t("adminChannels")}</Caption1>
              {draft.channels.length === 0 ? (
                <Caption1 data-testid="no-channels">{t("noChannels")}</Caption1>
              ) : (
                <ul className={styles.channels}>
                  {draft.channels.map((c) => (
                    <li key={`${c.teamId}/${c.channelId}`} className={styles.channel} data-testid="notification-channel">
                      <span>{c.name}</span>
                      {!readOnly ? (
                        <Button
                          size="small"
                          appearance="subtle"
                          aria-label={t("stopTelling", { name: c.name })}
                          onClick={() => setDraft({ ...draft, channels: draft.channels.filter((x) => x !== c) })}
                        >
                          {t("remove")}
                        </Button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
              <Switch
                checked={draft.activityFeed !== false}
                disabled={readOnly}
                onChange={(_, d) => setDraft({ ...draft, activityFeed: d.checked })}
                label={say("feed.settingLabel")}
                data-testid="activity-feed-switch"
              />
              <Caption1>{say("feed.settingHint")}</Caption1>
              <ErrorBar error={save.error ?? undefined} onDismiss={() => save.reset()} />
              <SaveBar
                testId="notification-settings"
                readOnly={readOnly}
                saving={save.isPending}
                saved={saved}
                dirty={dirty}
                onSave={() => draft && save.mutate(draft)}
                label="saveSettings"
                requireChanges
              />
            </>
          ) : null
        }
      </QueryView>
    </Section>
  );
}

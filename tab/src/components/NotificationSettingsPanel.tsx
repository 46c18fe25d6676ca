/**
 * Which roles are told of which events, the admin channels that are told too, and the low-balance
 * alerts (GET/PUT /api/v1/notification-settings, API.md v1.1 and v1.2). Renders nothing while the
 * server has no such endpoint (404). Who may change it comes from /me (`can.manageNotifications`);
 * the others read it and are told why they cannot change it.
 */
import { Body1Strong, Button, Caption1, Dropdown, Option, OptionGroup, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { DirectoryRole, NOTIFICATION_KINDS, NOTIFIED_ROLES, type DirectoryRoleId, type NotificationKind, type NotificationSettings } from "@cc/common";
import { useI18n, type MessageKey } from "../i18n";
import { useMe } from "../me";
import { ErrorBar } from "./ErrorBar";
import { Section } from "./Section";
import { ListSkeleton } from "./Skeletons";
import { SaveBar } from "./SaveBar";
import { QueryView } from "./QueryView";
import { ThresholdsEditor } from "./alerts/ThresholdsEditor";
import { useSettingsDraft } from "./alerts/useSettingsDraft";
import { TenantTimeZone } from "./alerts/TenantTimeZone";

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

/** Every kind's roles, the channels, the activity feed and the low-balance alerts: one draft, saved at once. */
export function NotificationSettingsPanel() {
  const { t, say } = useI18n();
  const readOnly = !useMe().can.manageNotifications;
  const { settings, draft, rows, currency, read, dirty, errors, saved, save, edit, editRows, submit } = useSettingsDraft();
  // No such endpoint on this server yet: the section is not shown at all.
  if (settings.data === null) return <TenantTimeZone />;
  return (
    <>
      <Section title={t("whoIsTold")} testId="notification-settings">
        <QueryView query={settings} skeleton={<ListSkeleton rows={4} />}>
          {(answer) =>
            draft ? (
              <>
                {readOnly ? (
                  <Caption1 as="p" data-testid="notification-settings-read-only">
                    {say("alerts.readOnly")}
                  </Caption1>
                ) : null}
                <Caption1>{t("whoIsToldHint")}</Caption1>
                <RolesPerKind draft={draft} readOnly={readOnly} onRoles={(kind, roles) => edit((d) => ({ ...d, kinds: { ...d.kinds, [kind]: { roles } } }))} />
                <AdminChannels channels={draft.channels} readOnly={readOnly} onRemove={(c) => edit((d) => ({ ...d, channels: d.channels.filter((x) => x !== c) }))} />
                <Switch
                  checked={draft.activityFeed !== false}
                  disabled={readOnly}
                  onChange={(_, d) => edit((s) => ({ ...s, activityFeed: d.checked }))}
                  label={say("feed.settingLabel")}
                  data-testid="activity-feed-switch"
                />
                <Caption1>{say("feed.settingHint")}</Caption1>
                <ThresholdsEditor
                  rows={rows}
                  onChange={editRows}
                  saved={answer?.lowBalanceThresholds ?? []}
                  today={answer?.lowBalanceToday}
                  currency={currency}
                  readOnly={readOnly}
                  errors={errors}
                  read={read}
                />
                <ErrorBar error={save.error ?? undefined} onDismiss={() => save.reset()} />
                {readOnly ? null : (
                  <SaveBar
                    testId="notification-settings"
                    readOnly={false}
                    saving={save.isPending}
                    saved={saved}
                    dirty={dirty}
                    onSave={submit}
                    label="saveSettings"
                    requireChanges
                  />
                )}
              </>
            ) : null
          }
        </QueryView>
      </Section>
      <TenantTimeZone />
    </>
  );
}

/** Each kind with the roles told of it: every notified role, or the ones chosen. */
function RolesPerKind({ draft, readOnly, onRoles }: { draft: NotificationSettings; readOnly: boolean; onRoles(kind: NotificationKind, roles: string[]): void }) {
  const styles = useStyles();
  return (
    <div className={styles.kinds}>
      {NOTIFICATION_KINDS.map((kind) => (
        <KindRoles key={kind} kind={kind} chosen={draft.kinds[kind]?.roles ?? []} readOnly={readOnly} onRoles={(roles) => onRoles(kind, roles)} />
      ))}
    </div>
  );
}

function KindRoles({ kind, chosen, readOnly, onRoles }: { kind: NotificationKind; chosen: string[]; readOnly: boolean; onRoles(roles: string[]): void }) {
  const styles = useStyles();
  const { t, say } = useI18n();
  const roleName = (id: string) => t(`role.${id}` as MessageKey);
  const every = isEveryRole(chosen);
  const label = say(`events.kind.${kind}`);
  const summary = (roles: readonly string[]): string => {
    if (roles.length === 0) return t("nobodyTold");
    const names = roles.map(roleName);
    return names.length <= 3 ? names.join(", ") : t("rolesAndMore", { names: names.slice(0, 2).join(", "), count: names.length - 2 });
  };
  return (
    <div className={styles.kind} role="group" aria-label={label} data-testid="notification-setting" data-kind={kind} data-roles={chosen.length}>
      <Body1Strong>{label}</Body1Strong>
      <div className={styles.choice}>
        {/* "Every role" on: all 16; off: the three most admins keep, to narrow from. */}
        <Switch
          label={t("everyNotifiedRole", { count: NOTIFIED_ROLES.length })}
          checked={every}
          disabled={readOnly}
          onChange={(_, d) => onRoles(d.checked ? [...NOTIFIED_ROLES] : [...MAIN_ROLES])}
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
            onOptionSelect={(_, d) => onRoles(d.selectedOptions)}
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
}

type Channel = NotificationSettings["channels"][number];

function AdminChannels({ channels, readOnly, onRemove }: { channels: Channel[]; readOnly: boolean; onRemove(channel: Channel): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <>
      <Caption1 as="h3">{t("adminChannels")}</Caption1>
      {channels.length === 0 ? (
        <Caption1 data-testid="no-channels">{t("noChannels")}</Caption1>
      ) : (
        <ul className={styles.channels}>
          {channels.map((c) => (
            <li key={`${c.teamId}/${c.channelId}`} className={styles.channel} data-testid="notification-channel">
              <span>{c.name}</span>
              {!readOnly ? (
                <Button size="small" appearance="subtle" aria-label={t("stopTelling", { name: c.name })} onClick={() => onRemove(c)}>
                  {t("remove")}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

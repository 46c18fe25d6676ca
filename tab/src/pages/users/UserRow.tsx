import { Caption1, Checkbox, Switch, makeStyles, tokens } from "@fluentui/react-components";
import type { DirectoryUserView } from "@cc/common";
import { useI18n } from "../../i18n";
import { useMe } from "../../me";

const useStyles = makeStyles({
  row: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    gap: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalM}`,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  who: { display: "flex", flexDirection: "column", flexGrow: 1, flexBasis: "12rem", minWidth: 0, overflowWrap: "anywhere" },
  // Role names are plain text, not link-coloured (brand foreground reads as a link, in high contrast too).
  roles: { color: tokens.colorNeutralForeground2 },
});

export interface UserRowProps {
  user: DirectoryUserView;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  busy: boolean;
  onToggle: (licensed: boolean) => void;
  roleName: (id: string) => string;
}

/** One directory user: selectable for a bulk change, their roles, and their license switch. */
export function UserRow({ user, selected, onSelect, busy, onToggle, roleName }: UserRowProps) {
  const styles = useStyles();
  const { t } = useI18n();
  const { can } = useMe();
  return (
    <li className={styles.row} data-testid="user-row" data-upn={user.upn}>
      {can.manageLicenses ? (
        <Checkbox
          checked={selected}
          aria-label={t("selectUser", { name: user.displayName })}
          onChange={(_, d) => onSelect(Boolean(d.checked))}
          data-testid={`select-${user.upn}`}
        />
      ) : null}
      <div className={styles.who}>
        <span>{user.displayName}</span>
        <Caption1>{user.upn}</Caption1>
        {user.roles.length ? <Caption1 className={styles.roles}>{user.roles.map((role) => roleName(role)).join(", ")}</Caption1> : null}
      </div>
      <Switch
        checked={user.licensed}
        disabled={busy || !can.manageLicenses}
        label={user.licensed ? t("assigned") : t("notAssigned")}
        aria-label={t("licenseOf", { name: user.displayName })}
        onChange={(_, data) => onToggle(data.checked)}
        data-testid={`license-switch-${user.upn}`}
      />
    </li>
  );
}

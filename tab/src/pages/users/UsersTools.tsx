import { Field, Input, Select, makeStyles, tokens } from "@fluentui/react-components";
import type { DirectoryUserView } from "@cc/common";
import { useI18n } from "../../i18n";

export type LicenseFilter = "all" | "licensed" | "unlicensed";

export const useToolsStyles = makeStyles({
  tools: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap", alignItems: "flex-end" },
  grow: { flexGrow: 1, flexBasis: "12rem", minWidth: 0 },
});

/** The users a search (name or UPN, any case) and a license filter leave. */
export function filterUsers(all: DirectoryUserView[], query: string, filter: LicenseFilter): DirectoryUserView[] {
  const q = query.trim().toLowerCase();
  return all.filter((u) => (filter === "all" || (filter === "licensed") === u.licensed) && (!q || u.displayName.toLowerCase().includes(q) || u.upn.toLowerCase().includes(q)));
}

/** Search by name or UPN, and filter by license. */
export function UsersTools(props: { query: string; onQuery: (query: string) => void; filter: LicenseFilter; onFilter: (filter: LicenseFilter) => void }) {
  const styles = useToolsStyles();
  const { t } = useI18n();
  return (
    <div className={styles.tools}>
      <Field className={styles.grow} label={t("search")}>
        <Input type="search" value={props.query} onChange={(_, d) => props.onQuery(d.value)} data-testid="users-search" />
      </Field>
      <Field label={t("license")}>
        <Select value={props.filter} onChange={(_, d) => props.onFilter(d.value as LicenseFilter)} data-testid="users-filter">
          <option value="all">{t("filterAll")}</option>
          <option value="licensed">{t("filterLicensed")}</option>
          <option value="unlicensed">{t("filterUnlicensed")}</option>
        </Select>
      </Field>
    </div>
  );
}

import { Button, Caption1, makeStyles } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import { useUsers } from "../api/queries";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { ListSkeleton } from "../components/Skeletons";
import { Section } from "../components/Section";
import { useI18n, type MessageKey } from "../i18n";
import { useMe } from "../me";
import { useLicenseChanges } from "./users/useLicenseChanges";
import { UserRow } from "./users/UserRow";
import { UsersTools, filterUsers, useToolsStyles, type LicenseFilter } from "./users/UsersTools";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0 },
});

/** The search, the filter, the selection and the bulk confirmation act on the same list. */
export function UsersPage() {
  const styles = useStyles();
  const toolsStyles = useToolsStyles();
  const { t, has } = useI18n();
  const { can } = useMe();
  const users = useUsers();
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState<LicenseFilter>("all");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const { licenses, confirming, setConfirming, apply, toggle } = useLicenseChanges(() => setSelected(new Set()));
  const all = useMemo(() => users.data ?? [], [users.data]);
  const shown = useMemo(() => filterUsers(all, query, filter), [all, query, filter]);
  const chosen = all.filter((u) => selected.has(u.id));
  const busy = licenses.isPending;
  const error = licenses.error ?? undefined;
  const roleName = (id: string) => (has(`role.${id}`) ? t(`role.${id}` as MessageKey) : t("roleOther"));
  const select = (id: string, on: boolean) =>
    setSelected((ids) => {
      const next = new Set(ids);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <Section title={t("users")} testId="users">
      <Caption1 data-testid="assigned-count">{t("assignedOf", { n: all.filter((u) => u.licensed).length, m: all.length })}</Caption1>
      {!can.manageLicenses ? <Caption1 data-testid="licenses-read-only">{t("needsLicenses")}</Caption1> : null}
      <UsersTools query={query} onQuery={setQuery} filter={filter} onFilter={setFilter} />
      {can.manageLicenses && chosen.length > 0 ? (
        <div className={toolsStyles.tools}>
          <Button disabled={busy} onClick={() => setConfirming({ action: "assign", users: chosen })} data-testid="bulk-assign">
            {t("assignSelected", { n: chosen.length })}
          </Button>
          <Button disabled={busy} onClick={() => setConfirming({ action: "remove", users: chosen })} data-testid="bulk-remove">
            {t("removeSelected", { n: chosen.length })}
          </Button>
        </div>
      ) : null}
      <ErrorBar error={error ?? users.error} onDismiss={error ? () => licenses.reset() : undefined} onRetry={users.error ? () => void users.refetch() : undefined} />
      {users.isPending ? <ListSkeleton rows={5} rowHeight={48} /> : null}
      {users.data && shown.length === 0 ? <EmptyState title={t("noUsers")} /> : null}
      {shown.length > 0 ? (
        <ul className={styles.list} aria-label={t("users")}>
          {shown.map((user) => (
            <UserRow
              key={user.id}
              user={user}
              selected={selected.has(user.id)}
              onSelect={(on) => select(user.id, on)}
              busy={busy}
              onToggle={(licensed) => toggle(user, licensed)}
              roleName={roleName}
            />
          ))}
        </ul>
      ) : null}
      <ConfirmDialog
        open={confirming !== null}
        title={t("license")}
        confirmLabel={t("confirm")}
        busy={busy}
        onCancel={() => setConfirming(null)}
        onConfirm={() => confirming && apply(confirming)}
        testId="license-confirm-ok"
      >
        <span data-testid="license-confirm">{confirming ? t(confirming.action === "assign" ? "confirmAssign" : "confirmRemove", { n: confirming.users.length }) : null}</span>
      </ConfirmDialog>
    </Section>
  );
}

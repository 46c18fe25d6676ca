import { Button, Caption1, Checkbox, Field, Input, Select, Switch, makeStyles, tokens } from "@fluentui/react-components";
import type { DirectoryUserView } from "@cc/common";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { keys, toApiError, useUsers } from "../api/queries";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { ListSkeleton } from "../components/Skeletons";
import { Section } from "../components/Section";
import { useI18n, type MessageKey } from "../i18n";
import { useMe } from "../me";

const useStyles = makeStyles({
  tools: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap", alignItems: "flex-end" },
  grow: { flexGrow: 1, flexBasis: "12rem", minWidth: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0 },
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

type Bulk = { action: "assign" | "remove"; users: DirectoryUserView[] };

/** One component on purpose: the search, the filter, the selection and the bulk confirmation act on the same list. */
export function UsersPage() {
  const styles = useStyles();
  const api = useApi();
  const { t, has } = useI18n();
  const { can } = useMe();
  const users = useUsers();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState<"all" | "licensed" | "unlicensed">("all");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<Bulk | null>(null);

  const all = useMemo(() => users.data ?? [], [users.data]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return all.filter((u) => (filter === "all" || (filter === "licensed") === u.licensed) && (!q || u.displayName.toLowerCase().includes(q) || u.upn.toLowerCase().includes(q)));
  }, [all, query, filter]);
  const assignedCount = all.filter((u) => u.licensed).length;
  const chosen = all.filter((u) => selected.has(u.id));

  // One user after the other, each shown as changed once the API has answered; on a refusal the list is asked again.
  const licenses = useMutation<void, ApiError, Bulk>({
    mutationFn: async (bulk) => {
      for (const user of bulk.users) {
        if (bulk.action === "assign" && !user.licensed) await api.assignLicense(user.id).catch((err: unknown) => Promise.reject(toApiError(err)));
        if (bulk.action === "remove" && user.licensed) await api.removeLicense(user.id).catch((err: unknown) => Promise.reject(toApiError(err)));
        queryClient.setQueryData<DirectoryUserView[]>(keys.users, (list) => list?.map((u) => (u.id === user.id ? { ...u, licensed: bulk.action === "assign" } : u)));
      }
    },
    onSuccess: () => setSelected(new Set()),
    onError: () => void queryClient.invalidateQueries({ queryKey: keys.users }),
    onSettled: () => setConfirming(null),
  });
  const busy = licenses.isPending;
  const error = licenses.error ?? undefined;
  const apply = (bulk: Bulk) => licenses.mutate(bulk);
  const roleName = (id: string) => (has(`role.${id}`) ? t(`role.${id}` as MessageKey) : t("roleOther"));

  // Assigning one license is harmless and immediate; removing one stops calls, so it asks first.
  function toggle(user: DirectoryUserView, licensed: boolean) {
    if (licensed) apply({ action: "assign", users: [user] });
    else setConfirming({ action: "remove", users: [user] });
  }

  return (
    <Section title={t("users")} testId="users">
      <Caption1 data-testid="assigned-count">{t("assignedOf", { n: assignedCount, m: all.length })}</Caption1>
      {!can.manageLicenses ? <Caption1 data-testid="licenses-read-only">{t("needsLicenses")}</Caption1> : null}
      <div className={styles.tools}>
        <Field className={styles.grow} label={t("search")}>
          <Input type="search" value={query} onChange={(_, d) => setQuery(d.value)} data-testid="users-search" />
        </Field>
        <Field label={t("license")}>
          <Select value={filter} onChange={(_, d) => setFilter(d.value as typeof filter)} data-testid="users-filter">
            <option value="all">{t("filterAll")}</option>
            <option value="licensed">{t("filterLicensed")}</option>
            <option value="unlicensed">{t("filterUnlicensed")}</option>
          </Select>
        </Field>
      </div>
      {can.manageLicenses && chosen.length > 0 ? (
        <div className={styles.tools}>
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
              onSelect={(on) =>
                setSelected((ids) => {
                  const next = new Set(ids);
                  if (on) next.add(user.id);
                  else next.delete(user.id);
                  return next;
                })
              }
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

interface UserRowProps {
  user: DirectoryUserView;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  busy: boolean;
  onToggle: (licensed: boolean) => void;
  roleName: (id: string) => string;
}

/** One directory user: selectable for a bulk change, their roles, and their license switch. */
function UserRow({ user, selected, onSelect, busy, onToggle, roleName }: UserRowProps) {
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

import { Badge, Switch, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from "@fluentui/react-components";
import { roleDisplayName, type DirectoryRoleId, type DirectoryUserView } from "@cc/common";
import { useState } from "react";
import type { ApiError } from "../api/client";
import { useApi } from "../api/context";
import { toApiError, useResource } from "../api/useResource";
import { EmptyState } from "../components/EmptyState";
import { ErrorBar } from "../components/ErrorBar";
import { Loading } from "../components/Loading";
import { Section } from "../components/Section";

const planLabel: Record<DirectoryUserView["callingPlan"], string> = {
  none: "None",
  domestic: "Domestic",
  domestic_international: "Domestic and International",
  pay_as_you_go: "Pay-as-you-go",
};

function roleName(id: string): string {
  return roleDisplayName[id as DirectoryRoleId] ?? id;
}

export function UsersPage() {
  const api = useApi();
  const users = useResource(() => api.users(), [api]);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<ApiError>();

  // Optimistic: the switch moves at once and moves back if the API refuses.
  async function setLicensed(user: DirectoryUserView, licensed: boolean) {
    const show = (value: boolean) => users.update((list) => list.map((u) => (u.id === user.id ? { ...u, licensed: value } : u)));
    setError(undefined);
    setBusy((ids) => new Set(ids).add(user.id));
    show(licensed);
    try {
      if (licensed) await api.assignLicense(user.id);
      else await api.removeLicense(user.id);
    } catch (err) {
      show(!licensed);
      setError(toApiError(err));
    } finally {
      setBusy((ids) => {
        const rest = new Set(ids);
        rest.delete(user.id);
        return rest;
      });
    }
  }

  return (
    <Section title="Users & licenses" testId="users">
      <ErrorBar error={error ?? users.error} onDismiss={error ? () => setError(undefined) : undefined} />
      {users.loading && !users.data ? <Loading /> : null}
      {users.data && users.data.length === 0 ? <EmptyState title="No users in the directory" /> : null}
      {users.data && users.data.length > 0 ? (
        <Table size="small" aria-label="Users and Communications Credits licenses">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>User</TableHeaderCell>
              <TableHeaderCell>Roles</TableHeaderCell>
              <TableHeaderCell>Calling plan</TableHeaderCell>
              <TableHeaderCell>Communications Credits license</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.data.map((user) => (
              <TableRow key={user.id} data-testid="user-row" data-upn={user.upn}>
                <TableCell>
                  <div>{user.displayName}</div>
                  <div style={{ opacity: 0.7, fontSize: "smaller" }}>{user.upn}</div>
                </TableCell>
                <TableCell>
                  {user.roles.map((role) => (
                    <Badge key={role} appearance="outline" size="small" style={{ marginRight: 4 }}>
                      {roleName(role)}
                    </Badge>
                  ))}
                </TableCell>
                <TableCell>{planLabel[user.callingPlan] ?? user.callingPlan}</TableCell>
                <TableCell>
                  <Switch
                    checked={user.licensed}
                    disabled={busy.has(user.id)}
                    label={user.licensed ? "Assigned" : "Not assigned"}
                    onChange={(_, data) => void setLicensed(user, data.checked)}
                    data-testid={`license-switch-${user.upn}`}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Section>
  );
}

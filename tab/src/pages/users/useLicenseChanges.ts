import type { DirectoryUserView } from "@cc/common";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ApiError } from "../../api/client";
import { useApi } from "../../api/context";
import { keys, toApiError } from "../../api/queries";

export type Bulk = { action: "assign" | "remove"; users: DirectoryUserView[] };

/**
 * License changes: one user after the other, each shown as changed once the API has answered; on a refusal the list
 * is asked again. Assigning one license is harmless and immediate; removing one stops calls, so it asks first.
 */
export function useLicenseChanges(clearSelection: () => void) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<Bulk | null>(null);
  const licenses = useMutation<void, ApiError, Bulk>({
    mutationFn: async (bulk) => {
      for (const user of bulk.users) {
        if (bulk.action === "assign" && !user.licensed) await api.assignLicense(user.id).catch((err: unknown) => Promise.reject(toApiError(err)));
        if (bulk.action === "remove" && user.licensed) await api.removeLicense(user.id).catch((err: unknown) => Promise.reject(toApiError(err)));
        queryClient.setQueryData<DirectoryUserView[]>(keys.users, (list) => list?.map((u) => (u.id === user.id ? { ...u, licensed: bulk.action === "assign" } : u)));
      }
    },
    onSuccess: clearSelection,
    onError: () => void queryClient.invalidateQueries({ queryKey: keys.users }),
    onSettled: () => setConfirming(null),
  });
  const apply = (bulk: Bulk) => licenses.mutate(bulk);
  const toggle = (user: DirectoryUserView, licensed: boolean) => (licensed ? apply({ action: "assign", users: [user] }) : setConfirming({ action: "remove", users: [user] }));
  return { licenses, confirming, setConfirming, apply, toggle };
}

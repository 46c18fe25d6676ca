/**
 * The notification settings as one draft: every kind's roles, the channels, the activity feed and
 * the low-balance alerts are edited together, compared with what the server has as one, and saved
 * at once through a TanStack Query mutation. A row that cannot be read, or that the API's problem
 * answer names, keeps its reason beside it.
 */
import { NOTIFICATION_KINDS, type LowBalanceThreshold, type NotificationSettings, type NotificationSettingsAnswer } from "@cc/common";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { ApiError } from "../../api/client";
import { useApi } from "../../api/context";
import { keys, toApiError, useAccount, useNotificationSettings } from "../../api/queries";
import { useI18n } from "../../i18n";
import { readRow, rowOfPath, rowsOf, type ThresholdRow } from "./threshold-rows";

/** Role order is not a change. */
const comparable = (v: NotificationSettings | null | undefined) =>
  v
    ? JSON.stringify({
        kinds: NOTIFICATION_KINDS.map((k) => [...(v.kinds[k]?.roles ?? [])].sort()),
        channels: v.channels,
        activityFeed: v.activityFeed !== false,
        thresholds: v.lowBalanceThresholds ?? [],
      })
    : "";

/** The answer without what only the server says (`lowBalanceToday`): what a PUT sends back. */
function settingsOnly({ kinds, channels, activityFeed, lowBalanceThresholds }: NotificationSettingsAnswer): NotificationSettings {
  return { kinds, channels, ...(activityFeed !== undefined ? { activityFeed } : {}), ...(lowBalanceThresholds ? { lowBalanceThresholds } : {}) };
}

export function useSettingsDraft() {
  const api = useApi();
  const i18n = useI18n();
  const settings = useNotificationSettings();
  const account = useAccount();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<NotificationSettings | null>(null);
  const [rows, setRows] = useState<ThresholdRow[]>([]);
  const [saved, setSaved] = useState(false);
  const [typed, setTyped] = useState<ReadonlyMap<number, string>>(new Map());
  const save = useMutation<NotificationSettingsAnswer, ApiError, NotificationSettings>({
    mutationFn: (next) => api.setNotificationSettings(next).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: (answered) => {
      queryClient.setQueryData(keys.notificationSettings, answered);
      setSaved(true);
    },
  });
  useEffect(() => {
    setDraft(settings.data ? settingsOnly(settings.data) : null);
    setRows(rowsOf(settings.data?.lowBalanceThresholds ?? [], i18n.locale));
    setTyped(new Map());
  }, [settings.data, i18n.locale]);

  const currency = settings.data?.lowBalanceToday?.currency ?? account.data?.currency ?? "USD";
  const read = (row: ThresholdRow): LowBalanceThreshold | undefined => {
    const r = readRow(row, currency, i18n);
    return "threshold" in r ? r.threshold : undefined;
  };
  const thresholds = rows.map(read);
  const next = draft && thresholds.every(Boolean) ? { ...draft, lowBalanceThresholds: thresholds as LowBalanceThreshold[] } : draft;
  const dirty = draft !== null && (comparable(next) !== comparable(settings.data) || thresholds.some((t) => !t));
  const errors = useMemo(() => {
    const found = new Map(typed);
    for (const e of save.error?.problem.errors ?? []) {
      const index = rowOfPath(e.path);
      const row = index === undefined ? undefined : rows[index];
      if (row && !found.has(row.id)) found.set(row.id, i18n.say("alerts.thresholds.refused", { why: e.message }));
    }
    return found;
  }, [typed, save.error, rows, i18n]);

  const edit = (change: (d: NotificationSettings) => NotificationSettings) => {
    setSaved(false);
    setDraft((d) => (d ? change(d) : d));
  };
  const editRows = (nextRows: ThresholdRow[]) => {
    setSaved(false);
    setTyped(new Map());
    setRows(nextRows);
  };
  /** Save when every row reads; otherwise each row that does not says why. */
  const submit = () => {
    const problems = new Map<number, string>();
    for (const row of rows) {
      const r = readRow(row, currency, i18n);
      if ("error" in r) problems.set(row.id, r.error);
    }
    setTyped(problems);
    if (problems.size === 0 && next) save.mutate(next);
  };
  return { settings, draft, rows, currency, read, dirty, errors, saved, save, edit, editRows, submit };
}

import type { GuardSettings } from "@cc/common";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import type { ApiError } from "../../api/client";
import { useApi } from "../../api/context";
import { keys, toApiError, useAccount, useGuard } from "../../api/queries";
import { useI18n } from "../../i18n";
import { EMPTY_DRAFT, draftOf, readGuard, type GuardDraft, type GuardField } from "./guard-fields";

/** The guard's draft: the saved settings (followed as they change, in the reader's locale), checked together and saved at once. */
export function useGuardForm() {
  const api = useApi();
  const i18n = useI18n();
  const { lang, locale } = i18n;
  const guard = useGuard();
  const account = useAccount();
  const queryClient = useQueryClient();
  const currency = account.data?.currency ?? "USD";
  const [draft, setDraft] = useState<GuardDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<Partial<Record<GuardField, string>>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation<GuardSettings, ApiError, GuardSettings>({
    mutationFn: (settings) => api.setGuard(settings).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.guard, updated);
      setSaved(true);
    },
  });

  useEffect(() => {
    if (guard.data) setDraft(draftOf(guard.data, locale, lang));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the form follows the saved settings and the locale
  }, [guard.data, locale]);

  const set =
    <K extends keyof GuardDraft>(field: K) =>
    (value: GuardDraft[K]) =>
      setDraft((now) => ({ ...now, [field]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const read = readGuard(draft, currency, i18n);
    setErrors("errors" in read ? read.errors : {});
    if ("errors" in read) return;
    save.mutate(read.settings);
  }

  return { guard, currency, draft, set, errors, saved, save, submit };
}

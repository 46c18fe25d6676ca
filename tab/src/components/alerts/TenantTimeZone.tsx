/**
 * The tenant's time zone (issue 22): the zone every period ("last 30 days", this month) is counted
 * in. A searchable picker of the IANA zones labelled in the reader's language, the current zone
 * (GET /api/v1/account `timeZone`) selected; Billing and Global Administrators save it with
 * PUT /api/v1/account/time-zone, everyone else reads it and is told why.
 */
import { Button, Caption1, Combobox, Field, Option, makeStyles, tokens } from "@fluentui/react-components";
import type { AccountView } from "@cc/common";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { ApiError } from "../../api/client";
import { useApi } from "../../api/context";
import { keys, toApiError, useAccount } from "../../api/queries";
import { useI18n } from "../../i18n";
import { useMe } from "../../me";
import { ErrorBar } from "../ErrorBar";
import { Section } from "../Section";
import { allZones, searchZones, type ZoneChoice } from "./time-zones";

const useStyles = makeStyles({
  // Fluent's combobox keeps 250 px and its own input width: held inside the card at 320 px, or the
  // card (overflow hidden) scrolls its content sideways when the input takes focus.
  picker: { minWidth: 0, width: "100%", maxWidth: "28rem", boxSizing: "border-box" },
  pickerInput: { minWidth: 0, width: "100%" },
  actions: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

export function TenantTimeZone() {
  const account = useAccount();
  const current = account.data?.timeZone ?? null;
  if (!account.data) return null;
  return <TimeZoneForm current={current} />;
}

function TimeZoneForm({ current }: { current: string | null }) {
  const styles = useStyles();
  const { say, locale } = useI18n();
  const api = useApi();
  const queryClient = useQueryClient();
  const readOnly = !useMe().can.moveMoney;
  const zones = useMemo(() => allZones(locale), [locale]);
  const label = (z: ZoneChoice) => say("alerts.timeZone.option", { city: z.city, name: z.name, offset: z.offset });
  const [chosen, setChosen] = useState<string | null>(current);
  const [text, setText] = useState(() => {
    const z = zones.find((x) => x.id === current);
    return z ? label(z) : "";
  });
  const [searching, setSearching] = useState(false);
  const save = useMutation<AccountView, ApiError, string>({
    mutationFn: (zone) => api.setTimeZone(zone).catch((err: unknown) => Promise.reject(toApiError(err))),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.account }),
  });
  const shown = searching ? searchZones(zones, text) : zones;
  return (
    <Section title={say("alerts.timeZone.title")} testId="time-zone">
      <Caption1 as="p">{say("alerts.timeZone.hint")}</Caption1>
      <Field label={say("alerts.timeZone.label")} hint={current ? undefined : say("alerts.timeZone.unknown")}>
        <Combobox
          className={styles.picker}
          input={{ className: styles.pickerInput }}
          freeform
          disabled={readOnly}
          placeholder={say("alerts.timeZone.search")}
          value={text}
          selectedOptions={chosen ? [chosen] : []}
          onChange={(e) => {
            setText(e.target.value);
            setSearching(true);
          }}
          onOptionSelect={(_, d) => {
            setChosen(d.optionValue ?? null);
            setText(d.optionText ?? "");
            setSearching(false);
          }}
          data-testid="time-zone-picker"
        >
          {shown.length === 0 ? (
            <Option disabled text="">
              {say("alerts.timeZone.none", { text })}
            </Option>
          ) : null}
          {shown.map((z) => (
            <Option key={z.id} value={z.id} text={label(z)}>
              {label(z)}
            </Option>
          ))}
        </Combobox>
      </Field>
      <ErrorBar error={save.error ?? undefined} onDismiss={() => save.reset()} />
      {readOnly ? (
        <Caption1 data-testid="time-zone-read-only">{say("alerts.timeZone.readOnly")}</Caption1>
      ) : (
        <div className={styles.actions}>
          <Button appearance="primary" disabled={!chosen || chosen === current || save.isPending} onClick={() => chosen && save.mutate(chosen)} data-testid="time-zone-save">
            {say("alerts.timeZone.save")}
          </Button>
          {save.isSuccess && chosen === current ? <span role="status">{say("alerts.timeZone.saved")}</span> : null}
        </div>
      )}
    </Section>
  );
}

/** The Rates lookup for a chosen user: the rate of a number and whether the call guard lets that user call it (GET /api/v1/rates?number&userId). */
import { useI18n } from "../../i18n";
import { Button, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, makeStyles, tokens } from "@fluentui/react-components";
import { formatMoneyLocale, type TabMessageId } from "@cc/common";
import { useState, type FormEvent } from "react";
import type { ApiError } from "../../api/client";
import { useApi } from "../../api/context";
import type { RateForUserView } from "../../api/credits";
import { toApiError } from "../../api/queries";
import { ErrorBar } from "../ErrorBar";

const useStyles = makeStyles({
  form: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end", minWidth: 0 },
  field: { minWidth: "0", flexGrow: 1, flexBasis: "200px" },
});

export function GuardLookup({ users, locale }: { users: { id: string; displayName: string }[]; locale: string }) {
  const { say } = useI18n();
  const styles = useStyles();
  const api = useApi();
  const [number, setNumber] = useState("+919812345678");
  const [userId, setUserId] = useState(users[0]?.id ?? "");
  const [answer, setAnswer] = useState<{ rate: RateForUserView; user: string; number: string }>();
  const [error, setError] = useState<ApiError>();
  async function check(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setAnswer(undefined);
    try {
      const rate = await api.rateFor(number.trim(), userId);
      setAnswer({ rate, user: users.find((u) => u.id === userId)?.displayName ?? userId, number: number.trim() });
    } catch (err) {
      setError(toApiError(err));
    }
  }
  const guard = answer?.rate.guard;
  const facts = answer ? { user: answer.user, number: answer.number, destination: answer.rate.destinationName } : undefined;
  return (
    <form className={styles.form} onSubmit={check} noValidate data-testid="guard-lookup">
      <Field className={styles.field} label={say("policy.lookup.number")}>
        <Input value={number} onChange={(_, d) => setNumber(d.value)} inputMode="tel" data-testid="guard-lookup-number" />
      </Field>
      <Field className={styles.field} label={say("policy.lookup.user")}>
        <Dropdown
          value={users.find((u) => u.id === userId)?.displayName ?? ""}
          selectedOptions={[userId]}
          onOptionSelect={(_, d) => setUserId(d.optionValue ?? "")}
          data-testid="guard-lookup-user"
        >
          {users.map((u) => (
            <Option key={u.id} value={u.id}>
              {u.displayName}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Button type="submit" appearance="primary" data-testid="guard-lookup-check">
        {say("policy.lookup.check")}
      </Button>
      <ErrorBar error={error} onDismiss={() => setError(undefined)} />
      {guard && facts ? (
        <MessageBar layout="multiline" intent={guard.allowed ? "success" : "warning"} data-testid="guard-lookup-answer" style={{ flexBasis: "100%", minWidth: 0 }}>
          <MessageBarBody>
            {guard.allowed ? say("policy.lookup.allowed", facts) : say(`policy.lookup.refused.${guard.reason ?? "destination_blocked"}` as TabMessageId, facts)}{" "}
            {guard.exception ? say("policy.lookup.exception", { name: guard.exception }) : null}{" "}
            {say("policy.lookup.rate", { rate: formatMoneyLocale(answer!.rate.perMinuteMicros, answer!.rate.currency, locale, true) })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </form>
  );
}

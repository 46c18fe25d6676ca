import { Spinner } from "@fluentui/react-components";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return <Spinner size="small" label={label} labelPosition="after" data-testid="loading" />;
}

import { Body1, Title3 } from "@fluentui/react-components";
import { pages } from "@microsoft/teams-js";
import { useEffect } from "react";

/**
 * The configurable team tab's configuration page (manifest configurationUrl): nothing to choose,
 * so it is valid at once and saves the tab pointing at the same app.
 */
export function ConfigPage() {
  useEffect(() => {
    pages.config.registerOnSaveHandler((save) => {
      const origin = window.location.origin;
      pages.config.setConfig({ entityId: "credits", suggestedDisplayName: "Credits", contentUrl: `${origin}/?inTeams=1`, websiteUrl: origin }).then(
        () => save.notifySuccess(),
        (err: unknown) => save.notifyFailure(String(err)),
      );
    });
    pages.config.setValidityState(true);
  }, []);

  return (
    <div style={{ padding: 24 }} data-testid="config-page">
      <Title3 as="h1">Communications Credits</Title3>
      <Body1>Adds the organisation's Communications Credits balance, ledger and usage to this team. Select Save to continue.</Body1>
    </div>
  );
}

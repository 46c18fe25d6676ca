/**
 * The floor of the tab's first-render figure (test/bench/tab.ts): what React 19 and Fluent UI v9
 * alone cost on this machine to paint a shell like the overview's (provider and theme, a title, a
 * tab list, a card with an amount and a button), with no data, no requests and no app code.
 */
import { createRoot } from "react-dom/client";
import { Body1, Button, Card, FluentProvider, Tab, TabList, Title3, teamsLightTheme } from "@fluentui/react-components";

const TABS = ["Overview", "Ledger", "Users & licenses", "Usage", "Rates", "Notifications", "Call guard"];

function Shell() {
  return (
    <FluentProvider theme={teamsLightTheme}>
      <header>
        <Title3 as="h1">Communications Credits</Title3>
      </header>
      <TabList selectedValue={TABS[0]}>
        {TABS.map((name) => (
          <Tab key={name} value={name}>
            {name}
          </Tab>
        ))}
      </TabList>
      <Card>
        <Title3 as="h2">Balance</Title3>
        <Body1 data-testid="balance">$0.00</Body1>
        <Button appearance="primary">Add funds</Button>
      </Card>
    </FluentProvider>
  );
}

createRoot(document.getElementById("root")!).render(<Shell />);

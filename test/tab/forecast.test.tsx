// @vitest-environment jsdom
/**
 * The overview's forecast says what a runway of zero days means, in words (not "lasts about 0
 * days"), in English and French. A render of the API's answer: the forecast is given to the query
 * cache as the API would have answered it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import type { ForecastView, UiLanguage } from "@cc/common";
import { ApiProvider } from "../../tab/src/api/context";
import type { CreditsApi } from "../../tab/src/api/credits";
import { keys, makeQueryClient } from "../../tab/src/api/queries";
import { I18nProvider } from "../../tab/src/i18n";
import { ForecastCard } from "../../tab/src/pages/overview/OverviewCards";

function show(forecast: ForecastView, lang: UiLanguage = "en") {
  const client = makeQueryClient();
  client.setQueryData(keys.forecast, forecast);
  // Asked again, the API answers the same forecast.
  const api = { forecast: async () => forecast } as unknown as CreditsApi;
  render(
    <FluentProvider theme={webLightTheme}>
      <I18nProvider locale={lang}>
        <ApiProvider api={api}>
          <QueryClientProvider client={client}>
            <ForecastCard />
          </QueryClientProvider>
        </ApiProvider>
      </I18nProvider>
    </FluentProvider>,
  );
  return screen.getByTestId("forecast-runway").textContent?.replace(/\s/g, " ") ?? "";
}

const base: ForecastView = { currency: "USD", basisDays: 30, dailySpendMicros: 3_160_000, runwayDays: 0, depletesAt: null, nextRechargeAt: null, rechargesPerMonth: null };

describe("the forecast", () => {
  afterEach(cleanup);

  it("a runway of zero days says the balance is used up and what that stops", () => {
    const text = show(base);
    expect(text).toBe("The balance is used up: calls charged to credits are refused until funds are added (at the current pace, $3.16 a day).");
    expect(text).not.toMatch(/0 days/);
  });

  it("less than a day says within a day; days say days; French too", () => {
    expect(show({ ...base, runwayDays: 0.4 })).toBe("At the current pace ($3.16 a day) the balance runs out within a day.");
    cleanup();
    expect(show({ ...base, runwayDays: 12.7 })).toBe("At the current pace ($3.16 a day) the balance lasts about 12 days.");
    cleanup();
    expect(show(base, "fr")).toMatch(/^Le solde est épuisé : les appels payés par crédits sont refusés jusqu’à un ajout de fonds \(au rythme actuel, 3,16 \$US par jour\)\.$/);
  });
});

// @vitest-environment jsdom
/**
 * The tab's forms in jsdom against the real app (local Cosmos-compatible store, sandbox card
 * processor): the money input in English and French, the add-funds confirmation and receipt, the
 * error states in words, and the controls a role cannot use.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { AccountView, UiLanguage } from "@cc/common";
import type { ReactNode } from "react";
import { startWorldProcess, type WorldProcess } from "../support/world-process.js";
import { ApiClient, ApiError } from "../../tab/src/api/client";
import { ApiProvider } from "../../tab/src/api/context";
import { creditsApi } from "../../tab/src/api/credits";
import { makeQueryClient } from "../../tab/src/api/queries";
import { QueryClientProvider } from "@tanstack/react-query";
import { I18nProvider, makeI18n } from "../../tab/src/i18n";
import { MeProvider } from "../../tab/src/me";
import { AddFundsDialog } from "../../tab/src/components/AddFundsDialog";
import { ErrorBar } from "../../tab/src/components/ErrorBar";
import { PaymentMethodCard } from "../../tab/src/components/PaymentMethodCard";
import { readMoney } from "../../tab/src/components/MoneyInput";

// jsdom has no layout, hence no ResizeObserver; Fluent's MessageBar only uses it to reflow.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

let world: WorldProcess;
let url: string;

async function tokenFor(upn: string): Promise<string> {
  const res = await fetch(`${url}/api/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ upn }) });
  return ((await res.json()) as { token: string }).token;
}

async function signIn(upn: string, lang: UiLanguage = "en") {
  const token = await tokenFor(upn);
  const client = new ApiClient({ baseUrl: url, getToken: async () => token, language: () => (lang === "fr" ? "fr-FR" : "en-US"), sleep: async () => {} });
  const api = creditsApi(client);
  const me = await api.me();
  const wrap = (node: ReactNode) => (
    <FluentProvider theme={webLightTheme}>
      <I18nProvider locale={lang}>
        <ApiProvider api={api}>
          <QueryClientProvider client={makeQueryClient()}>
            <MeProvider me={me}>{node}</MeProvider>
          </QueryClientProvider>
        </ApiProvider>
      </I18nProvider>
    </FluentProvider>
  );
  return { api, me, wrap, client };
}

beforeAll(async () => {
  world = await startWorldProcess();
  url = world.url;
});
afterAll(() => world?.close());
afterEach(() => cleanup());

describe("the money input", () => {
  const en = makeI18n("en");
  const fr = makeI18n("fr");
  it("reads what a person means in English and in French", () => {
    expect(readMoney("1,000", "USD", en)).toEqual({ micros: 1_000_000_000 });
    expect(readMoney("$100", "USD", en)).toEqual({ micros: 100_000_000 });
    expect(readMoney("75,50", "USD", en)).toEqual({ micros: 75_500_000 });
    expect(readMoney("1 000,50 $", "USD", fr)).toEqual({ micros: 1_000_500_000 });
    expect(readMoney("1.000", "USD", fr)).toEqual({ micros: 1_000_000_000 });
  });
  it("says why, in the user's language and currency, without micros", () => {
    expect(readMoney("10", "USD", en, { minMicros: 50_000_000 })).toEqual({ error: "The minimum is $50.00." });
    const frError = readMoney("10", "USD", fr, { minMicros: 50_000_000 });
    expect("error" in frError && frError.error.replace(/\s/g, " ")).toBe("Le minimum est de 50,00 $US.");
    expect(readMoney("12.345", "USD", en)).toEqual({ error: "Use whole cents (two decimals at most)." });
    expect(readMoney("douze", "USD", fr)).toMatchObject({ error: expect.stringMatching(/^Saisissez un montant comme 75,50/) });
  });
});

describe("add funds", () => {
  it("states the range before submit, and cannot continue without a card", async () => {
    const { wrap } = await signIn("megan@contoso.example");
    render(wrap(<AddFundsDialog currency="USD" card={null} onFunded={() => {}} />));
    fireEvent.click(screen.getByTestId("add-funds-button"));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain("Between $50.00 and $10,000.00.");
    fireEvent.change(screen.getByTestId("amount-input"), { target: { value: "75" } });
    // No card to charge: said in words, Continue disabled, and no "Charged once to No payment method yet."
    await waitFor(() => expect(dialog.textContent).toContain("No payment method yet."));
    expect((screen.getByTestId("add-funds-submit") as HTMLButtonElement).disabled).toBe(true);
    expect(dialog.textContent).not.toContain("Charged once to");
    fireEvent.submit(screen.getByTestId("add-funds-submit").closest("form")!);
    expect(screen.queryByTestId("add-funds-confirm")).toBeNull();
  });

  it("confirms, pays and shows a receipt with the card and the new balance (French)", async () => {
    const { wrap, api } = await signIn("megan@contoso.example", "fr");
    await api.addPaymentMethod("tok_visa");
    const account: AccountView = await api.account();
    let funded = 0;
    render(wrap(<AddFundsDialog currency="USD" card={account.paymentMethod} onFunded={(r) => (funded = r.balanceMicros)} />));
    fireEvent.click(screen.getByTestId("add-funds-button"));
    // The default card is picked.
    await waitFor(() => expect((screen.getByTestId("add-funds-card-4242") as HTMLInputElement).checked).toBe(true));
    // Below the range: refused next to the field, without calling the API.
    fireEvent.change(await screen.findByTestId("amount-input"), { target: { value: "10" } });
    fireEvent.click(screen.getByTestId("add-funds-submit"));
    await waitFor(() => expect(screen.getByRole("dialog").textContent?.replace(/\s/g, " ")).toContain("Le minimum est de 50,00 $US."));
    expect(screen.queryByTestId("add-funds-confirm")).toBeNull();
    fireEvent.change(await screen.findByTestId("amount-input"), { target: { value: "1 000,50" } });
    fireEvent.click(screen.getByTestId("add-funds-submit"));
    const confirm = await screen.findByTestId("add-funds-confirm");
    expect(confirm.textContent?.replace(/\s/g, " ")).toContain("Débiter 1 000,50 $US sur Visa se terminant par 4242");
    fireEvent.click(screen.getByTestId("add-funds-pay"));
    const receipt = await screen.findByTestId("receipt");
    expect(within(receipt).getByTestId("receipt-amount").textContent?.replace(/\s/g, " ")).toBe("1 000,50 $US");
    expect(within(receipt).getByTestId("receipt-card").textContent).toMatch(/^Visa se terminant par 4242/);
    expect(within(receipt).getByTestId("receipt-reference").textContent).not.toBe("");
    expect(funded).toBe(1_000_500_000);
    expect((await api.account()).balanceMicros).toBe(1_000_500_000);
  });

  it("after a decline the picker marks the refused card, cannot pick it again and picks another; the payment goes to the picked card", async () => {
    const { wrap, api } = await signIn("megan@contoso.example");
    const declined = await api.addPaymentMethod("tok_chargeDeclined");
    const account: AccountView = await api.account();
    expect(account.paymentMethod?.last4).toBe("4242");
    render(wrap(<AddFundsDialog currency="USD" card={account.paymentMethod} onFunded={() => {}} />));
    fireEvent.click(screen.getByTestId("add-funds-button"));
    // Fluent's Radio puts the test id on its input; the label (name and marks) is beside it.
    const radio = (last4: string) => screen.getByTestId(`add-funds-card-${last4}`) as HTMLInputElement;
    await waitFor(() => expect(screen.getByTestId("add-funds-cards").querySelectorAll("input")).toHaveLength(2));
    expect(radio("4242").checked).toBe(true);
    // Pay with the other card, which the bank declines.
    fireEvent.click(radio(declined.last4));
    fireEvent.change(screen.getByTestId("amount-input"), { target: { value: "60" } });
    fireEvent.click(screen.getByTestId("add-funds-submit"));
    expect((await screen.findByTestId("add-funds-confirm")).textContent).toContain("Visa ending 0002");
    fireEvent.click(screen.getByTestId("add-funds-pay"));
    await screen.findByTestId("error-bar");
    const text = screen.getByRole("dialog").textContent ?? "";
    expect(text.match(/The card was declined by the bank\./g)).toHaveLength(1);
    expect(text).not.toMatch(/card_declined|micros|402/);
    expect(radio(declined.last4).disabled).toBe(true);
    expect(radio(declined.last4).closest(".fui-Radio")?.textContent).toContain("Refused");
    expect(radio("4242").checked).toBe(true);
    // The balance did not move; the default card did not change.
    expect((await api.account()).paymentMethod?.last4).toBe("4242");
    await api.removePaymentMethod(declined.id);
  });
});

describe("roles", () => {
  it("a Teams Communications Administrator sees billing read-only: no add card, add funds disabled with the reason", async () => {
    const { wrap, api, me } = await signIn("adele@contoso.example");
    expect(me.can).toMatchObject({ read: true, moveMoney: false, manageLicenses: false });
    const account = await api.account();
    render(
      wrap(
        <>
          <AddFundsDialog currency="USD" card={account.paymentMethod} onFunded={() => {}} />
          <PaymentMethodCard account={account} onChanged={() => {}} />
        </>,
      ),
    );
    expect((screen.getByTestId("add-funds-button") as HTMLButtonElement).disabled).toBe(true);
    await screen.findByTestId("billing-read-only");
    expect(screen.queryByTestId("add-card-button")).toBeNull();
    expect(screen.queryByText(/^Remove$/)).toBeNull();
  });

  it("a user with no admin role reads nothing", async () => {
    const { me } = await signIn("diego@contoso.example");
    expect(me.can.read).toBe(false);
  });
});

describe("error states", () => {
  const shown = (error: ApiError, lang: UiLanguage = "en", onRetry?: () => void) =>
    render(
      <FluentProvider theme={webLightTheme}>
        <I18nProvider locale={lang}>
          <ErrorBar error={error} onRetry={onRetry} />
        </I18nProvider>
      </FluentProvider>,
    );

  it("a network failure offers a retry, not 'Failed to fetch'", async () => {
    // A port nothing listens on: the real fetch fails.
    const client = new ApiClient({ baseUrl: "http://127.0.0.1:9", getToken: async () => null, sleep: async () => {} });
    const error = await client.get("/api/v1/account").catch((e: unknown) => e as ApiError);
    expect(error).toBeInstanceOf(ApiError);
    let retried = 0;
    shown(error as ApiError, "en", () => retried++);
    const bar = screen.getByTestId("error-bar");
    expect(bar.textContent).toContain("We could not reach the service.");
    expect(bar.textContent).not.toMatch(/fetch/i);
    fireEvent.click(screen.getByTestId("error-bar-retry"));
    expect(retried).toBe(1);
  });

  it("a 500 is a sentence; a 429 says when it retries; French too", () => {
    shown(new ApiError({ type: "about:blank", title: "Internal Server Error", status: 500 }));
    expect(screen.getByTestId("error-bar").textContent).toBe("The service had a problem and did not finish. Nothing was changed; try again in a moment.");
    cleanup();
    shown(new ApiError({ type: "about:blank", title: "Too Many Requests", status: 429, retryAfter: 7 } as never));
    expect(screen.getByTestId("error-bar").textContent).toBe("Too many requests: retrying in 7 s.");
    cleanup();
    shown(new ApiError({ type: "about:blank", title: "Conflict", status: 409, code: "payment_method_in_use" }), "fr");
    expect(screen.getByTestId("error-bar").textContent).toMatch(/^Cette carte paie la recharge automatique/);
  });

  it("a 429 with Retry-After is waited out and retried by the client", async () => {
    const token = await tokenFor("megan@contoso.example");
    const waits: number[] = [];
    let calls = 0;
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      if (calls === 1)
        return new Response(JSON.stringify({ type: "about:blank", title: "Too Many Requests", status: 429 }), {
          status: 429,
          headers: { "Retry-After": "2", "content-type": "application/problem+json" },
        });
      return realFetch(input, init);
    }) as typeof fetch;
    try {
      const throttled = new ApiClient({ baseUrl: url, getToken: async () => token, onThrottled: (s) => waits.push(s), sleep: async () => {} });
      const account = await throttled.get<AccountView>("/api/v1/account");
      expect(account.currency).toBe("USD");
      expect(waits).toEqual([2, 0]);
      expect(calls).toBe(2);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

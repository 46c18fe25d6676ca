/** Reading a whole ledger through the API, and checking it adds up. */
import { expect } from "vitest";
import type { LedgerEntryView } from "@cc/common";
import type { ApiClient } from "./http.js";

export async function wholeLedger(client: ApiClient): Promise<LedgerEntryView[]> {
  const entries: LedgerEntryView[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: LedgerEntryView[]; next: string | null } } = await client.get(`/api/v1/ledger?limit=1000${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    entries.push(...res.body.items);
    cursor = res.body.next;
  } while (cursor);
  return entries.reverse();
}

/** seq 1..n without a gap, each balanceAfter the running sum, and the account's balance the total. */
export async function expectExactLedger(client: ApiClient): Promise<LedgerEntryView[]> {
  const entries = await wholeLedger(client);
  let running = 0;
  entries.forEach((e, i) => {
    expect(e.seq).toBe(i + 1);
    running += e.amountMicros;
    expect(e.balanceAfterMicros).toBe(running);
    expect(Number.isSafeInteger(e.amountMicros)).toBe(true);
  });
  const account = await client.get("/api/v1/account");
  expect(account.body.balanceMicros).toBe(running);
  return entries;
}

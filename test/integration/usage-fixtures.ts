/** Tenants and call rows for the usage tests (not a test file itself). */
import { randomUUID } from "node:crypto";
import { DEMO_TENANTS, DirectoryRole, type DemoTenant, type PstnCallLogRow } from "@cc/common";
import type { ApiClient } from "../support/http.js";

/** A German tenant: one domestic-plan user in DE (a 1200-minute pool), pay-as-you-go, and a D&I user in the US. */
export const WOODGROVE: DemoTenant = {
  tenantId: "44444444-4444-4444-8444-444444444444",
  name: "woodgrove",
  displayName: "Woodgrove Bank",
  region: "DE",
  billingCountry: "DE",
  currency: "USD",
  users: [
    {
      id: "d4f0c0de-0000-4000-8000-000000000001",
      upn: "hanna@woodgrove.example",
      displayName: "Hanna Becker",
      roles: [DirectoryRole.BillingAdministrator],
      licensed: false,
      callingPlan: "none",
      usageLocation: "DE",
    },
    {
      id: "d4f0c0de-0000-4000-8000-000000000002",
      upn: "jonas@woodgrove.example",
      displayName: "Jonas Weber",
      roles: [],
      licensed: true,
      callingPlan: "domestic",
      usageLocation: "DE",
    },
    {
      id: "d4f0c0de-0000-4000-8000-000000000003",
      upn: "paula@woodgrove.example",
      displayName: "Paula Wolf",
      roles: [],
      licensed: true,
      callingPlan: "pay_as_you_go",
      usageLocation: "DE",
    },
    {
      id: "d4f0c0de-0000-4000-8000-000000000004",
      upn: "ian@woodgrove.example",
      displayName: "Ian Brooks",
      roles: [],
      licensed: true,
      callingPlan: "domestic_international",
      usageLocation: "US",
    },
  ],
};

/** An account in EUR: the USD rate card cannot rate it. */
export const TAILSPIN: DemoTenant = {
  tenantId: "55555555-5555-4555-8555-555555555555",
  name: "tailspin",
  displayName: "Tailspin Toys",
  region: "FR",
  billingCountry: "FR",
  currency: "EUR",
  users: [
    {
      id: "e5f0c0de-0000-4000-8000-000000000001",
      upn: "carla@tailspin.example",
      displayName: "Carla Moreau",
      roles: [DirectoryRole.BillingAdministrator],
      licensed: false,
      callingPlan: "none",
      usageLocation: "FR",
    },
  ],
};

export const USAGE_TENANTS: DemoTenant[] = [...DEMO_TENANTS, WOODGROVE, TAILSPIN];

const byUpn = new Map(USAGE_TENANTS.flatMap((t) => t.users.map((u) => [u.upn, u] as const)));
export const userId = (upn: string) => byUpn.get(upn)!.id;

/** A Graph pstnCallLogRow; `upn` fills userId, userPrincipalName and userDisplayName. */
export function call(opts: { upn?: string; callType?: string; to: string; seconds: number; start: string; inventoryType?: string; id?: string; from?: string }): PstnCallLogRow {
  const user = opts.upn ? byUpn.get(opts.upn) : undefined;
  const start = new Date(opts.start);
  return {
    id: opts.id ?? randomUUID(),
    callId: `${randomUUID()}@10.0.0.1`,
    userId: user?.id ?? "",
    userPrincipalName: user?.upn ?? null,
    userDisplayName: user?.displayName ?? null,
    startDateTime: start.toISOString(),
    endDateTime: new Date(start.getTime() + opts.seconds * 1000).toISOString(),
    duration: opts.seconds,
    callType: opts.callType ?? "user_out",
    calleeNumber: opts.to,
    callerNumber: opts.from ?? "+14255550123",
    inventoryType: opts.inventoryType ?? "Subscriber",
    charge: 0,
    currency: "USD",
  };
}

/** Every record of a range, following the cursor. */
export async function allRecords(client: ApiClient, from: string, to: string, limit = 1000): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: any[]; next: string | null } } = await client.get(
      `/api/v1/usage/records?from=${from}&to=${to}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    if (res.status !== 200) throw new Error(`records: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.next;
  } while (cursor);
  return items;
}

export async function ledgerEntries(client: ApiClient): Promise<any[]> {
  const res = await client.get("/api/v1/ledger?limit=1000");
  if (res.status !== 200) throw new Error(`ledger: ${res.status}`);
  return res.body.items;
}

export const sumOf = (items: any[], field: string) => items.reduce((a, r) => a + (r[field] as number), 0);

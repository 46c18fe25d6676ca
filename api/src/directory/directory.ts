/**
 * The organisation's directory as the domain needs it: users, their roles, usage location and
 * calling plan. Read through Microsoft Graph (GraphDirectory); the local world serves the same
 * Graph endpoints (local-graph-server.ts).
 */
import type { CallingPlan } from "@cc/common";

export interface DirectoryUser {
  id: string;
  upn: string;
  displayName: string;
  usageLocation: string;
  /** Role template ids of the user's directory roles. */
  roles: string[];
  callingPlan: CallingPlan;
  /** Entra `department` (spend by department); null when the directory has none. */
  department?: string | null;
}

export interface Directory {
  users(tenantId: string): Promise<DirectoryUser[]>;
}

/**
 * Calling plan by license SKU id (Graph `assignedLicenses[].skuId`). The first two are Microsoft's
 * published SKU ids for Teams Calling Plans; pay-as-you-go has no single public SKU id, so this one
 * is the demo directory's and real tenants map theirs with CALLING_PLAN_SKUS.
 */
export const CALLING_PLAN_SKUS: Record<string, CallingPlan> = {
  "0dab259f-bf13-4952-b7f8-7db8f131b28d": "domestic", // MCOPSTN1 — Domestic Calling Plan
  "d3b4fe1f-9992-4930-8acb-ca6ec609365e": "domestic_international", // MCOPSTN2 — Domestic and International
  "7a0b5ca9-a1f5-4f74-9fbc-3d0f0bf59f8e": "pay_as_you_go", // demo SKU for Pay-As-You-Go Calling Plan
};

const PLAN_RANK: Record<CallingPlan, number> = { none: 0, domestic: 1, pay_as_you_go: 2, domestic_international: 3 };

export function callingPlanOf(skuIds: readonly string[], skuTable: Record<string, CallingPlan> = CALLING_PLAN_SKUS): CallingPlan {
  return skuIds.map((id) => skuTable[id] ?? "none").reduce<CallingPlan>((best, plan) => (PLAN_RANK[plan] > PLAN_RANK[best] ? plan : best), "none");
}

export function skuOf(plan: CallingPlan): string | undefined {
  return Object.entries(CALLING_PLAN_SKUS).find(([, p]) => p === plan)?.[0];
}

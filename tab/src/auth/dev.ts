/**
 * Dev sign-in (AUTH_MODE=dev, plain browser): POST /api/dev/token {upn} for a demo user; the token
 * lives in sessionStorage so a reload keeps the user and a new browser tab starts signed out.
 */
import { DEMO_TENANTS, type DemoUser } from "@cc/common";
import type { CreditsApi } from "../api/credits";
import { DEV_SESSION_KEY as STORAGE_KEY, storedDevSession, type StoredDevSession } from "./dev-storage";
import { readTokenClaims } from "./jwt";
import type { Session } from "./session";

export interface DemoUserChoice extends DemoUser {
  tenantName: string;
}

export function demoUsers(): DemoUserChoice[] {
  return DEMO_TENANTS.flatMap((tenant) => tenant.users.map((user) => ({ ...user, tenantName: tenant.displayName })));
}

export async function devSignIn(api: CreditsApi, upn: string): Promise<Session> {
  const { token } = await api.devToken(upn);
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ upn, token } satisfies StoredDevSession));
  return devSession({ upn, token });
}

export function restoreDevSession(): Session | null {
  const stored = storedDevSession();
  if (stored) return devSession(stored);
  // Expired or unreadable: forget it.
  if (sessionStorage.getItem(STORAGE_KEY) !== null) devSignOut();
  return null;
}

export function devSignOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

function devSession({ upn, token }: StoredDevSession): Session {
  const claims = readTokenClaims(token);
  const demo = demoUsers().find((u) => u.upn === upn);
  return {
    kind: "dev",
    upn,
    displayName: claims.name ?? demo?.displayName ?? upn,
    tenantId: claims.tid ?? DEMO_TENANTS.find((t) => t.users.some((u) => u.upn === upn))?.tenantId ?? null,
    getToken: async () => token,
    tokenNow: () => token,
  };
}

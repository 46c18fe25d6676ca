/**
 * Dev sign-in (AUTH_MODE=dev, plain browser): POST /api/dev/token {upn} for a demo user; the token
 * lives in sessionStorage so a reload keeps the user and a new browser tab starts signed out.
 */
import { DEMO_TENANTS, type DemoUser } from "@cc/common";
import type { CreditsApi } from "../api/credits";
import { isExpired, readTokenClaims } from "./jwt";
import type { Session } from "./session";

const STORAGE_KEY = "cc.devSession";

interface StoredDevSession {
  upn: string;
  token: string;
}

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
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as StoredDevSession;
    if (typeof stored.token !== "string" || isExpired(readTokenClaims(stored.token))) {
      devSignOut();
      return null;
    }
    return devSession(stored);
  } catch {
    devSignOut();
    return null;
  }
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
  };
}

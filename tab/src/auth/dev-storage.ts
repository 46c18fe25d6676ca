/** Where the dev sign-in keeps its token (sessionStorage: a reload keeps it, a new browser tab starts signed out). */
import { isExpired, readTokenClaims } from "./jwt";

export const DEV_SESSION_KEY = "cc.devSession";

export interface StoredDevSession {
  upn: string;
  token: string;
}

/** The stored session while its token has not expired, else null (nothing is removed here). */
export function storedDevSession(): StoredDevSession | null {
  try {
    const raw = sessionStorage.getItem(DEV_SESSION_KEY);
    if (!raw) return null;
    const stored = JSON.parse(raw) as Partial<StoredDevSession>;
    if (typeof stored.token !== "string" || typeof stored.upn !== "string" || isExpired(readTokenClaims(stored.token))) return null;
    return { upn: stored.upn, token: stored.token };
  } catch {
    return null;
  }
}

export const storedDevToken = (): string | null => storedDevSession()?.token ?? null;

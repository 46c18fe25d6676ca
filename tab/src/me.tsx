/** The signed-in caller as the API sees them (GET /api/v1/me): the tab offers only what `can` allows. */
import { createContext, useContext, type ReactNode } from "react";
import type { MeAnswer } from "@cc/common";
import type { Session } from "./auth/session";

/** Someone whose /me has not answered yet: may do nothing. */
export function nobody(session?: Pick<Session, "upn" | "displayName">, locale = "en-US"): MeAnswer {
  return {
    tenantId: "",
    userId: "",
    upn: session?.upn ?? "",
    displayName: session?.displayName ?? "",
    roles: [],
    locale,
    can: { read: false, moveMoney: false, manageLicenses: false, manageNotifications: false, manageGuard: false },
  };
}

const MeContext = createContext<MeAnswer>(nobody());
/** A dev session (local sign-in): dev-only panels (the local Bot Connector's messages) show. */
const DevModeContext = createContext(false);

export function MeProvider({ me, devMode = false, children }: { me: MeAnswer; devMode?: boolean; children: ReactNode }) {
  return (
    <MeContext.Provider value={me}>
      <DevModeContext.Provider value={devMode}>{children}</DevModeContext.Provider>
    </MeContext.Provider>
  );
}

export function useMe(): MeAnswer {
  return useContext(MeContext);
}

export const useDevMode = () => useContext(DevModeContext);

/** Card payments: at least 50.00 unless the API says otherwise (API.md). */
export const DEFAULT_MIN_PAYMENT_MICROS = 50_000_000;

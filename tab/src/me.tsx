/** The signed-in caller as the API sees them (GET /api/v1/me): the tab offers only what `can` allows. */
import { createContext, useContext, type ReactNode } from "react";
import type { MeAnswer } from "@cc/common";

const NOBODY: MeAnswer = {
  tenantId: "",
  userId: "",
  upn: "",
  displayName: "",
  roles: [],
  locale: "en-US",
  can: { read: false, moveMoney: false, manageLicenses: false, manageNotifications: false, manageGuard: false },
};

const MeContext = createContext<MeAnswer>(NOBODY);

export function MeProvider({ me, children }: { me: MeAnswer; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

export function useMe(): MeAnswer {
  return useContext(MeContext);
}

/** Card payments: at least 50.00 unless the API says otherwise (API.md). */
export const DEFAULT_MIN_PAYMENT_MICROS = 50_000_000;

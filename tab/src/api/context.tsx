import { createContext, useContext, type ReactNode } from "react";
import type { CreditsApi } from "./credits";

const ApiContext = createContext<CreditsApi | null>(null);

export function ApiProvider({ api, children }: { api: CreditsApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): CreditsApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside <ApiProvider>");
  return api;
}

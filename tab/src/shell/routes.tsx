/**
 * The tab's pages as a routes table (react-router): the path, the navigation label, the page. Only
 * the overview is in the first bundle (it is what opens); the others load when first shown.
 */
import { lazy, type ComponentType } from "react";
import type { MessageKey } from "../i18n";
import { OverviewPage } from "../pages/OverviewPage";

const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) => lazy(() => load().then((m) => ({ default: m[name] })));

export interface Route {
  path: string;
  label: MessageKey;
  Page: ComponentType;
}

export const ROUTES: readonly Route[] = [
  { path: "overview", label: "navOverview", Page: OverviewPage },
  { path: "ledger", label: "navLedger", Page: page(() => import("../pages/LedgerPage"), "LedgerPage") },
  { path: "users", label: "navUsers", Page: page(() => import("../pages/UsersPage"), "UsersPage") },
  { path: "usage", label: "navUsage", Page: page(() => import("../pages/UsagePage"), "UsagePage") },
  { path: "rates", label: "navRates", Page: page(() => import("../pages/RatesPage"), "RatesPage") },
  { path: "notifications", label: "navNotifications", Page: page(() => import("../pages/NotificationsPage"), "NotificationsPage") },
  { path: "guard", label: "navGuard", Page: page(() => import("../pages/GuardPage"), "GuardPage") },
];

/** The route a Teams deep link (subPageId) or a path names, if any. */
export function routeOf(id: string | undefined): Route | undefined {
  const clean = (id ?? "").replace(/^#?\/?/, "").split(/[?&/]/)[0];
  return ROUTES.find((r) => r.path === clean);
}

/**
 * The first script index.html runs, a few kilobytes loaded beside the app's bundle: when a
 * signed-in dev session is already in this browser tab (a reload, a deep link to the overview), it
 * asks for /me and the account at once, so both answers are in before React renders and the first
 * render already shows the balance. Inside Teams the token comes later, from the SDK.
 * It also prepares the browser's number formats (below).
 */
import { storedDevToken } from "../auth/dev-storage";
import { startEarly } from "../api/early";
import { initialLanguage, languageHeader, localeOf } from "./language";
import { mayBeInTeams, opensOverview } from "./host";

const locale = localeOf(initialLanguage());
if (!mayBeInTeams() && opensOverview()) {
  const token = storedDevToken();
  if (token) startEarly(["/api/v1/me", "/api/v1/account"], token, languageHeader(locale));
}

// The page's first Intl number format costs tens of milliseconds (the browser loads its locale
// data); every later one, for any currency or locale, is almost free. Paid here, while the bundle
// is still on its way, instead of in the first render of the balance.
setTimeout(() => new Intl.NumberFormat(locale, { style: "currency", currency: "USD" }));

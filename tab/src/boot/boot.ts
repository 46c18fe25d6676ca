/**
 * The first script index.html runs, a few kilobytes loaded beside the app's bundle: when a
 * signed-in dev session is already in this browser tab (a reload, a deep link to the overview), it
 * asks for /me and the account at once, so both answers are in before React renders and the first
 * render already shows the balance. Inside Teams the token comes later, from the SDK.
 */
import { storedDevToken } from "../auth/dev-storage";
import { startEarly } from "../api/early";
import { initialLanguage, languageHeader, localeOf } from "./language";
import { mayBeInTeams, opensOverview } from "./host";

if (!mayBeInTeams() && opensOverview()) {
  const token = storedDevToken();
  if (token) startEarly(["/api/v1/me", "/api/v1/account"], token, languageHeader(localeOf(initialLanguage())));
}

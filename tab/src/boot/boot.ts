/**
 * The first script index.html runs, a few kilobytes loaded beside the app's bundle: when a
 * signed-in dev session is already in this browser tab (a reload, a deep link to the overview), it
 * asks the server for the overview's first frame, drawn with the answers to /me and the account
 * (first-frame/show.ts), and shows it while the bundle is still on its way. Inside Teams the token
 * comes later, from the SDK, and the app draws itself.
 * It also prepares the browser's number formats (below).
 */
import { storedDevToken } from "../auth/dev-storage";
import { askFirstFrame } from "../first-frame/show";
import { initialLanguage, languageHeader, localeOf } from "./language";
import { mayBeInTeams, opensOverview } from "./host";
import { savedTheme } from "./theme";

const locale = localeOf(initialLanguage());
const token = !mayBeInTeams() && opensOverview() ? storedDevToken() : null;
const frame = token ? askFirstFrame(token, savedTheme(), languageHeader(locale)) : Promise.resolve();

// The page's first Intl number format costs tens of milliseconds (the browser loads its locale
// data); every later one, for any currency or locale, is almost free. Paid while the bundle is
// still on its way, once the first frame (drawn by the server, no format needed) is shown,
// instead of in the app's first render.
void frame.then(() => setTimeout(() => new Intl.NumberFormat(locale, { style: "currency", currency: "USD" })));

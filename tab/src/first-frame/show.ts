/**
 * The first frame in the browser: the boot script asks the server to draw the overview
 * (GET /tab/first-frame, see render.tsx) while the app's bundle downloads, and shows it at once,
 * inert (nothing in it can be pressed or focused yet). The answers it was drawn from become the
 * boot script's answers (api/early.ts), so React's first render draws the same page and replaces
 * it in one go (React empties #root as it first draws there). A frame that comes after React has
 * started is never shown; a frame that cannot be had (no server bundle, a 401) changes nothing
 * but that /me and the account are then asked for as before.
 */
import type { AccountView, FirstFrame, FirstFrameInput, TabTheme } from "@cc/common";
import { bootShared, knownEarly, startEarly } from "../api/early";

type Answer = FirstFrame & { me: FirstFrameInput["me"]; account?: AccountView };

/** `language`: the Accept-Language of the tab's language, in which the server draws too. */
export function askFirstFrame(token: string, theme: TabTheme, language: string): Promise<void> {
  const headers = { Accept: "application/json", Authorization: `Bearer ${token}`, "Accept-Language": language };
  bootShared.frame = fetch(`/tab/first-frame?${new URLSearchParams({ theme })}`, { headers })
    .then(async (response) => {
      if (!response.ok) throw new Error(`first frame: ${response.status}`);
      const answer = (await response.json()) as Answer;
      const root = document.getElementById("root");
      if (bootShared.takenOver || !root || root.firstChild) return;
      knownEarly("/api/v1/me", answer.me, token, language);
      if (answer.account) knownEarly("/api/v1/account", answer.account, token, language);
      root.innerHTML = `<div data-first-frame inert>${answer.css}${answer.html}</div>`;
    })
    .catch(() => {
      if (!bootShared.takenOver) startEarly(["/api/v1/me", "/api/v1/account"], token, language);
    });
  return bootShared.frame;
}

/**
 * Called by the app before its first render: waits, at most `ms`, for a first frame under way to
 * be shown (so React draws over it rather than beside it); after this no frame is shown.
 */
export async function firstFrameSettled(ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([bootShared.frame, new Promise<void>((ok) => (timer = setTimeout(ok, ms)))]);
  clearTimeout(timer);
  bootShared.takenOver = true;
}

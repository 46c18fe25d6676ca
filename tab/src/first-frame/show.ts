/**
 * The first frame in the browser: the boot script asks the server to draw the overview
 * (GET /tab/first-frame, see render.tsx) while the app's bundle downloads, and shows it at once,
 * inert (nothing in it can be pressed or focused yet). The answers it was drawn from are handed to
 * the app (`bootAnswers`), whose query cache is hydrated with them (api/queries.ts,
 * `hydrateFromBoot`), so React's first render draws the same page and replaces it in one go (React
 * empties #root as it first draws there). A frame that comes after React has started is never
 * shown; a frame that cannot be had (no server bundle, a 401) changes nothing but that /me and the
 * account are then asked for at once, and the app's queries take those requests under way.
 */
import type { AccountView, FirstFrame, FirstFrameInput, TabTheme } from "@cc/common";

type Answer = FirstFrame & { me: FirstFrameInput["me"]; account?: AccountView };

/** An answer the boot script has or is getting, for the token and language it was asked with. */
export interface BootAnswer {
  at: number;
  token: string;
  language: string;
  /** The body of a 2xx answer; undefined when it failed (the app then asks itself). */
  body: Promise<unknown>;
  /** The body once it has arrived (2xx), so the app's first render can draw with it. */
  arrived?: { value: unknown };
}

/**
 * The boot script runs inline in index.html (so that it asks before any script is downloaded) and
 * the app's bundle carries its own copy of this module: what they share lives on one global.
 */
interface BootShared {
  /** By API path: "/api/v1/me", "/api/v1/account". */
  answers: Map<string, BootAnswer>;
  /** The first frame asked for: settled once shown or given up. */
  frame: Promise<void>;
  /** The app has started drawing: no first frame is shown any more. */
  takenOver: boolean;
}

const shared: BootShared = ((globalThis as { __ccBoot?: BootShared }).__ccBoot ??= { answers: new Map(), frame: Promise.resolve(), takenOver: false });

/** The answers the boot script holds or is getting, by path (the app hydrates its query cache with them). */
export function bootAnswers(): Map<string, BootAnswer> {
  return shared.answers;
}

function ask(path: string, token: string, language: string): void {
  const headers = { Accept: "application/json, application/problem+json", Authorization: `Bearer ${token}`, "Accept-Language": language };
  const answer: BootAnswer = { at: Date.now(), token, language, body: Promise.resolve(undefined) };
  answer.body = fetch(path, { headers })
    .then(async (response) => {
      if (!response.ok) return undefined;
      const value: unknown = await response.json();
      answer.arrived = { value };
      return value;
    })
    .catch(() => undefined); // the app asks again and reports it
  shared.answers.set(path, answer);
}

/** `language`: the Accept-Language of the tab's language, in which the server draws too. */
export function askFirstFrame(token: string, theme: TabTheme, language: string): Promise<void> {
  const headers = { Accept: "application/json", Authorization: `Bearer ${token}`, "Accept-Language": language };
  const known = (path: string, value: unknown) => shared.answers.set(path, { at: Date.now(), token, language, body: Promise.resolve(value), arrived: { value } });
  shared.frame = fetch(`/tab/first-frame?${new URLSearchParams({ theme })}`, { headers })
    .then(async (response) => {
      if (!response.ok) throw new Error(`first frame: ${response.status}`);
      const answer = (await response.json()) as Answer;
      const root = document.getElementById("root");
      if (shared.takenOver || !root || root.firstChild) return;
      known("/api/v1/me", answer.me);
      if (answer.account) known("/api/v1/account", answer.account);
      root.innerHTML = `<div data-first-frame inert>${answer.css}${answer.html}</div>`;
    })
    .catch(() => {
      if (shared.takenOver) return;
      ask("/api/v1/me", token, language);
      ask("/api/v1/account", token, language);
    });
  return shared.frame;
}

/**
 * Called by the app before its first render: waits, at most `ms`, for a first frame under way to
 * be shown (so React draws over it rather than beside it); after this no frame is shown.
 */
export async function firstFrameSettled(ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([shared.frame, new Promise<void>((ok) => (timer = setTimeout(ok, ms)))]);
  clearTimeout(timer);
  shared.takenOver = true;
}

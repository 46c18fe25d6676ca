/**
 * Reads started before React renders (boot/boot.ts): when a signed-in session is already in the
 * browser (a reload, a deep link), /me and the account are asked for as soon as the page starts, in
 * parallel with the app's bundle. When an answer is already in as the app first renders, the render
 * uses it (`peekEarly`); otherwise the ApiClient takes the request under way (`takeEarly`) instead
 * of asking again. An answer is used once, and only while fresh; a different token or language
 * never sees it.
 */
const FRESH_MS = 10_000;

interface Early {
  at: number;
  key: string;
  answer: Promise<Response>;
  /** The parsed body of a 2xx answer, once it has arrived. */
  body?: { value: unknown };
  /** A render used the body: the request is not handed to the client any more. */
  peeked?: boolean;
}

/**
 * The boot script runs inline in index.html (so that it asks before any script is downloaded) and
 * the app's bundle carries its own copy of this module: what they share lives on one global.
 */
interface BootShared {
  started: Map<string, Early>;
  /** The first frame asked for (first-frame/show.ts): settled once shown or given up. */
  frame: Promise<void>;
  /** The app has started drawing: no first frame is shown any more. */
  takenOver: boolean;
}

export const bootShared: BootShared = ((globalThis as { __ccBoot?: BootShared }).__ccBoot ??= { started: new Map(), frame: Promise.resolve(), takenOver: false });
const { started } = bootShared;

const keyOf = (token: string, language: string) => `${token}\n${language}`;

export function startEarly(paths: string[], token: string, language: string): void {
  for (const path of paths) {
    const answer = fetch(path, { headers: { Accept: "application/json, application/problem+json", Authorization: `Bearer ${token}`, "Accept-Language": language } });
    const early: Early = { at: Date.now(), key: keyOf(token, language), answer };
    // The client may still take the response itself: read a copy.
    answer
      .then(async (response) => {
        if (response.ok) early.body = { value: await response.clone().json() };
      })
      .catch(() => undefined); // the client asks again and reports it
    started.set(path, early);
  }
}

/** An answer the boot script already holds (the first frame's): used as if it had been asked for. */
export function knownEarly(path: string, value: unknown, token: string, language: string): void {
  const answer = Promise.resolve(new Response(JSON.stringify(value), { status: 200, headers: { "content-type": "application/json; charset=utf-8" } }));
  started.set(path, { at: Date.now(), key: keyOf(token, language), answer, body: { value } });
}

const usable = (early: Early, token: string | null, language: string | undefined) =>
  token !== null && early.key === keyOf(token, language ?? "") && Date.now() - early.at <= FRESH_MS;

/** The early answer for a GET of `path` by this token and language, once (never one a render already used). */
export function takeEarly(path: string, token: string | null, language: string | undefined): Promise<Response> | undefined {
  const early = started.get(path);
  if (!early) return undefined;
  started.delete(path);
  return !early.peeked && usable(early, token, language) ? early.answer : undefined;
}

/**
 * The early answer's body when it has already arrived (2xx) for this token and language, else
 * undefined (the request stays for takeEarly). Asking again answers the same body (React may run a
 * state initialiser twice); the next takeEarly of the path asks the server afresh.
 */
export function peekEarly<T>(path: string, token: string | null, language: string | undefined): T | undefined {
  const early = started.get(path);
  if (!early?.body || !usable(early, token, language)) return undefined;
  early.peeked = true;
  return early.body.value as T;
}

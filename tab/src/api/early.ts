/**
 * Reads started before React renders: when a signed-in session is already in the browser (a
 * reload, a deep link), /me and the account are asked for as soon as the script runs, in parallel,
 * and the ApiClient takes those answers instead of asking again. An answer is taken once, and only
 * while fresh; a different token or language never sees it.
 */
const FRESH_MS = 10_000;

interface Early {
  at: number;
  key: string;
  answer: Promise<Response>;
}

const started = new Map<string, Early>();

const keyOf = (token: string, language: string) => `${token}\n${language}`;

export function startEarly(paths: string[], token: string, language: string): void {
  for (const path of paths) {
    const answer = fetch(path, { headers: { Accept: "application/json, application/problem+json", Authorization: `Bearer ${token}`, "Accept-Language": language } });
    answer.catch(() => undefined); // the client asks again and reports it
    started.set(path, { at: Date.now(), key: keyOf(token, language), answer });
  }
}

/** The early answer for a GET of `path` by this token and language, once. */
export function takeEarly(path: string, token: string | null, language: string | undefined): Promise<Response> | undefined {
  const early = started.get(path);
  if (!early) return undefined;
  started.delete(path);
  if (!token || early.key !== keyOf(token, language ?? "") || Date.now() - early.at > FRESH_MS) return undefined;
  return early.answer;
}

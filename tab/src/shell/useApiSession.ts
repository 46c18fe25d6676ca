/**
 * The API client and the query cache of one tab. The client reads the session's token and the
 * language at request time (refs set during render, so the pages' first requests, whose effects
 * run before the shell's, already see a new session). The cache is seeded with what the page opened
 * with: the server's first frame (`initial`), or hydrated with the boot script's answers.
 */
import { useMemo, useRef, useState } from "react";
import type { FirstFrameInput } from "@cc/common";
import { ApiClient } from "../api/client";
import { creditsApi } from "../api/credits";
import { hydrateFromBoot, makeQueryClient, seedQueries } from "../api/queries";
import { bootAnswers } from "../first-frame/show";
import type { Session } from "../auth/session";
import { languageHeader } from "../boot/language";

export function useApiSession(initial: FirstFrameInput | undefined, session: Session | null, locale: string, onUnauthorized: () => void) {
  const [throttled, setThrottled] = useState(0);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const localeRef = useRef(locale);
  localeRef.current = locale;
  const unauthorizedRef = useRef(onUnauthorized);
  unauthorizedRef.current = onUnauthorized;

  const { api, queryClient } = useMemo(() => {
    const api = creditsApi(
      new ApiClient({
        getToken: async () => (sessionRef.current ? sessionRef.current.getToken() : null),
        language: () => languageHeader(localeRef.current),
        onThrottled: setThrottled,
        onUnauthorized: () => unauthorizedRef.current(),
      }),
    );
    const queryClient = makeQueryClient();
    if (initial) seedQueries(queryClient, { me: initial.me, account: initial.account });
    else if (sessionRef.current) hydrateFromBoot(queryClient, api, bootAnswers(), { token: sessionRef.current.tokenNow?.() ?? null, language: languageHeader(localeRef.current) });
    return { api, queryClient };
    // Built once per tab: the refs carry what changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- built once; the refs carry the session and language
  }, []);

  return { api, queryClient, throttled };
}

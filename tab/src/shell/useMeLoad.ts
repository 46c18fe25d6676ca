/**
 * Who is signed in and what they may do (GET /me), asked once per session. When the page opened
 * with /me already in (the server's first frame or the boot script's read of a reload), it is not
 * asked again. On the overview, the account is asked for at the same time as /me, not after it.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { keys, useMeQuery } from "../api/queries";
import { useApi } from "../api/context";

export function useMeLoad(signedIn: boolean, onOverview: boolean) {
  const api = useApi();
  const client = useQueryClient();
  // Seeded before the first render (seedQueries): the /me the page opened with, if any.
  const openedWithMe = useRef(client.getQueryData(keys.me));
  const me = useMeQuery(signedIn);
  const asked = me.fetchStatus === "fetching" && !me.data;
  useEffect(() => {
    if (asked && onOverview) void client.prefetchQuery({ queryKey: keys.account, queryFn: () => api.account() });
  }, [asked, onOverview, client, api]);
  return { me, openedWithMe: openedWithMe.current };
}

/**
 * Every rated call of the period, page after page (newest first), up to MAX_CALLS, as one infinite
 * query: the next page is asked for as soon as one arrives; a new period is a new query.
 */
import { useEffect } from "react";
import type { RatedCallView } from "@cc/common";
import type { ApiError } from "../../api/client";
import type { UsageRange } from "../../api/credits";
import { keys, usePagedQuery } from "../../api/queries";

/** The per-call list loads up to this many calls; the export has them all. */
export const MAX_CALLS = 50_000;
const RECORDS_PAGE = 1000;

export function useAllCalls(range: UsageRange): { items: RatedCallView[]; done: boolean; capped: boolean; error: ApiError | undefined; retry: () => void } {
  const calls = usePagedQuery(keys.usageRecords(range), (api, cursor) => api.usageRecords(range, RECORDS_PAGE, cursor));
  const more = calls.hasNextPage && calls.items.length < MAX_CALLS;
  const { isFetchingNextPage, isFetching, error, fetchNextPage } = calls;
  useEffect(() => {
    if (more && !isFetching && !error) void fetchNextPage();
  }, [more, isFetching, error, fetchNextPage]);
  const done = !calls.isPending && !more && !isFetchingNextPage;
  return {
    items: calls.items.slice(0, MAX_CALLS),
    done: done || Boolean(error),
    capped: done && (calls.hasNextPage || calls.items.length > MAX_CALLS),
    // Old rows never sit under an error: the error replaces them.
    error: error ?? undefined,
    retry: () => void calls.refetch(),
  };
}

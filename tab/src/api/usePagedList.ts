import type { Page } from "@cc/common";
import { useCallback, useEffect, useState } from "react";
import type { ApiError } from "./client";
import { toApiError } from "./useResource";

/** A cursor-paged list ({ items, next }): the first page on mount, `load(next)` appends, `load(null)` starts over. */
export function usePagedList<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();

  const load = useCallback(
    async (cursor: string | null) => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await fetchPage(cursor);
        setItems((shown) => (cursor ? [...shown, ...page.items] : page.items));
        setNext(page.next);
      } catch (err) {
        setError(toApiError(err));
      } finally {
        setLoading(false);
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return { items, next, loading, error, load };
}

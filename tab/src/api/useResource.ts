import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "./client";

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): Promise<void>;
  /** Replace the data with a value the API just answered (e.g. the account after a PUT). */
  set(value: T): void;
  /** Change the data in place (no-op until loaded), e.g. for an optimistic update. */
  update(change: (value: T) => T): void;
}

/**
 * Loads once per change of `deps`, keeps the last answer, and ignores answers that arrive late.
 * `initial`: an answer already in hand at the first render (the boot script's); then the first load is skipped.
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[] = [], initial?: () => T | undefined): Resource<T> {
  const [data, setData] = useState<T | undefined>(() => initial?.());
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(data === undefined);
  const generation = useRef(0);
  const skipFirstLoad = useRef(data !== undefined);

  // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the load depends on (`deps`), as with useEffect
  const run = useCallback(load, deps);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await run();
      if (mine !== generation.current) return;
      setData(value);
      setError(undefined);
    } catch (err) {
      if (mine !== generation.current) return;
      setError(toApiError(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [run]);

  useEffect(() => {
    if (skipFirstLoad.current) {
      skipFirstLoad.current = false;
      return;
    }
    void reload();
  }, [reload]);

  const update = useCallback((change: (value: T) => T) => setData((value) => (value === undefined ? value : change(value))), []);

  return { data, error, loading, reload, set: setData, update };
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError({ type: "about:blank", title: "Something went wrong", status: 0, detail: err instanceof Error ? err.message : String(err) });
}

/**
 * The one way a read shows its state: a skeleton while the first answer is on the way, the error
 * in words with Retry (old data never sits under an error: the error replaces it), else the page
 * drawn from the data.
 */
import type { ReactNode } from "react";
import type { ApiError } from "../api/client";
import { ErrorBar } from "./ErrorBar";
import { ListSkeleton } from "./Skeletons";

interface QueryLike<T> {
  data: T | undefined;
  error: ApiError | null;
  isPending: boolean;
  refetch: () => unknown;
}

export function QueryView<T>({ query, skeleton, children }: { query: QueryLike<T>; skeleton?: ReactNode; children: (data: T) => ReactNode }) {
  if (query.error) return <ErrorBar error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data === undefined) return query.isPending ? <>{skeleton ?? <ListSkeleton />}</> : null;
  return <>{children(query.data)}</>;
}

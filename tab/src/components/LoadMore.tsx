import { Button } from "@fluentui/react-components";
import { useI18n } from "../i18n";
import { Loading } from "./Loading";
import { ListSkeleton } from "./Skeletons";

/**
 * The foot of a paged list: rows of skeleton while the first page loads (the list's own height, so
 * nothing jumps), a spinner while a further page loads, then "Load more" while there is a next page.
 */
export function LoadMore({ loading, next, onLoad, testId, count }: { loading: boolean; next: string | null; onLoad: (cursor: string) => void; testId: string; count: number }) {
  const { t } = useI18n();
  if (loading && count === 0) return <ListSkeleton />;
  if (loading) return <Loading label={t("loading")} />;
  if (!next) return null;
  return (
    <Button onClick={() => onLoad(next)} data-testid={testId}>
      {t("loadMore")}
    </Button>
  );
}

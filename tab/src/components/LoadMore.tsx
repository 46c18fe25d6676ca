import { Button } from "@fluentui/react-components";
import { Loading } from "./Loading";

/** The foot of a paged list: a spinner while a page loads, then "Load more" while there is a next page. */
export function LoadMore({ loading, next, onLoad, testId }: { loading: boolean; next: string | null; onLoad: (cursor: string) => void; testId: string }) {
  if (loading) return <Loading />;
  if (!next) return null;
  return (
    <Button onClick={() => onLoad(next)} data-testid={testId}>
      Load more
    </Button>
  );
}

// Under a list the server pages: "Show more" appends the next page while more remain, with the
// reason if that page failed to load. The note above the list says it was cut short.
import { Button } from "@fluentui/react-components";
import { ErrorBar } from "./error-bar.js";

export function ShowMore({
  pages,
  testId,
}: {
  pages: { hasMore: boolean; loadingMore: boolean; moreError?: Error; loadMore(): void };
  testId: string;
}) {
  return (
    <>
      {pages.moreError ? <ErrorBar error={pages.moreError} /> : null}
      {pages.hasMore ? (
        <Button onClick={pages.loadMore} disabled={pages.loadingMore} data-testid={testId}>
          {pages.loadingMore ? "Loading…" : "Show more"}
        </Button>
      ) : null}
    </>
  );
}

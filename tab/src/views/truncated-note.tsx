// Said above a list the server cut short (its `truncated` flag): the rest exist but are not shown,
// so the reader narrows the filters rather than trusting the list as the whole of it.
import { MessageBar, MessageBarBody } from "@fluentui/react-components";

export function TruncatedNote({ truncated, limit }: { truncated: boolean; limit: number }) {
  if (!truncated) return null;
  return (
    <MessageBar intent="info" data-testid="list-truncated">
      <MessageBarBody>Showing the first {limit}: narrow the filters</MessageBarBody>
    </MessageBar>
  );
}

import { MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { ApiError, StepUpRequiredError } from "../api-client.js";

/** Says plainly why something could not be shown; the step-up prompt covers MFA separately. */
export function ErrorBar({ error }: { error: Error }) {
  if (error instanceof StepUpRequiredError) return null;
  let title = "Something went wrong";
  let text = "Keepsafe could not load this. Try again, and tell your DSL if it keeps happening.";
  if (error instanceof ApiError) {
    if (error.status === 403) title = "You do not have access to this";
    else if (error.status === 404) title = "Not found";
    else if (error.status === 429) title = "Too many requests";
    text = error.message;
  }
  return (
    <MessageBar intent="error" data-testid="error-bar">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {text}
      </MessageBarBody>
    </MessageBar>
  );
}

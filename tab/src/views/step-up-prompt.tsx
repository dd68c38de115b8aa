// Shown when the API wants a second sign-in step (MFA) before it shows records.
import { useState } from "react";
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";

export const STEP_UP_MESSAGE = "Your role needs a second sign-in step (MFA) to see records";

export function StepUpPrompt({ onSignIn }: { onSignIn(): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const signIn = async () => {
    setBusy(true);
    setFailed(false);
    try {
      await onSignIn();
    } catch {
      // The popup was closed or sign-in failed; the user can simply try again.
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="step-up-prompt">
      <MessageBarBody>
        <MessageBarTitle>{STEP_UP_MESSAGE}</MessageBarTitle>
        {failed ? "Sign-in did not finish. Try again." : "Sign in again with your authenticator app or security key."}
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" onClick={signIn} disabled={busy} data-testid="step-up-button">
          {busy ? "Waiting for sign-in…" : "Sign in"}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

// The page inside the "Record a concern" dialog: the API context (with the MFA step-up prompt,
// for DSLs) around the form.
import { useCallback, useMemo, useState } from "react";
import { makeStyles, tokens } from "@fluentui/react-components";
import { ApiContext, type ApiContextValue } from "./api-context.js";
import type { ApiClient, StepUpRequiredError } from "./api-client.js";
import { RecordConcernDialog } from "./views/record-concern-dialog.js";
import { StepUpPrompt } from "./views/step-up-prompt.js";
import type { BearerChallenge } from "./www-authenticate.js";

const useStyles = makeStyles({ page: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground1 } });

export function DialogShell({ api, stepUp }: { api: ApiClient; stepUp(challenge: BearerChallenge): Promise<void> }) {
  const styles = useStyles();
  const [challenge, setChallenge] = useState<BearerChallenge>();
  const [generation, setGeneration] = useState(0);
  const onStepUpRequired = useCallback((error: StepUpRequiredError) => setChallenge(error.challenge), []);
  const value = useMemo<ApiContextValue>(() => ({ api, onStepUpRequired }), [api, onStepUpRequired]);
  const signIn = async () => {
    if (!challenge) return;
    await stepUp(challenge);
    setChallenge(undefined);
    setGeneration((n) => n + 1);
  };
  return (
    <ApiContext.Provider value={value}>
      <div className={styles.page}>
        {challenge ? <StepUpPrompt onSignIn={signIn} /> : <RecordConcernDialog key={generation} />}
      </div>
    </ApiContext.Provider>
  );
}

// The page inside the "Record a concern" dialog: the API context (with the MFA step-up prompt,
// for DSLs) around the form.
import { makeStyles, tokens } from "@fluentui/react-components";
import { ApiContext, useStepUpShell } from "./api-context.js";
import type { ApiClient } from "./api-client.js";
import { RecordConcernDialog } from "./views/record-concern-dialog.js";
import { StepUpPrompt } from "./views/step-up-prompt.js";
import type { BearerChallenge } from "./www-authenticate.js";

const useStyles = makeStyles({ page: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground1 } });

export function DialogShell({ api, stepUp }: { api: ApiClient; stepUp(challenge: BearerChallenge): Promise<void> }) {
  const styles = useStyles();
  const { apiContext, challenge, generation, signIn } = useStepUpShell(api, stepUp);
  return (
    <ApiContext.Provider value={apiContext}>
      <div className={styles.page}>{challenge ? <StepUpPrompt onSignIn={signIn} /> : <RecordConcernDialog key={generation} />}</div>
    </ApiContext.Provider>
  );
}

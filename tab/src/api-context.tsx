// Gives views the API client, and one place to send a step-up challenge so the
// whole tab (not just one view) can ask for the second sign-in step.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type DependencyList } from "react";
import { ApiClient, StepUpRequiredError } from "./api-client.js";
import type { BearerChallenge } from "./www-authenticate.js";

export interface ApiContextValue {
  api: ApiClient;
  onStepUpRequired(error: StepUpRequiredError): void;
}

export const ApiContext = createContext<ApiContextValue | undefined>(undefined);

/**
 * For a shell (the tab, the dialog): the context to provide, the challenge to answer if a call met
 * one, and `signIn`, which runs the step-up and bumps `generation` so every view (keyed on it)
 * loads again with the new token.
 */
export function useStepUpShell(api: ApiClient, stepUp: (challenge: BearerChallenge) => Promise<void>) {
  const [challenge, setChallenge] = useState<BearerChallenge>();
  const [generation, setGeneration] = useState(0);
  const onStepUpRequired = useCallback((error: StepUpRequiredError) => setChallenge(error.challenge), []);
  const apiContext = useMemo<ApiContextValue>(() => ({ api, onStepUpRequired }), [api, onStepUpRequired]);
  const signIn = async () => {
    if (!challenge) return;
    await stepUp(challenge);
    setChallenge(undefined);
    setGeneration((n) => n + 1);
  };
  return { apiContext, challenge, generation, signIn };
}

export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error("useApi outside ApiContext");
  return value;
}

export interface LoadState<T> {
  data?: T;
  error?: Error;
  loading: boolean;
}

/** Runs `load` when `deps` change, cancels the previous run, and routes step-up challenges up. */
export function useLoad<T>(load: (api: ApiClient, signal: AbortSignal) => Promise<T>, deps: DependencyList): LoadState<T> {
  const { api, onStepUpRequired } = useApi();
  const [state, setState] = useState<LoadState<T>>({ loading: true });
  useEffect(() => {
    const controller = new AbortController();
    setState({ loading: true });
    load(api, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ error: reported(error, onStepUpRequired), loading: false });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- callers list what their load depends on
  }, [api, ...deps]);
  return state;
}

/**
 * Runs a call the person started (a click, a submit): `busy` while it runs, and `error` if it
 * failed, with a step-up challenge routed up. `attempt` resolves to undefined on failure.
 */
export function useAttempt() {
  const { api, onStepUpRequired } = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const attempt = useCallback(
    async <T,>(call: (api: ApiClient) => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        return await call(api);
      } catch (caught) {
        setError(reported(caught, onStepUpRequired));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [api, onStepUpRequired],
  );
  return { attempt, busy, error };
}

/** What a call threw, as an Error to show; an MFA challenge is also sent up to the shell. */
function reported(error: unknown, onStepUpRequired: ApiContextValue["onStepUpRequired"]): Error {
  if (error instanceof StepUpRequiredError) onStepUpRequired(error);
  return error instanceof Error ? error : new Error(String(error));
}

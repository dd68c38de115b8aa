// Gives views the API client, and one place to send a step-up challenge so the
// whole tab (not just one view) can ask for the second sign-in step.
import { createContext, useContext, useEffect, useState, type DependencyList } from "react";
import { ApiClient, StepUpRequiredError } from "./api-client.js";

export interface ApiContextValue {
  api: ApiClient;
  onStepUpRequired(error: StepUpRequiredError): void;
}

export const ApiContext = createContext<ApiContextValue | undefined>(undefined);

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
      (data) => { if (!controller.signal.aborted) setState({ data, loading: false }); },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof StepUpRequiredError) onStepUpRequired(error);
        setState({ error: error instanceof Error ? error : new Error(String(error)), loading: false });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- callers list what their load depends on
  }, [api, ...deps]);
  return state;
}

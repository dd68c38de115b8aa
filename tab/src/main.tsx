// Entry point of the Keepsafe tab: connect to the Teams host, then render.
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { FluentProvider, MessageBar, MessageBarBody, MessageBarTitle, Spinner } from "@fluentui/react-components";
import { app } from "@microsoft/teams-js";
import { ApiClient } from "./api-client.js";
import { pupilIdFromUrl } from "./chronology-filters.js";
import { App, type Route } from "./app.js";
import { DialogShell } from "./dialog-shell.js";
import {
  NOT_IN_TEAMS_MESSAGE,
  NotInTeamsError,
  incidentIdFromSubPage,
  pupilIdFromSubPage,
  startTeamsSession,
  type TeamsSession,
} from "./teams-session.js";
import { fluentThemeFor } from "./theme.js";

type Boot = { state: "starting" } | { state: "failed"; message: string } | { state: "ready"; session: TeamsSession; api: ApiClient; route: Route };

/** The same page runs the tab and, opened by the tab's "Record a concern" button, the form's dialog. */
const isRecordConcernDialog = new URLSearchParams(window.location.search).get("view") === "record-concern";

const isReportLink = new URLSearchParams(window.location.search).get("view") === "reports";
// A chronology link (with its filters) opens on that pupil; the server still decides what it shows.
const sharedPupilId = pupilIdFromUrl(window.location.search);

function Root() {
  const [boot, setBoot] = useState<Boot>({ state: "starting" });
  const [theme, setTheme] = useState<string | undefined>();

  useEffect(() => {
    startTeamsSession(window.location).then(
      (session) => {
        setTheme(session.context.app.theme);
        app.registerOnThemeChangeHandler(setTheme);
        const incidentId = incidentIdFromSubPage(session.context.page.subPageId);
        const linkedPupilId = pupilIdFromSubPage(session.context.page.subPageId) ?? sharedPupilId;
        setBoot({
          state: "ready",
          session,
          api: new ApiClient({ getToken: session.getToken }),
          // A shared report link opens on the report it names (its filters are in the same query).
          route: incidentId
            ? { view: "incident", incidentId }
            : isReportLink
              ? { view: "reports" }
              : linkedPupilId
                ? { view: "pupil", pupilId: linkedPupilId }
                : { view: "search" },
        });
      },
      (error: unknown) => {
        // No pupil data is involved here, so the reason is safe to log for whoever is setting up.
        console.warn("Keepsafe tab could not start:", error instanceof Error ? error.message : error);
        setBoot({
          state: "failed",
          message: error instanceof NotInTeamsError ? NOT_IN_TEAMS_MESSAGE : "Keepsafe could not start. Close the tab and open it again.",
        });
      },
    );
  }, []);

  return (
    <FluentProvider theme={fluentThemeFor(theme)} style={{ minHeight: "100vh" }}>
      {boot.state === "starting" ? <Spinner label="Opening Keepsafe…" style={{ paddingTop: "20vh" }} /> : null}
      {boot.state === "failed" ? (
        <MessageBar intent="error" data-testid="startup-error" style={{ margin: "24px" }}>
          <MessageBarBody>
            <MessageBarTitle>Keepsafe</MessageBarTitle>
            {boot.message}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {boot.state === "ready" && isRecordConcernDialog ? <DialogShell api={boot.api} stepUp={boot.session.stepUp} /> : null}
      {boot.state === "ready" && !isRecordConcernDialog ? <App api={boot.api} initialRoute={boot.route} stepUp={boot.session.stepUp} /> : null}
    </FluentProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

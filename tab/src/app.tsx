// The tab's shell: header with who is signed in and "Hide screen", pupil search,
// and whichever record is open (a pupil's chronology or one incident).
import { useEffect, useState } from "react";
import { Button, Caption1, Divider, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, ArrowLeftRegular, DataBarVerticalRegular, EyeOffRegular, HistoryRegular, TaskListLtrRegular } from "@fluentui/react-icons";
import { dialog } from "@microsoft/teams-js";
import { ApiContext, useLoad, useStepUpShell } from "./api-context.js";
import type { ApiClient } from "./api-client.js";
import { ChronologyView } from "./views/chronology-view.js";
import { IncidentView } from "./views/incident-view.js";
import { PrivacyCover, usePrivacyScreen } from "./views/privacy-screen.js";
import { PupilSearch } from "./views/pupil-search.js";
import { MyConcerns } from "./views/my-concerns.js";
import { AuditTrailView, type AuditSubject } from "./views/audit-trail.js";
import { canExportChronology, canOpenReports, canOpenSubjectAccess, canRecordCaseEntry, canViewAuditTrail } from "../../src/domain/policy/index.js";
import { AddToChronology } from "./views/add-to-chronology.js";
import type { MeView } from "../../src/contract/views.js";
import { ReportsView } from "./views/reports-view.js";
import { HomeListView, HomeView } from "./views/home-view.js";
import { MyActions } from "./views/my-actions.js";
import type { HomeListId } from "../../src/contract/requests.js";
import { SubjectAccessView } from "./views/subject-access-view.js";
import { GovernorsSummaryView } from "./views/governors-summary-view.js";
import { StepUpPrompt } from "./views/step-up-prompt.js";
import type { BearerChallenge } from "./www-authenticate.js";

export type Route =
  | { view: "search" }
  | { view: "pupil"; pupilId: string }
  | { view: "reports" }
  | { view: "home-list"; list: HomeListId }
  | { view: "my-actions" }
  | { view: "subject-access" }
  | { view: "incident"; incidentId: string; back?: Route; focusActions?: { actionId?: string } }
  | { view: "audit"; subject: AuditSubject; back: Route };

const useStyles = makeStyles({
  page: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1 },
  header: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    flexWrap: "wrap",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  who: { marginLeft: "auto", color: tokens.colorNeutralForeground3 },
  main: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalXL,
    maxWidth: "1100px",
  },
  panel: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow2,
  },
});

export interface AppProps {
  api: ApiClient;
  initialRoute: Route;
  stepUp(challenge: BearerChallenge): Promise<void>;
}

export function App({ api, initialRoute, stepUp }: AppProps) {
  const styles = useStyles();
  const [me, setMe] = useState<MeView>();
  const privacy = usePrivacyScreen(me?.idleHideMinutes);
  const [route, setRoute] = useState<Route>(initialRoute);
  const mayAudit = !!me && canViewAuditTrail(me);
  const mayAddToChronology = !!me && canRecordCaseEntry(me);
  // Read the chronology again after an entry is added (a new key remounts it at its first page).
  const [chronologyVersion, setChronologyVersion] = useState(0);
  const reloadChronology = () => setChronologyVersion((v) => v + 1);
  const { apiContext, challenge, generation, signIn } = useStepUpShell(api, stepUp);

  return (
    <ApiContext.Provider value={apiContext}>
      {privacy.hidden ? <PrivacyCover onShow={privacy.show} /> : null}
      <div className={styles.page} hidden={privacy.hidden}>
        <header className={styles.header}>
          <Title3 as="h1">Keepsafe</Title3>
          <Button
            appearance="primary"
            icon={<AddRegular />}
            onClick={() => openRecordConcern((incidentId) => setRoute({ view: "incident", incidentId }))}
            data-testid="record-concern"
          >
            Record a concern
          </Button>
          <ReportsButton key={`reports-${generation}`} onOpen={() => setRoute({ view: "reports" })} />
          <Button icon={<TaskListLtrRegular />} onClick={() => setRoute({ view: "my-actions" })} data-testid="open-my-actions">
            My actions
          </Button>
          {me && canOpenSubjectAccess(me) ? (
            <Button onClick={() => setRoute({ view: "subject-access" })} data-testid="open-subject-access">
              Subject access
            </Button>
          ) : null}
          <Signedin key={generation} onLoaded={setMe} />
          <Button icon={<EyeOffRegular />} onClick={privacy.hide} data-testid="hide-screen" title="Hide screen (or press Esc twice)">
            Hide screen
          </Button>
        </header>
        <main className={styles.main} key={generation}>
          {challenge ? (
            <StepUpPrompt onSignIn={signIn} />
          ) : (
            <>
              <div className={styles.panel}>
                <PupilSearch onSelect={(pupil) => setRoute({ view: "pupil", pupilId: pupil.id })} />
              </div>
              {route.view === "reports" ? (
                <>
                  <div className={styles.panel}>
                    <ReportsView />
                  </div>
                  <div className={styles.panel}>
                    <GovernorsSummaryView />
                  </div>
                </>
              ) : route.view === "subject-access" ? (
                <div className={styles.panel}>
                  <SubjectAccessView />
                </div>
              ) : route.view === "search" ? (
                <>
                  <div className={styles.panel}>
                    <HomeView
                      onOpenList={(list) => setRoute({ view: "home-list", list })}
                      onOpenPupil={(pupilId) => setRoute({ view: "pupil", pupilId })}
                      onOpenIncident={(incidentId) => setRoute({ view: "incident", incidentId, back: route })}
                    />
                  </div>
                  <div className={styles.panel}>
                    <MyConcerns onOpenIncident={(incidentId) => setRoute({ view: "incident", incidentId, back: route })} />
                  </div>
                </>
              ) : route.view === "home-list" ? (
                <div className={styles.panel}>
                  <HomeListView
                    list={route.list}
                    onBack={() => setRoute({ view: "search" })}
                    onOpenIncident={(incidentId) => setRoute({ view: "incident", incidentId, back: route })}
                  />
                </div>
              ) : route.view === "my-actions" ? (
                <div className={styles.panel}>
                  <MyActions onOpenIncident={(incidentId) => setRoute({ view: "incident", incidentId, back: route })} />
                </div>
              ) : (
                <div className={styles.panel}>
                  {route.view === "audit" ? (
                    <>
                      <div>
                        <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={() => setRoute(route.back)}>
                          Back
                        </Button>
                      </div>
                      <AuditTrailView
                        subject={route.subject}
                        onOpenStaff={(staffId) => setRoute({ view: "audit", subject: { staffId }, back: route })}
                      />
                    </>
                  ) : route.view === "pupil" ? (
                    <>
                      {mayAudit ? (
                        <div>
                          <Button
                            icon={<HistoryRegular />}
                            data-testid="open-audit"
                            onClick={() => setRoute({ view: "audit", subject: { pupilId: route.pupilId }, back: route })}
                          >
                            Audit trail
                          </Button>
                        </div>
                      ) : null}
                      {mayAddToChronology ? (
                        <div>
                          <AddToChronology pupilId={route.pupilId} onAdded={reloadChronology} />
                        </div>
                      ) : null}
                      <ChronologyView
                        key={chronologyVersion}
                        onCaseEntryChanged={reloadChronology}
                        mayExport={!!me && canExportChronology(me)}
                        onOpenMyConcerns={() => setRoute({ view: "search" })}
                        pupilId={route.pupilId}
                        onOpenIncident={(incidentId, focusActions) => setRoute({ view: "incident", incidentId, back: route, focusActions })}
                      />
                    </>
                  ) : (
                    <>
                      {route.back ? (
                        <>
                          <div>
                            <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={() => setRoute(route.back!)}>
                              {route.back.view === "pupil" ? "Back to chronology" : "Back"}
                            </Button>
                          </div>
                          <Divider />
                        </>
                      ) : null}
                      <IncidentView
                        incidentId={route.incidentId}
                        focusActions={route.focusActions}
                        onOpenPupil={(pupilId) => setRoute({ view: "pupil", pupilId })}
                      />
                    </>
                  )}
                </div>
              )}
            </>
          )}
        </main>
      </div>
    </ApiContext.Provider>
  );
}

/**
 * Opens the concern form in a Teams dialog: this same page with ?view=record-concern (it keeps
 * hostOrigin, so the dialog trusts the same host). The dialog submits {incidentId} when done.
 */
function openRecordConcern(onRecorded: (incidentId: string) => void) {
  const url = new URL(window.location.href);
  const wanted = new URL(url.pathname, url.origin);
  wanted.searchParams.set("view", "record-concern");
  const hostOrigin = url.searchParams.get("hostOrigin");
  if (hostOrigin) wanted.searchParams.set("hostOrigin", hostOrigin);
  dialog.url.open({ url: wanted.href, title: "Record a concern", size: { height: 700, width: 800 } }, ({ result }) => {
    const incidentId = result && typeof result === "object" ? (result as { incidentId?: unknown }).incidentId : undefined;
    if (typeof incidentId === "string") onRecorded(incidentId);
  });
}

/** Who is signed in, and where. Loading this first also surfaces an MFA challenge before any record is asked for. */
function Signedin({ onLoaded }: { onLoaded(me: MeView): void }) {
  const styles = useStyles();
  const { data } = useLoad((api, signal) => api.me(signal), []);
  // The shell needs the school's idle time and the reader's role; asked for once, here.
  useEffect(() => {
    if (data) onLoaded(data);
  }, [data, onLoaded]);
  if (!data) return <span className={styles.who} />;
  return (
    <Caption1 className={styles.who} data-testid="signed-in">
      {data.name} ({data.role}) · {data.school.name}
    </Caption1>
  );
}

/** Reports are for DSLs, deputies and SLT; staff who record concerns are not offered them. */
function ReportsButton({ onOpen }: { onOpen: () => void }) {
  const { data } = useLoad((api, signal) => api.me(signal), []);
  if (!data || !canOpenReports(data)) return null;
  return (
    <Button icon={<DataBarVerticalRegular />} onClick={onOpen} data-testid="open-reports">
      Reports
    </Button>
  );
}

// A stand-in for Keepsafe's tab: it uses the real teams-js bundle and writes what the host answered into
// the DOM for the test to read.
import { app, authentication, dialog } from "@microsoft/teams-js";

const show = (id: string, value: unknown) => {
  document.getElementById(id)!.textContent = typeof value === "string" ? value : JSON.stringify(value);
};

/** Opened by the test inside the stand-in tab; the dialog is this same page at dialog.html. */
(window as any).openTestDialog = () =>
  dialog.url.open({ url: `${location.origin}/tab/dialog.html`, title: "Test dialog", size: { height: 300, width: 400 } }, (r) =>
    show("dialog-result", r.err ?? r.result),
  );

async function runAsDialog() {
  await app.initialize([new URLSearchParams(location.search).get("hostOrigin") ?? location.origin]);
  const ctx = await app.getContext();
  dialog.url.submit({ submittedFrom: ctx.page.frameContext });
}

async function run() {
  const hostOrigin = new URLSearchParams(location.search).get("hostOrigin") ?? location.origin;
  try {
    await app.initialize([hostOrigin]);
    show("init", "initialized");
    const ctx = await app.getContext();
    show("context", {
      userId: ctx.user?.id,
      displayName: ctx.user?.displayName,
      upn: ctx.user?.userPrincipalName,
      tenantId: ctx.user?.tenant?.id,
      pageId: ctx.page.id,
      subPageId: ctx.page.subPageId,
      frameContext: ctx.page.frameContext,
      hostName: ctx.app.host.name,
      clientType: ctx.app.host.clientType,
      theme: ctx.app.theme,
    });
    show("dialog-supported", String(dialog.url.isSupported()));
    show("token", await authentication.getAuthToken());
    // A function the host does not implement must still be answered, never left hanging.
    const user = await authentication.getUser().then(
      () => "resolved",
      (err: Error) => `rejected: ${err.message}`,
    );
    show("unsupported", user);
  } catch (err) {
    show("error", (err as Error).message);
  }
}

void (location.pathname.endsWith("/dialog.html") ? runAsDialog() : run());

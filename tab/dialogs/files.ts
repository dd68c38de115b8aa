// The evidence files dialog: choose files, each is uploaded to Keepsafe's API (POST /api/files)
// with the person's Teams SSO token, showing its progress, or the API's reason when it is refused
// (too big, not an accepted type, too many files). "Done" hands the list to Teams with
// dialog.url.submit, which the bot answers with a short message. Plain DOM, like the body map.
import { authentication, dialog } from "@microsoft/teams-js";
import { ACCEPTED_FILES_SUMMARY, WRITTEN_BY_MAX_LENGTH } from "../../src/domain/files.js";
import { LIMITS } from "../../src/domain/limits.js";
import { $, say, startDialogPage } from "./dialog-page.js";

const ACCEPT = ".pdf,.png,.jpg,.jpeg,.heic,.heif,.docx,.txt,application/pdf,image/png,image/jpeg,image/heic,image/heif,text/plain";

interface Attached {
  fileId: string;
  name: string;
  size: number;
  writtenBy?: string;
}

const attached: Attached[] = [];
let uploading = 0;

async function start() {
  const submissionId = await startDialogPage({
    outsideTeams: "Attaching files must be opened from Keepsafe inside Microsoft Teams.",
    noForm: "This dialog is not linked to a form. Close it and open it again from the form.",
  });
  if (submissionId === undefined) return;
  $("accepted").textContent = ACCEPTED_FILES_SUMMARY;
  $("max-size").textContent = `${LIMITS.fileMaxBytes / (1024 * 1024)} MB`;
  $("max-files").textContent = String(LIMITS.filesPerRecord);
  const writtenBy = $<HTMLInputElement>("written-by");
  writtenBy.maxLength = WRITTEN_BY_MAX_LENGTH;
  $("written-by-field").hidden = new URLSearchParams(location.search).get("scan") !== "1";
  const choose = $<HTMLInputElement>("choose");
  choose.accept = ACCEPT;

  let token: string;
  try {
    token = await authentication.getAuthToken();
  } catch {
    say("Keepsafe could not sign you in to upload files. Close this dialog and try again.", "error");
    return;
  }

  await loadAttached(submissionId, token);

  choose.addEventListener("change", async () => {
    const chosen = [...(choose.files ?? [])];
    choose.value = "";
    // One at a time, so the limit's message is about the file that passed it.
    for (const file of chosen) await upload(file, submissionId, token, writtenBy.value.trim());
  });
  // Shown only once signed in and listening, so a file chosen at once is never dropped.
  $("main").hidden = false;

  $("done").addEventListener("click", () => {
    if (uploading) {
      say("Wait for the uploads to finish, or close the dialog to stop them.", "error");
      return;
    }
    dialog.url.submit({ dialog: "files", submissionId, files: attached.map((f) => ({ fileId: f.fileId, name: f.name })) });
    say("Saving…");
  });
}

async function loadAttached(submissionId: string, token: string) {
  try {
    const res = await fetch(`/api/files?${new URLSearchParams({ submissionId })}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json().catch(() => undefined)) as { files?: Attached[]; error?: { message?: string } } | undefined;
    if (!res.ok) {
      say(body?.error?.message ?? "The files already attached could not be listed.", "error");
      return;
    }
    for (const f of body?.files ?? []) attached.push(f);
  } catch {
    say("Keepsafe could not be reached to list the files already attached.", "error");
  }
  drawList();
}

function upload(file: File, submissionId: string, token: string, writtenBy: string): Promise<void> {
  const row = fileRow(file.name, "Waiting…");
  if (file.size > LIMITS.fileMaxBytes) {
    failedRow(row, `Files can be at most ${LIMITS.fileMaxBytes / (1024 * 1024)} MB. Nothing was stored.`);
    return Promise.resolve();
  }
  const query = new URLSearchParams({ submissionId, name: file.name, ...(writtenBy ? { writtenBy } : {}) });
  uploading++;
  return new Promise<void>((resolve) => {
    // XMLHttpRequest, not fetch: only it reports upload progress.
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/files?${query}`);
    xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      row.progress.value = e.loaded / e.total;
      row.detail.textContent = `Uploading… ${Math.round((e.loaded / e.total) * 100)}%`;
    });
    const finish = () => {
      uploading--;
      resolve();
    };
    xhr.addEventListener("load", () => {
      let body: (Attached & { error?: { message?: string } }) | undefined;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201 && body) {
        row.element.remove();
        attached.push({ fileId: body.fileId, name: body.name, size: body.size, ...(body.writtenBy ? { writtenBy: body.writtenBy } : {}) });
        drawList();
        say(`${body.name} attached.`);
      } else {
        failedRow(row, body?.error?.message ?? `The upload was refused (${xhr.status}). Nothing was stored.`);
      }
      finish();
    });
    xhr.addEventListener("error", () => {
      failedRow(row, "The upload was cut off. Check your connection and choose the file again.");
      finish();
    });
    xhr.send(file);
  });
}

interface Row {
  element: HTMLLIElement;
  detail: HTMLElement;
  progress: HTMLProgressElement;
}

function fileRow(name: string, detailText: string): Row {
  const element = document.createElement("li");
  element.dataset.state = "uploading";
  const title = document.createElement("div");
  title.textContent = name;
  const progress = document.createElement("progress");
  progress.max = 1;
  progress.value = 0;
  const detail = document.createElement("div");
  detail.className = "detail";
  detail.textContent = detailText;
  element.append(title, progress, detail);
  $("files").prepend(element);
  $("empty").hidden = true;
  return { element, detail, progress };
}

function failedRow(row: Row, message: string) {
  row.element.dataset.state = "error";
  row.element.dataset.testid = "file-error";
  row.progress.remove();
  row.detail.textContent = message;
  say(message, "error");
}

function drawList() {
  const list = $("files");
  list.querySelectorAll('li[data-state="attached"]').forEach((li) => li.remove());
  for (const f of attached) {
    const li = document.createElement("li");
    li.dataset.state = "attached";
    li.dataset.testid = "attached-file";
    const title = document.createElement("div");
    title.textContent = f.name;
    const detail = document.createElement("div");
    detail.className = "detail";
    detail.textContent = `${formatSize(f.size)}${f.writtenBy ? ` · written by ${f.writtenBy}` : ""}`;
    li.append(title, detail);
    list.append(li);
  }
  $("empty").hidden = list.children.length > 0;
}

const formatSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;

void start();

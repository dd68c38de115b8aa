/**
 * Teams dialogs (task modules): one modal at a time, holding either a URL in an iframe (the app's own page
 * running teams-js with frameContext "task") or an Adaptive Card from the bot's task/fetch answer.
 */

const CANCELLED = "User cancelled/closed the task module.";

interface OpenDialog {
  backdrop: HTMLElement;
  body: HTMLElement;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export interface DialogFrame {
  title?: string;
  width?: number | string;
  height?: number | string;
}

export class DialogHost {
  private current: OpenDialog | undefined;

  get isOpen() {
    return this.current !== undefined;
  }

  /** Resolves with the dialog's submitted result; rejects when the tester closes it. */
  openUrl(frame: DialogFrame & { url: string }, registerFrame: (win: Window) => void): Promise<unknown> {
    const iframe = document.createElement("iframe");
    iframe.className = "kh-dialog-frame";
    iframe.title = frame.title ?? "Dialog";
    const done = this.open(frame, iframe);
    iframe.src = new URL(frame.url, location.href).href;
    if (iframe.contentWindow) registerFrame(iframe.contentWindow);
    return done;
  }

  /** For a card dialog the caller renders the card, and calls replace() or complete() as the bot answers. */
  openCard(frame: DialogFrame, content: HTMLElement): Promise<unknown> {
    return this.open(frame, content);
  }

  replace(content: HTMLElement) {
    this.current?.body.replaceChildren(content);
  }

  complete(result: unknown) {
    const open = this.current;
    if (!open) return;
    this.current = undefined;
    open.backdrop.remove();
    open.resolve(result);
  }

  private cancel() {
    const open = this.current;
    if (!open) return;
    this.current = undefined;
    open.backdrop.remove();
    open.reject(new Error(CANCELLED));
  }

  private open(frame: DialogFrame, content: HTMLElement): Promise<unknown> {
    this.cancel();
    const backdrop = document.createElement("div");
    backdrop.className = "kh-dialog-backdrop";
    const box = document.createElement("section");
    box.className = "kh-dialog";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    box.style.width = dimension(frame.width, "vw");
    box.style.height = dimension(frame.height, "vh");
    const header = document.createElement("header");
    const title = document.createElement("h2");
    title.textContent = frame.title ?? "";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "kh-dialog-close";
    close.setAttribute("aria-label", "Close dialog");
    close.textContent = "×";
    close.addEventListener("click", () => this.cancel());
    header.append(title, close);
    const body = document.createElement("div");
    body.className = "kh-dialog-body";
    body.append(content);
    box.append(header, body);
    backdrop.append(box);
    document.body.append(backdrop);
    return new Promise((resolve, reject) => {
      this.current = { backdrop, body, resolve, reject };
    });
  }
}

/** Teams' DialogDimension names, or a pixel size. */
function dimension(value: number | string | undefined, unit: "vw" | "vh"): string {
  if (typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value))) return `min(${value}px, 95${unit})`;
  const named: Record<string, number> = { small: 40, medium: 60, large: 85 };
  return `${named[String(value ?? "small").toLowerCase()] ?? 60}${unit}`;
}

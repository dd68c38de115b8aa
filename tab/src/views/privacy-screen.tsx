// "Hide screen": blanks the tab at once when someone walks past, until clicked.
// Escape pressed twice quickly does the same, for when there is no time to aim. The tab also
// blanks itself after the school's idle time without input, and whenever Teams hides it
// (another app or chat chosen, the window minimised), so a record is never left on show.
import { useEffect, useRef, useState } from "react";
import { makeStyles, tokens } from "@fluentui/react-components";

const DOUBLE_ESCAPE_MS = 800;
/** What counts as someone still using the tab. */
const ACTIVITY_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart", "scroll"] as const;

const useStyles = makeStyles({
  cover: {
    position: "fixed",
    inset: 0,
    zIndex: 2147483647,
    width: "100vw",
    height: "100vh",
    margin: 0,
    border: "none",
    padding: 0,
    cursor: "pointer",
    display: "flex",
    alignItems: "flex-end",
    justifyContent: "center",
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground4,
    font: "inherit",
    fontSize: tokens.fontSizeBase200,
    paddingBottom: tokens.spacingVerticalXXL,
  },
});

export function usePrivacyScreen(idleHideMinutes?: number): { hidden: boolean; hide(): void; show(): void } {
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === "hidden") setHidden(true);
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => document.removeEventListener("visibilitychange", onVisibility);
  }, []);
  useEffect(() => {
    // Until the school's setting is known, and while already blank, there is nothing to time.
    if (hidden || !idleHideMinutes || idleHideMinutes <= 0) return;
    let timer = window.setTimeout(() => setHidden(true), idleHideMinutes * 60_000);
    const onActivity = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => setHidden(true), idleHideMinutes * 60_000);
    };
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { capture: true, passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, [hidden, idleHideMinutes]);
  const lastEscape = useRef(0);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      const now = Date.now();
      if (now - lastEscape.current < DOUBLE_ESCAPE_MS) {
        setHidden(true);
        lastEscape.current = 0;
      } else {
        lastEscape.current = now;
      }
    };
    // Capture phase, so a dialog or search box swallowing Escape cannot stop it.
    window.addEventListener("keydown", onKeyDown, true);
    return () => window.removeEventListener("keydown", onKeyDown, true);
  }, []);
  return { hidden, hide: () => setHidden(true), show: () => setHidden(false) };
}

/** Covers the whole tab. The records underneath are also made `hidden`, so find-in-page and screen readers skip them. */
export function PrivacyCover({ onShow }: { onShow(): void }) {
  const styles = useStyles();
  const ref = useRef<HTMLButtonElement>(null);
  // Focus moves to the cover so that Enter or Space (as well as a click) brings the tab back.
  useEffect(() => ref.current?.focus(), []);
  return (
    <button type="button" ref={ref} className={styles.cover} onClick={onShow} data-testid="privacy-screen">
      Click to show Keepsafe
    </button>
  );
}

// "Hide screen": blanks the tab at once when someone walks past, until clicked.
// Escape pressed twice quickly does the same, for when there is no time to aim.
import { useEffect, useRef, useState } from "react";
import { makeStyles, tokens } from "@fluentui/react-components";

const DOUBLE_ESCAPE_MS = 800;

const useStyles = makeStyles({
  cover: {
    position: "fixed", inset: 0, zIndex: 2147483647, width: "100vw", height: "100vh",
    margin: 0, border: "none", padding: 0, cursor: "pointer",
    display: "flex", alignItems: "flex-end", justifyContent: "center",
    backgroundColor: tokens.colorNeutralBackground3, color: tokens.colorNeutralForeground4,
    font: "inherit", fontSize: tokens.fontSizeBase200, paddingBottom: tokens.spacingVerticalXXL,
  },
});

export function usePrivacyScreen(): { hidden: boolean; hide(): void; show(): void } {
  const [hidden, setHidden] = useState(false);
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

// The body map in React: the same drawing (renderBodyMapSvg) and the same click-to-place rule
// (pointToMark) as the body map dialog page (tab/dialogs/body-map.ts), so a mark is placed and
// drawn one way everywhere. The SVG comes from the shared renderer, which escapes all text.
import { useId, type MouseEvent } from "react";
import { Button, Caption1, Field, Input, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { BODY_MAP_LIMITS, describeMark, pointToMark, renderBodyMapSvg, type BodyMapMark } from "../../../src/domain/body-map.js";
import { MARK_COLOURS, MARK_SHAPES } from "../body-map-choices.js";

const useStyles = makeStyles({
  picture: {
    width: "400px",
    maxWidth: "100%",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    "& svg": { display: "block", width: "100%", height: "auto" },
  },
  editable: { cursor: "crosshair" },
  layout: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL, alignItems: "flex-start" },
  marks: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, flex: "1 1 260px" },
  mark: {
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalS,
    display: "grid",
    gap: tokens.spacingVerticalXS,
  },
  described: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** A stored body map, read-only, with each mark described in words beside it. */
export function BodyMapPicture({ marks }: { marks: BodyMapMark[] }) {
  const styles = useStyles();
  return (
    <div className={styles.layout}>
      <div className={styles.picture} data-testid="body-map" dangerouslySetInnerHTML={{ __html: renderBodyMapSvg(marks) }} />
      <ol className={styles.described}>
        {marks.map((mark, i) => (
          <li key={i} data-testid="body-map-mark">
            {describeMark(mark, i).replace(/^\d+\. /, "")}
          </li>
        ))}
      </ol>
    </div>
  );
}

type Described = "shape" | "colour" | "size" | "note";

/** Click an outline to place a numbered mark, then describe it; marks after a removed one are renumbered. */
export function BodyMapEditor({ marks, onChange }: { marks: BodyMapMark[]; onChange(marks: BodyMapMark[]): void }) {
  const styles = useStyles();
  const ids = useId();

  const place = (event: MouseEvent<HTMLDivElement>) => {
    const svg = event.currentTarget.querySelector("svg");
    const matrix = svg?.getScreenCTM();
    if (!svg || !matrix || marks.length >= BODY_MAP_LIMITS.maxMarks) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    const placed = pointToMark(point.x, point.y);
    if (placed) onChange([...marks, placed]);
  };
  const describe = (i: number, key: Described, value: string) => onChange(marks.map((m, j) => (j === i ? { ...m, [key]: value } : m)));

  return (
    <div className={styles.layout}>
      <div>
        <div
          className={`${styles.picture} ${styles.editable}`}
          data-testid="body-map-editor"
          onClick={place}
          dangerouslySetInnerHTML={{ __html: renderBodyMapSvg(marks) }}
        />
        <Caption1>Click the front or back outline to place a mark (at most {BODY_MAP_LIMITS.maxMarks}).</Caption1>
      </div>
      {marks.length === 0 ? (
        <Text>No marks yet.</Text>
      ) : (
        <ol className={styles.marks}>
          {marks.map((mark, i) => (
            <li key={i} className={styles.mark} data-testid="mark-row">
              <Text weight="semibold">
                Mark {i + 1} ({mark.side})
              </Text>
              <Field label="Shape or kind">
                <Input
                  value={mark.shape ?? ""}
                  maxLength={BODY_MAP_LIMITS.shapeMaxLength}
                  list={`${ids}-shapes`}
                  onChange={(_, d) => describe(i, "shape", d.value)}
                  data-testid={`mark-${i + 1}-shape`}
                />
              </Field>
              <Field label="Colour">
                <Input
                  value={mark.colour ?? ""}
                  maxLength={BODY_MAP_LIMITS.colourMaxLength}
                  list={`${ids}-colours`}
                  onChange={(_, d) => describe(i, "colour", d.value)}
                  data-testid={`mark-${i + 1}-colour`}
                />
              </Field>
              <Field label="Size (e.g. 2 cm)">
                <Input
                  value={mark.size ?? ""}
                  maxLength={BODY_MAP_LIMITS.sizeMaxLength}
                  onChange={(_, d) => describe(i, "size", d.value)}
                  data-testid={`mark-${i + 1}-size`}
                />
              </Field>
              <Field label="Note">
                <Textarea
                  value={mark.note ?? ""}
                  maxLength={BODY_MAP_LIMITS.noteMaxLength}
                  onChange={(_, d) => describe(i, "note", d.value)}
                  data-testid={`mark-${i + 1}-note`}
                />
              </Field>
              <div>
                <Button size="small" onClick={() => onChange(marks.filter((_, j) => j !== i))}>
                  Remove mark {i + 1}
                </Button>
              </div>
            </li>
          ))}
        </ol>
      )}
      <datalist id={`${ids}-shapes`}>
        {MARK_SHAPES.map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
      <datalist id={`${ids}-colours`}>
        {MARK_COLOURS.map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
    </div>
  );
}

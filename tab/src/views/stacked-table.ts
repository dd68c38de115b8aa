// A table that becomes a list of cards on a phone: Teams mobile gives a tab 320-400 px, where
// five columns cannot fit. The header stays for screen readers (visually hidden) and each row's
// cells wrap onto lines; `wide` cells take a line of their own.
import { makeStyles, tokens } from "@fluentui/react-components";

export const NARROW = "@media (max-width: 600px)";

export const useStackedTableStyles = makeStyles({
  table: {
    [NARROW]: {
      display: "block",
      "& thead": { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" },
      "& tbody": { display: "block" },
      "& tr": {
        display: "flex",
        flexWrap: "wrap",
        alignItems: "baseline",
        columnGap: tokens.spacingHorizontalM,
        rowGap: tokens.spacingVerticalXXS,
        padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
        height: "auto",
      },
      "& td": { display: "block", width: "auto", height: "auto", padding: 0, minWidth: 0, overflowWrap: "anywhere" },
    },
  },
  wide: { [NARROW]: { flexBasis: "100%" } },
});

// Teams tells the tab its theme ("default", "dark" or "contrast"); Fluent has a matching theme for each.
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from "@fluentui/react-components";

export function fluentThemeFor(teamsTheme: string | undefined): Theme {
  switch (teamsTheme) {
    case "dark":
      return teamsDarkTheme;
    case "contrast":
      return teamsHighContrastTheme;
    default:
      return teamsLightTheme;
  }
}

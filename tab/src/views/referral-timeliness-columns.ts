// The referral timeliness columns, in order, shared by the table (in the tab's bundle) and the chart
// (in the charts' chunk), so neither pulls the other in.
export const TIMELINESS_COLUMNS = [
  ["onTime", "On time"],
  ["late", "Late"],
  ["outstanding", "Outstanding (past due)"],
  ["awaiting", "Awaiting (not yet due)"],
] as const;

export type TimelinessColumn = (typeof TIMELINESS_COLUMNS)[number][0];

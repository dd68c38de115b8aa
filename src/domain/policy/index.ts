/**
 * Who may see or do what. The bot, the tab API, file routes, dialogs, reports and jobs all ask
 * here; nothing else decides access. One file per resource, each rule a sentence from the
 * schools' policies; `authorize`/`can` are the one door over them. The README's "Who sees what"
 * is this folder in words.
 */
export { authorize, can, type Resource, type Verb } from "./authorize.js";
export * from "./incident.js";
export * from "./action.js";
export * from "./pupil.js";
export * from "./chronology.js";
export * from "./form.js";
export * from "./alerting.js";
export * from "./audit.js";
export * from "./casework.js";
export * from "./reports.js";
export * from "./report-counts.js";
export * from "./home.js";
export * from "./home-store-visibility.js";
export * from "./case-entries.js";
export * from "./subject-access.js";
export * from "./scope.js";
export * from "./early-warning.js";
export * from "./role-claims.js";

export { recordConcernCard, SUBMIT_CONCERN_VERB, REFRESH_CONCERN_VERB, RECORDING_GUIDANCE, type RecordConcernState } from "./record-concern-card.js";
export { confirmationCard, IMMUTABLE_NOTICE, type ConfirmationView } from "./confirmation-card.js";
export { errorCard, UNEXPECTED_FAILURE_MESSAGE } from "./error-card.js";
export type { AdaptiveCard } from "./card-kit.js";

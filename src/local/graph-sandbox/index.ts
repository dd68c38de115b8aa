export { startGraphSandbox } from "./graph-sandbox.js";
export type { GraphSandbox, GraphSandboxOptions, GraphFault, RecordedGraphRequest } from "./graph-sandbox.js";
export { ALERT_ID_HEADER } from "./recorded-request.js";

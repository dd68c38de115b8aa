/**
 * The concern form every door renders. Kept in a module of its own so a test can build the tab
 * with another model in its place (test/tab/concern-form-model.test.ts) and see both doors follow.
 */
import { concernFormModel } from "./model.js";

export const CONCERN_FORM = concernFormModel();

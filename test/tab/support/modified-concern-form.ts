/**
 * Stands in for src/domain/concern-form/standard-form.ts when a test builds the tab with other
 * limits (test/tab/concern-form-model.test.ts): the same model, three limits changed.
 */
import { concernFormModel } from "../../../src/domain/concern-form/model.js";
import { LIMITS } from "../../../src/domain/limits.js";

export const MODIFIED_LIMITS = { ...LIMITS, agencyMaxLength: 42, accountMaxLength: 4_321, categoryTextMaxLength: 77 };
export const CONCERN_FORM = concernFormModel(MODIFIED_LIMITS);

/**
 * Teams' manifest schemas are JSON Schema draft-04, which ajv 8 only speaks through ajv-draft-04.
 * Both packages are CommonJS with the real export on `.default`; under NodeNext a default import
 * yields the whole module object, so unwrap it once here.
 */
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";

export const Ajv = ajvDraft04.default;
export const addFormats = ajvFormats.default;

import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { sharedPath } from './shared-data.ts';

/** An OSCAL model with an official JSON Schema in the shared test data. */
export type OscalModel =
  | 'catalog'
  | 'profile'
  | 'component-definition'
  | 'system-security-plan'
  | 'assessment-plan'
  | 'assessment-results'
  | 'plan-of-action-and-milestones';

const schemaFiles: Record<OscalModel, string> = {
  catalog: 'oscal_catalog_schema.json',
  profile: 'oscal_profile_schema.json',
  'component-definition': 'oscal_component_schema.json',
  'system-security-plan': 'oscal_ssp_schema.json',
  'assessment-plan': 'oscal_assessment-plan_schema.json',
  'assessment-results': 'oscal_assessment-results_schema.json',
  'plan-of-action-and-milestones': 'oscal_poam_schema.json',
};

// The schemas are draft-07 and compile in ajv's strict mode. Their token pattern uses \p{L} and
// \p{N}, which need the `u` flag: ajv's default `unicodeRegExp: true` gives it. They also declare
// `format` (date-time, uri, uri-reference, email), which ajv-formats checks beside the patterns.
// On versions: the 1.0.6 schema types `oscal-version` as a plain string, so a document declaring
// 1.1.x passes that field and is held to the 1.0.6 structure everywhere else.
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validators = new Map<OscalModel, ValidateFunction>();

function validatorFor(model: OscalModel): ValidateFunction {
  let validate = validators.get(model);
  if (validate === undefined) {
    const path = sharedPath('data', 'oscal', 'schema-1.0.6', schemaFiles[model]);
    validate = ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
    validators.set(model, validate);
  }
  return validate;
}

/** Problems of a document against the official OSCAL 1.0.6 JSON Schema of its model; empty when valid. */
export function validateOscal(model: OscalModel, doc: unknown): string[] {
  const validate = validatorFor(model);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(
    (error) =>
      `${error.instancePath === '' ? '/' : error.instancePath} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`,
  );
}

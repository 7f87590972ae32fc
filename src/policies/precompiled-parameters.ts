// The text of src/policies/parameter-validators.generated.ts, written by
// `npm run schemas`: the built-in policies' parameter schemas as ajv
// standalone code, so that no process compiles them again (compiling them
// cost about 60 ms of every run). Each validator carries the digest of the
// schema it was made from; a changed schema is compiled at run time until the
// file is written again, and a test checks that it is current.
import { _ } from 'ajv';
import { standaloneModuleText } from '../model/schema-files.ts';
import { builtinPolicies } from './index.ts';
import { parameterAjv, parameterSchemaDigest } from './parameters.ts';

export function parameterValidatorModule(): string {
  const ajv = parameterAjv({ code: { source: true, esm: true, lines: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } });
  const names = Object.keys(builtinPolicies);
  const exports: Record<string, string> = {};
  names.forEach((name, i) => {
    ajv.addSchema(builtinPolicies[name]!.meta.parameters, `p${i}`);
    exports[`p${i}`] = `p${i}`;
  });
  return standaloneModuleText(ajv, exports, "the built-in policies' parameter schemas", [], [
    `export const validators = {${names.map((name, i) => `${JSON.stringify(name)}: p${i}`).join(', ')}};`,
    `export const digests = {${names.map((name) => `${JSON.stringify(name)}: ${JSON.stringify(parameterSchemaDigest(builtinPolicies[name]!.meta.parameters))}`).join(', ')}};`,
  ]);
}

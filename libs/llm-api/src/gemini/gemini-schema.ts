import { type GeminiJson, type GeminiJsonObject } from './gemini-request.types';

// Gemini's `responseSchema` and function `parameters` take an OpenAPI 3.0 subset of JSON
// Schema and reject unknown keywords (`additionalProperties`, `$schema`, …). Best effort: keep
// the keywords it knows and turn `type: [x, "null"]` into `type: x, nullable: true`.
const supportedKeywords = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);

/** A JSON Schema reduced to the subset Gemini accepts. */
export function geminiSchemaOf(schema: Record<string, unknown>): GeminiJsonObject {
  const out: GeminiJsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!supportedKeywords.has(key) || value === undefined) continue;
    if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((type) => type !== 'null');
      if (types.length < value.length) out['nullable'] = true;
      if (typeof types[0] === 'string') out['type'] = types[0];
    } else if (key === 'properties' && isObject(value)) {
      const properties: GeminiJsonObject = {};
      for (const [name, property] of Object.entries(value))
        properties[name] = isObject(property) ? geminiSchemaOf(property) : {};
      out['properties'] = properties;
    } else if (key === 'items' && isObject(value)) {
      out['items'] = geminiSchemaOf(value);
    } else if (key === 'anyOf' && Array.isArray(value)) {
      out['anyOf'] = value.filter(isObject).map(geminiSchemaOf);
    } else {
      out[key] = value as GeminiJson;
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

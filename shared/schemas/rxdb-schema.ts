import { z } from 'zod';
import { type CollectionDefinition, type CollectionName, collectionDefinitions } from './collections';
import { derivedFields } from './derived-fields';

type JsonSchema = Record<string, unknown> & { type?: unknown; properties?: Record<string, JsonSchema> };

/** RxDB insists that indexed numbers have bounds and a `multipleOf`, so the index key length is fixed. */
function boundIndexedNumber(property: JsonSchema): JsonSchema {
  return {
    ...property,
    type: 'number',
    minimum: property.minimum ?? 0,
    maximum: property.maximum ?? 8_640_000_000_000_000,
    multipleOf: 1,
  };
}

/** Derives the RxDB JSON schema of a collection from its zod schema (never written twice). */
export function toRxJsonSchema(
  definition: CollectionDefinition,
  derived: Record<string, { property: JsonSchema }> = {},
) {
  const json = z.toJSONSchema(definition.schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  const properties = { ...(json.properties ?? {}) };
  for (const [name, field] of Object.entries(derived)) properties[name] = field.property;
  const indexedFields = new Set(
    definition.indexes.flatMap((index) => (typeof index === 'string' ? [index] : index)),
  );
  for (const field of indexedFields) {
    const property = properties[field];
    if (!property) throw new Error(`Index on unknown field ${field}`);
    if (property.type === 'integer' || property.type === 'number')
      properties[field] = boundIndexedNumber(property);
    // RxDB needs a maxLength on indexed strings (SC34); zod emits none for enums.
    if (property.type === 'string' && property.maxLength === undefined && Array.isArray(property.enum))
      properties[field] = { ...property, maxLength: Math.max(...property.enum.map((v) => String(v).length)) };
  }
  // zod marks the base `id` as a plain string; RxDB needs its maxLength for the primary key.
  return {
    title: 'fieldbook document',
    version: definition.version,
    primaryKey: 'id',
    type: 'object',
    properties,
    required: [...(json.required as string[]), ...Object.keys(derived)],
    indexes: definition.indexes.map((index) => (typeof index === 'string' ? index : [...index])),
    additionalProperties: false,
  } as const;
}

export function rxJsonSchemaOf(name: CollectionName) {
  return toRxJsonSchema(collectionDefinitions[name], derivedFields[name]);
}

// Input schemas (zod) → the domain's validation error: every bad field at once, in DRF's shape
// `{field: [messages]}` (whole-object problems under `non_field_errors`), which the seed's
// clients read (SPEC §3).
import type { z } from 'zod';
import { validationError, type FieldErrors } from './errors.js';

/** The parsed value, or throws `validation` with each field's messages (each said once). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const messages = (fields[issue.path.length ? String(issue.path[0]) : 'non_field_errors'] ??= []);
    if (!messages.includes(issue.message)) messages.push(issue.message);
  }
  throw validationError(fields);
}

/** DRF's words for a body that is not an object (its Python type names). */
export function notAnObject(input: unknown): string {
  const type = Array.isArray(input) ? 'list' : input === null || input === undefined ? 'NoneType'
    : typeof input === 'string' ? 'str' : typeof input === 'boolean' ? 'bool'
      : typeof input === 'number' ? (Number.isInteger(input) ? 'int' : 'float') : typeof input;
  return `Invalid data. Expected a dictionary, but got ${type}.`;
}

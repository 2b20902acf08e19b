// The one checker kit for untrusted input. Every boundary (wire frames, the envelope body, the panel
// messages, the server IPC, room.json) declares each message once as a valibot schema, and its
// TypeScript type is derived from that declaration, so adding a field is one edit. A rejection names
// the first field that is wrong and why, e.g. `"kdf.salt" must be 16 bytes of base64`. No Node or
// DOM API here: the panel's browser build uses the same kit.
import * as v from 'valibot';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Stop at the first issue: one reason is all a rejection reports, and a bad message costs no more than a good one. */
const FIRST_ISSUE_ONLY = { abortEarly: true } as const;

/** Checks `value` against `schema`. A top-level array is never a message (JSON objects and posted objects only). */
export function check<S extends v.GenericSchema>(schema: S, value: unknown): Checked<v.InferOutput<S>> {
  if (Array.isArray(value)) return { ok: false, error: 'must be an object' };
  const result = v.safeParse(schema, value, FIRST_ISSUE_ONLY);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const field = v.getDotPath(issue);
  return { ok: false, error: field === null ? issue.message : `"${field}" ${issue.message}` };
}

/** The value, or null for a rejection (for callers that only drop what is malformed). */
export function valueOrNull<T>(checked: Checked<T>): T | null {
  return checked.ok ? checked.value : null;
}

// Field builders; each says in its message what it wanted.

export function text(maxLength: number, minLength = 0) {
  const message = `must be a string of ${minLength}-${maxLength} characters`;
  return v.pipe(v.string(message), v.minLength(minLength, message), v.maxLength(maxLength, message));
}

export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const message = `must be an integer from ${min} to ${max}`;
  return v.pipe(v.number(message), v.safeInteger(message), v.minValue(min, message), v.maxValue(max, message));
}

export function flag() {
  return v.boolean('must be true or false');
}

export function oneOf<const T extends readonly string[]>(options: T, what = 'value') {
  return v.picklist(options, `must be a known ${what}`);
}

/** An array checked for its length before any item is looked at. */
export function list<S extends v.GenericSchema>(item: S, maxItems: number) {
  const message = `must be an array of at most ${maxItems} items`;
  return v.pipe(v.custom<unknown[]>((value) => Array.isArray(value) && value.length <= maxItems, message), v.array(item, message));
}

/** A string that passes `test`, with the reason given when it does not. */
export function textWhere(test: (value: string) => boolean, message: string) {
  return v.pipe(v.string(message), v.check(test, message));
}

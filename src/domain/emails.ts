// Address normalization and validation: one rule everywhere (parties, users, inbound From).
// Deliberately simple (RFC 5322 allows far more): what a person types in an invite list.
// No control characters (C0, DEL, C1): an address is stored and printed (see ./text.ts).
// Written without the `i` flag: it is also a schema pattern in /openapi, where flags do not travel.
// Surrounding white space is allowed (and trimmed by normalizeEmail).
export const EMAIL = /^\s*[^\s@<>()",;:\\[\]\u0000-\u001f\u007f-\u009f]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+\s*$/;
export const MAX_EMAIL = 254;

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

export function isEmail(input: string): boolean {
  return input.length <= MAX_EMAIL && EMAIL.test(input);
}

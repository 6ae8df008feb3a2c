// Address normalization and validation: one rule everywhere (parties, users, inbound From).
// Deliberately simple (RFC 5322 allows far more): what a person types in an invite list.
// No control characters (C0, DEL, C1): an address is stored and printed (see ./text.ts).
const EMAIL = /^[^\s@<>()",;:\\[\]\u0000-\u001f\u007f-\u009f]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

export function isEmail(input: string): boolean {
  return input.length <= 254 && EMAIL.test(input.trim());
}

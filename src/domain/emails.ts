// Address normalization and validation: one rule everywhere (parties, users, inbound From).
// Deliberately simple (RFC 5322 allows far more): what a person types in an invite list.
const EMAIL = /^[^\s@<>()",;:\\[\]]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

export function isEmail(input: string): boolean {
  return input.length <= 254 && EMAIL.test(input.trim());
}

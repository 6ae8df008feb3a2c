// CLI failures carry their exit code; main.ts prints the message (never a stack trace).
import { DomainError } from '../domain/errors.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_FAILURE) {
    super(message);
    this.name = 'CliError';
  }
}

/** "email: …; password: …" for validation errors, the message otherwise. */
export function describeDomainError(e: DomainError): string {
  const fields = e.details.fields as Record<string, string[]> | undefined;
  if (e.code === 'validation' && fields) {
    return Object.entries(fields).map(([field, messages]) => `${field}: ${messages.join(' ')}`).join('\n');
  }
  return e.message;
}

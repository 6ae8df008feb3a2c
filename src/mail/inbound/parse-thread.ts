// Parse thread: reads inbound messages (read-mail.ts: mailparser, HTML to text, quote cutting,
// classification) beside the thread that owns the SMTP door, the API and the database; the raw
// message goes in and its plain facts come back.
import { serveJobs } from '../../threads/thread-pool.js';
import { readMail, type MailFacts } from './read-mail.js';

export interface ParseJob { raw: Uint8Array; mailFrom: string | null }

serveJobs((job: ParseJob): Promise<MailFacts | null> => readMail(job.raw, job.mailFrom));

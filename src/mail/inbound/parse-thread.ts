// Parse thread: reads inbound messages (read-inbound.ts: mailparser, HTML to text, quote cutting,
// classification, and the times of a mail to new@) beside the thread that owns the SMTP door, the
// API and the database; the raw message goes in and its plain facts come back.
import { serveJobs } from '../../threads/thread-pool.js';
import { readInbound } from './read-inbound.js';

serveJobs(readInbound);

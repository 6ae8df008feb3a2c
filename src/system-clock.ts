// The one place that reads the wall clock. Everything else is handed a Clock (stores, workers,
// the domain, auth), so tests and demos can run time-driven work on a clock of their own.
import type { Clock } from './domain/ports.js';

export const systemClock: Clock = { now: () => new Date() };

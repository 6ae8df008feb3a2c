// What every route module receives from buildApp.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../domain/ports.js';
import type { Authenticator } from './plugins/auth.js';

/** Renders the web page of SPEC §6 for GET /{id}/ when a browser asks for HTML. */
export type PageHandler = (request: FastifyRequest, reply: FastifyReply, eventId: number) => Promise<void>;

export interface HttpContext {
  deps: Deps;
  auth: Authenticator;
  publicUrl: string;
  page?: PageHandler;
}

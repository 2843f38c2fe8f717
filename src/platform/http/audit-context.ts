import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/audit.js';

/** The request id and client address that audit rows carry; services take it explicitly from their route. */
export function auditContextOf(request: FastifyRequest): AuditContext {
  return { requestId: request.id, clientAddress: request.ip };
}

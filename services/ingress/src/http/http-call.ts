import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type ChatCall } from '../pipeline/call-state';
import { presentedCredential } from '../pipeline/credentials';
import { setRateLimitHeaders } from './rate-limit-headers';
import { requestIdentity } from './request-identity';

/** One request header as a string (the first, when repeated). */
export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What every model API route hands the pipeline besides its operation and body reader. */
export type HttpCall = Pick<
  ChatCall,
  | 'requestId'
  | 'traceId'
  | 'credentialSha256'
  | 'bearerToken'
  | 'tagsHeader'
  | 'body'
  | 'bodyBytes'
  | 'userAgent'
  | 'method'
  | 'path'
  | 'signal'
  | 'onRateLimit'
>;

/**
 * The request as the pipeline sees it: ids (answered at once as `x-request-id`), credential,
 * tags, body, an abort signal that fires when the client leaves, and the rate-limit headers.
 */
export function httpCallOf(request: FastifyRequest, reply: FastifyReply): HttpCall {
  const identity = requestIdentity(header(request, 'traceparent'));
  reply.header('x-request-id', identity.requestId);
  const aborted = new AbortController();
  request.raw.once('close', () => {
    if (!reply.raw.writableFinished) aborted.abort();
  });
  return {
    ...identity,
    ...presentedCredential(header(request, 'authorization'), header(request, 'x-api-key')),
    tagsHeader: header(request, 'x-aigw-tags'),
    body: request.body,
    bodyBytes: Number(header(request, 'content-length') ?? 0),
    userAgent: header(request, 'user-agent') ?? '',
    method: request.method,
    path: request.url,
    signal: aborted.signal,
    onRateLimit: (limits) => setRateLimitHeaders(reply, limits),
  };
}

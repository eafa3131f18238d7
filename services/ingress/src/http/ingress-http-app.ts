import 'reflect-metadata';
import { type Socket } from 'node:net';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, GatewayErrorCode, type Logger } from '@aigw/core';
import { MalformedJsonBody } from '../pipeline/malformed-json-body';
import { sendAnthropicError } from './anthropic-error-response';
import { sendOpenAiError } from './error-response';
import { sendJsonRpcError } from '../mcp/mcp-http-response';
import { useRequestTracing } from './http-tracing';

function codeForStatus(status: number): GatewayErrorCode {
  if (status === 404) return GatewayErrorCode.NotFound;
  if (status === 405) return GatewayErrorCode.MethodNotAllowed;
  if (status === 413) return GatewayErrorCode.BodyTooLarge;
  if (status >= 400 && status < 500) return GatewayErrorCode.InvalidRequest;
  return GatewayErrorCode.Internal;
}

/**
 * Every error that escapes a route becomes OpenAI error JSON (Anthropic error JSON under
 * /v1/messages); 5xx details go to the log only.
 */
@Catch()
class OpenAiErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent || reply.raw.headersSent) return;
    const error = toGatewayError(exception, this.logger);
    // The Anthropic-compatible routes answer in Anthropic's error shape.
    const url = host.switchToHttp().getRequest<FastifyRequest>().url;
    if (url.startsWith('/v1/messages')) void sendAnthropicError(reply, error);
    // MCP agents read JSON-RPC errors.
    else if (url.startsWith('/mcp/')) void sendJsonRpcError(reply, error);
    else void sendOpenAiError(reply, error);
  }
}

function toGatewayError(exception: unknown, logger: Logger): GatewayError {
  if (exception instanceof GatewayError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 404)
      return new GatewayError(GatewayErrorCode.NotFound, 'Unknown endpoint: no such route.');
    return new GatewayError(codeForStatus(status), exception.message, {}, status);
  }
  const fastifyError = exception as Partial<FastifyError>;
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return new GatewayError(GatewayErrorCode.BodyTooLarge, 'The request body is too large.');
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return new GatewayError(
        GatewayErrorCode.InvalidRequest,
        'Send the body as application/json.',
        {},
        415,
      );
    }
    if (fastifyError.statusCode === 400) {
      return new GatewayError(GatewayErrorCode.InvalidJson, 'The request body is not valid JSON.');
    }
    return new GatewayError(
      codeForStatus(fastifyError.statusCode),
      'The request was refused.',
      {},
      fastifyError.statusCode,
    );
  }
  logger.error('unhandled error in ingress', { error: exception });
  return new GatewayError(GatewayErrorCode.Internal, 'The gateway failed to handle the request.');
}

/**
 * JSON bodies are parsed with Fastify's own parser (it refuses __proto__ / constructor
 * poisoning), but a body that does not parse reaches the route as MalformedJsonBody: the
 * pipeline then answers 400 and records the failed request like any other.
 */
function useLenientJsonParser(adapter: FastifyAdapter, bodyLimit: number): void {
  const fastify = adapter.getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      void parseJson(request, body.toString(), (error, value) =>
        done(null, error ? new MalformedJsonBody() : value),
      );
    },
  );
}

/**
 * Requests Node's HTTP parser refuses before any route sees them (bad header bytes, header
 * injection, oversized headers, timeouts) still get an OpenAI error JSON, then the socket closes.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const [status, reason, message] = timedOut
    ? [408, 'Request Timeout', 'The request was not received in time.']
    : tooLarge
      ? [431, 'Request Header Fields Too Large', 'The request headers are too large.']
      : [400, 'Bad Request', 'The request is not valid HTTP.'];
  const body = JSON.stringify({
    error: { message, type: 'invalid_request_error', code: timedOut ? 'timeout' : 'bad_request' },
  });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export interface IngressHttpOptions {
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  readonly logger: Logger;
}

/** The NestJS app on Fastify that serves the public API. */
export async function createIngressHttpApp(
  rootModule: new () => unknown,
  options: IngressHttpOptions,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes,
    logger: false,
    // Deep nesting is refused by the JSON parser's own limits; keep-alive for agents.
    keepAliveTimeout: 65_000,
    requestTimeout: options.requestTimeoutMs,
    // Node applies the headers timeout (60 s by default) unless it is given at creation, and
    // looks for late requests only every 30 s unless told otherwise.
    http: {
      requestTimeout: options.requestTimeoutMs,
      headersTimeout: options.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, options.requestTimeoutMs),
    },
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
  });
  useLenientJsonParser(adapter, options.bodyLimitBytes);
  useRequestTracing(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    logger: ['error', 'warn'],
    bodyParser: false,
  });
  app.useGlobalFilters(new OpenAiErrorFilter(options.logger));
  return app;
}

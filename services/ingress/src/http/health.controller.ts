import { Controller, Get, Inject, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { IngressReadiness } from '../ingress-readiness';

/** Liveness and readiness for orchestrators. */
@Controller()
export class HealthController {
  constructor(@Inject(IngressReadiness) private readonly readiness: IngressReadiness) {}

  @Get('/healthz')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('/readyz')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const ready = this.readiness.isReady();
    await reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready' });
  }
}

import { Controller, Get } from '@nestjs/common';

/**
 * `GET /` (and the `HEAD /` Fastify derives from it): coding agents probe the base URL for
 * reachability before their first call (Claude Code sends `HEAD /`). No credentials needed;
 * says nothing beyond "this is aigw and it is up".
 */
@Controller()
export class RootProbeController {
  @Get('/')
  probe(): { name: string; status: string } {
    return { name: 'aigw', status: 'ok' };
  }
}

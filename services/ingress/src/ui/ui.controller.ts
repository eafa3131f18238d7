import { Controller, Get, Param, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { sendOpenAiError } from '../http/error-response';
import { loadUiAssets, type UiAsset } from './ui-assets';

// Scripts and styles from this origin only; the page talks only to this gateway.
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The usage dashboard: static files under /ui. The page itself is public (it holds no data);
 * every number it shows comes from /admin/analytics with the key the user logs in with.
 */
@Controller('/ui')
export class UiController {
  private assets: Map<string, UiAsset> | undefined;

  @Get()
  index(@Res() reply: FastifyReply): Promise<void> {
    return this.send(reply, 'index.html');
  }

  @Get('/:file')
  file(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    return this.send(reply, file);
  }

  private async send(reply: FastifyReply, name: string): Promise<void> {
    this.assets ??= loadUiAssets();
    const asset = this.assets.get(name);
    if (!asset) {
      await sendOpenAiError(reply, new GatewayError(GatewayErrorCode.NotFound, 'No such file.'));
      return;
    }
    await reply
      .header('content-security-policy', contentSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .type(asset.contentType)
      .send(asset.body);
  }
}

import { Controller, Get, Headers, HttpCode, Param, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal, Public } from '@chanxiao/core';
import { GroupPaymentsView, PaymentIntentsService, PaymentView, StripeWebhookService, type WebhookAnswer } from '@chanxiao/payments';

@ApiTags('payments')
@Controller('payments')
export class BuyerPaymentsController {
  constructor(
    private readonly intents: PaymentIntentsService,
    private readonly webhooks: StripeWebhookService,
  ) {}

  /**
   * The PaymentIntent to pay an online order group with (its client secret for Stripe.js): the existing one, or
   * a new one if there was none (Stripe was down at checkout) or Stripe cancelled it. 503/502 if Stripe is down.
   */
  @Post('order-groups/:id/intent')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: PaymentView })
  intent(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<PaymentView> {
    return this.intents.ensure(principal.organizationId, id);
  }

  /** What was charged, received and refunded for an order group. */
  @Get('order-groups/:id')
  @ApiBearerAuth()
  @ApiOkResponse({ type: GroupPaymentsView })
  group(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<GroupPaymentsView> {
    return this.intents.groupPayments(principal.organizationId, id);
  }

  /** Stripe's webhook endpoint: the `Stripe-Signature` header must verify over the raw body (400 otherwise). */
  @Public()
  @Post('stripe/webhook')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  webhook(@Req() request: RawBodyRequest<FastifyRequest>, @Headers('stripe-signature') signature: string | undefined): Promise<WebhookAnswer> {
    return this.webhooks.handle(request.rawBody, signature);
  }
}

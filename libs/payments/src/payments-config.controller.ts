import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AppConfig, Public } from '@chanxiao/core';

/** What a web app needs to know before it offers online payment. */
export class PaymentsConfigView {
  @ApiProperty({ description: 'whether this server takes online payment (Stripe); false: bank transfer only' }) online: boolean;
  @ApiProperty({ example: ['card', 'alipay', 'wechat_pay'], description: 'empty when online payment is off' }) paymentMethodTypes: string[];
  @ApiProperty({ type: String, nullable: true, example: 'pk_test_…', description: "for Stripe.js' Payment Element; null when not configured" })
  publishableKey: string | null;
}

/** `GET /payments/config`, on the seller and buyer apps: whether online payment is on, without a login. */
@ApiTags('payments')
@Controller('payments/config')
export class PaymentsConfigController {
  constructor(private readonly config: AppConfig) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: PaymentsConfigView })
  get(): PaymentsConfigView {
    const online = this.config.STRIPE_SECRET_KEY !== '';
    return {
      online,
      paymentMethodTypes: online ? this.config.STRIPE_PAYMENT_METHOD_TYPES.split(',') : [],
      publishableKey: online && this.config.STRIPE_PUBLISHABLE_KEY ? this.config.STRIPE_PUBLISHABLE_KEY : null,
    };
  }
}

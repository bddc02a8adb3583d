import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@chanxiao/core';
import { ConnectAccountView, ConnectService, OnboardingLinkView } from '@chanxiao/payments';

/** A cooperative connects a Stripe (Express) account to be paid out for online-paid orders. */
@ApiTags('payments')
@ApiBearerAuth()
@Controller('payments/connect')
export class SellerPaymentsController {
  constructor(private readonly connect: ConnectService) {}

  /** A link to Stripe's hosted onboarding (creates the account on first use). */
  @Post('onboarding-link')
  @HttpCode(200)
  @ApiOkResponse({ type: OnboardingLinkView })
  onboardingLink(@CurrentPrincipal() principal: Principal): Promise<OnboardingLinkView> {
    return this.connect.onboardingLink(principal);
  }

  @Get('account')
  @ApiOkResponse({ type: ConnectAccountView })
  account(@CurrentPrincipal() principal: Principal): Promise<ConnectAccountView> {
    return this.connect.status(principal);
  }
}

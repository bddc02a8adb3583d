import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal, type Principal } from '@chanxiao/core';
import { PayoutAccountDto, PayoutAccountService, PayoutAccountView } from '@chanxiao/identity';

/** The cooperative's payout account (收款账户), where buyers paying by bank transfer send the money. */
@ApiTags('organization')
@ApiBearerAuth()
@Controller('organization/payout-account')
export class SellerOrganizationController {
  constructor(private readonly payoutAccounts: PayoutAccountService) {}

  /** Every field is null until an admin sets the account. */
  @Get()
  @ApiOkResponse({ type: PayoutAccountView })
  get(@CurrentPrincipal() principal: Principal): Promise<PayoutAccountView> {
    return this.payoutAccounts.get(principal);
  }

  /** Sets the whole account (admin only). */
  @AdminOnly()
  @Put()
  @ApiOkResponse({ type: PayoutAccountView })
  put(@CurrentPrincipal() principal: Principal, @Body() body: PayoutAccountDto): Promise<PayoutAccountView> {
    return this.payoutAccounts.put(principal, body);
  }
}

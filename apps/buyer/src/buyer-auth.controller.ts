import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@chanxiao/core';
import { IdentityService, RegisteredView, RegisterBuyerDto } from '@chanxiao/identity';

@ApiTags('auth')
@Controller('auth')
export class BuyerAuthController {
  constructor(private readonly identity: IdentityService) {}

  /** Registers a wholesale market, e-commerce firm, public-welfare market, logistics firm or 消费扶贫 purchaser. */
  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: RegisteredView })
  register(@Body() body: RegisterBuyerDto): Promise<RegisteredView> {
    return this.identity.register({ kind: 'buyer', ...body });
  }
}

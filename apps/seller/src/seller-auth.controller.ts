import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@chanxiao/core';
import { IdentityService, RegisteredView, RegisterSellerDto } from '@chanxiao/identity';

@ApiTags('auth')
@Controller('auth')
export class SellerAuthController {
  constructor(private readonly identity: IdentityService) {}

  /** Registers a cooperative, family farm or poverty-alleviation enterprise (in a county) and its first user. */
  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: RegisteredView })
  register(@Body() body: RegisterSellerDto): Promise<RegisteredView> {
    return this.identity.register({ kind: 'seller', ...body });
  }
}

import { Body, Controller, Get, HttpCode, Inject, Ip, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { APP_KIND, type AppKind, CurrentPrincipal, type Principal, Public } from '@chanxiao/core';
import { LoginDto, MeView, TokenView } from './dto/auth.dto';
import { ChangePasswordDto } from './dto/organization.dto';
import { IdentityService } from './identity.service';

/** `POST /auth/login`, `GET /me` and `POST /me/password`, the same in the seller, buyer and agency apps. */
@ApiTags('auth')
@Controller()
export class SessionController {
  constructor(
    private readonly identity: IdentityService,
    @Inject(APP_KIND) private readonly appKind: AppKind,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenView })
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<TokenView> {
    return this.identity.login(this.appKind, body.phone, body.password, ip);
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOkResponse({ type: MeView })
  me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.identity.me(principal);
  }

  /** Changes the caller's password: every token issued before stops working; the answer is a fresh one. */
  @ApiBearerAuth()
  @Post('me/password')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenView })
  @ApiBadRequestResponse({ description: '`auth.wrong_password` (details field `oldPassword`), `auth.weak_password` or `request.invalid` (`newPassword`)' })
  changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto, @Ip() ip: string): Promise<TokenView> {
    return this.identity.changePassword(principal, body.oldPassword, body.newPassword, ip);
  }
}

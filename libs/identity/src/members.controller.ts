import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal, type Principal } from '@chanxiao/core';
import { AddMemberDto, MemberPage, MemberView } from './dto/organization.dto';
import { MembersService } from './members.service';

/** `GET|POST /organization/members`, `DELETE /organization/members/:userId`, the same in the seller and buyer apps. */
@ApiTags('organization')
@ApiBearerAuth()
@Controller('organization/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  /** Every user of the caller's organisation; staff may look too. */
  @Get()
  @ApiOkResponse({ type: MemberPage })
  list(@CurrentPrincipal() principal: Principal): Promise<MemberPage> {
    return this.members.list(principal);
  }

  /** Adds a user (`admin` or `staff`) who logs in with the given phone and password. */
  @AdminOnly()
  @Post()
  @ApiCreatedResponse({ type: MemberView })
  @ApiConflictResponse({ description: '`identity.already_registered`: the phone is taken (details field `phone`)' })
  add(@CurrentPrincipal() principal: Principal, @Body() body: AddMemberDto): Promise<MemberView> {
    return this.members.add(principal, body);
  }

  /** Removes a user; their tokens stop working at once. Not oneself, not the last admin. */
  @AdminOnly()
  @Delete(':userId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'removed' })
  @ApiNotFoundResponse({ description: '`organization.member_not_found`: no such user in this organisation' })
  @ApiConflictResponse({ description: '`organization.cannot_remove_self` or `organization.last_admin`' })
  remove(@CurrentPrincipal() principal: Principal, @Param('userId') userId: string): Promise<void> {
    return this.members.remove(principal, userId);
  }
}

import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@chanxiao/core';
import { ListProposalsQuery, ProposalPage, ProposalView } from './dto/proposal.dto';
import { ProposalsService } from './proposals.service';

/**
 * SPEC §5 proposals, the same on the seller and the buyer app: each side sees the proposals made to it (a
 * seller for its lots, a buyer for its demands) and accepts or declines them. Both acceptances make an order.
 */
@ApiTags('proposals')
@ApiBearerAuth()
@Controller('proposals')
export class ProposalsController {
  constructor(private readonly proposals: ProposalsService) {}

  /** Proposals made to this organisation, newest first. */
  @Get()
  @ApiOkResponse({ type: ProposalPage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListProposalsQuery): Promise<ProposalPage> {
    return this.proposals.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProposalView })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ProposalView> {
    return this.proposals.get(principal, id);
  }

  /** Accept: the first side's acceptance is recorded; the second confirms and the buyer gets an order to pay. */
  @Post(':id/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: ProposalView })
  accept(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ProposalView> {
    return this.proposals.accept(principal, id);
  }

  /** Decline: the hold is released and this lot is not proposed for this demand again. */
  @Post(':id/decline')
  @HttpCode(200)
  @ApiOkResponse({ type: ProposalView })
  decline(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ProposalView> {
    return this.proposals.decline(principal, id);
  }
}

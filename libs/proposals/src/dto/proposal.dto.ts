import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '@chanxiao/core';
import { PROPOSAL_STATUSES, type ProposalStatus } from '../proposal.state-machine';

export class ListProposalsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PROPOSAL_STATUSES })
  @IsOptional()
  @IsIn(PROPOSAL_STATUSES)
  status?: ProposalStatus;
}

/** SPEC §5 Proposal, with the amount, where it came from and what became of it. */
export class ProposalView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: ProposalStatus;
  @ApiProperty() demandId: string;
  @ApiProperty() listingId: string;
  @ApiProperty() sellerOrganizationId: string;
  @ApiProperty() buyerOrganizationId: string;
  @ApiProperty({ description: 'kg held for the buyer' }) quantityKg: number;
  @ApiProperty({ description: 'fen per kg, the lot’s price when proposed' }) unitPriceFen: number;
  @ApiProperty({ description: 'quantity × price, in fen' }) amountFen: number;
  @ApiProperty({ description: 'match score per kg (docs/matching.md)' }) score: number;
  @ApiProperty({ enum: ['incremental', 'optimizer'] }) source: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ nullable: true, type: String }) buyerAcceptedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) sellerAcceptedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the order a confirmed proposal became' }) orderId: string | null;
  @ApiProperty({ nullable: true, type: String }) closeReason: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ProposalPage {
  @ApiProperty({ type: [ProposalView] }) items: ProposalView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

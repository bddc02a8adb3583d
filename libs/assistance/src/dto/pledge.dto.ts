import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const MAX_FEN = 1e15;

export class CreatePledgeDto {
  @ApiPropertyOptional({ example: 2026, description: 'the China calendar year; the current one when absent' })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiProperty({ example: 50_000_000, description: 'what the purchaser commits to buy from poverty counties this year, fen' })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen: number;

  @ApiPropertyOptional({ example: 200_000_000, description: 'the canteen / procurement budget of the year, fen' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  procurementBudgetFen?: number;

  @ApiPropertyOptional({ example: 3000, description: 'share of that budget reserved for poverty-county produce, basis points (3000 = 30%)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  reservedShareBps?: number;
}

export class UpdatePledgeDto {
  @ApiPropertyOptional({ example: 60_000_000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  procurementBudgetFen?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  reservedShareBps?: number;
}

export interface PledgeView {
  id: string;
  organizationId: string;
  year: number;
  amountFen: number;
  procurementBudgetFen: number | null;
  reservedShareBps: number | null;
  /** procurementBudgetFen × reservedShareBps, when both are given. */
  reservedBudgetFen: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface PledgeMonth {
  month: string;
  fen: number;
  supervisedFen: number;
  kg: number;
}

export interface PledgeProgressView {
  year: number;
  asOf: string;
  pledge: PledgeView | null;
  progress: {
    /** Bought from poverty counties this year (paid, net of refunds and cancellations), fen and kg. */
    countedFen: number;
    countedKg: number;
    shareOfPledge: number | null;
    supervisedFen: number;
    shareFromSupervised: number | null;
    /** What an even pace would have bought by `asOf`. */
    expectedByNowFen: number | null;
    behindSchedule: boolean | null;
    remainingFen: number | null;
    byMonth: PledgeMonth[];
  };
}

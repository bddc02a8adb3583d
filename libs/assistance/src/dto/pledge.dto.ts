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

export class PledgeView {
  @ApiProperty() id: string;
  @ApiProperty() organizationId: string;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty() amountFen: number;
  @ApiProperty({ type: Number, nullable: true }) procurementBudgetFen: number | null;
  @ApiProperty({ type: Number, nullable: true }) reservedShareBps: number | null;
  /** procurementBudgetFen × reservedShareBps, when both are given. */
  @ApiProperty({ type: Number, nullable: true }) reservedBudgetFen: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class PledgeMonth {
  @ApiProperty({ example: '2026-03' }) month: string;
  @ApiProperty() fen: number;
  @ApiProperty() supervisedFen: number;
  @ApiProperty() kg: number;
}

export class PledgeProgress {
  /** Bought from poverty counties this year (paid, net of refunds and cancellations), fen and kg. */
  @ApiProperty() countedFen: number;
  @ApiProperty() countedKg: number;
  @ApiProperty({ type: Number, nullable: true }) shareOfPledge: number | null;
  @ApiProperty() supervisedFen: number;
  @ApiProperty({ type: Number, nullable: true }) shareFromSupervised: number | null;
  /** What an even pace would have bought by `asOf`. */
  @ApiProperty({ type: Number, nullable: true }) expectedByNowFen: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) behindSchedule: boolean | null;
  @ApiProperty({ type: Number, nullable: true }) remainingFen: number | null;
  @ApiProperty({ type: [PledgeMonth] }) byMonth: PledgeMonth[];
}

export class PledgeProgressView {
  @ApiProperty() year: number;
  @ApiProperty({ format: 'date' }) asOf: string;
  @ApiProperty({ type: PledgeView, nullable: true }) pledge: PledgeView | null;
  @ApiProperty({ type: PledgeProgress }) progress: PledgeProgress;
}

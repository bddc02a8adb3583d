import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PageQuery } from '@chanxiao/core';
import { IsKg } from '@chanxiao/listings/dto/listing.dto';
import { ORDER_STATUSES, type OrderStatus, PAYMENT_METHODS, type PaymentMethod } from '../order.state-machine';

export class OrderLineInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a listing id (uuid)' })
  listingId: string;

  @ApiProperty({ example: 1500, description: 'kg, at most 3 decimals' })
  @IsKg()
  quantityKg: number;
}

export class PlaceOrderDto {
  @ApiProperty({ type: [OrderLineInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInputDto)
  lines: OrderLineInputDto[];

  @ApiProperty({ enum: PAYMENT_METHODS })
  @IsIn(PAYMENT_METHODS)
  paymentMethod: PaymentMethod;
}

export class ShipOrderDto {
  @ApiProperty({ example: '顺丰速运' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(2)
  @MaxLength(50)
  carrier: string;

  @ApiProperty({ example: 'SF1402876512345' })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{6,40}$/, { message: 'must be 6-40 letters, digits or hyphens' })
  trackingNo: string;
}

export class ListOrdersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

}

export class OrderLineView {
  @ApiProperty() listingId: string;
  @ApiProperty() title: string;
  @ApiProperty() categoryCode: string;
  @ApiProperty() quantityKg: number;
  @ApiProperty() unitPriceFen: number;
  @ApiProperty() amountFen: number;
}

export class OrderView {
  @ApiProperty() id: string;
  @ApiProperty() orderGroupId: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: OrderStatus;
  @ApiProperty() sellerOrganizationId: string;
  @ApiProperty() buyerOrganizationId: string;
  @ApiProperty({ enum: PAYMENT_METHODS }) paymentMethod: PaymentMethod;
  @ApiProperty({ type: [OrderLineView] }) lines: OrderLineView[];
  @ApiProperty() totalFen: number;
  @ApiProperty() payBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) paidAt: string | null;
  @ApiProperty({ nullable: true, type: String }) shippedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) carrier: string | null;
  @ApiProperty({ nullable: true, type: String }) trackingNo: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelledAt: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelReason: string | null;
}

export class OrderGroupView {
  @ApiProperty() orderGroupId: string;
  @ApiProperty() totalFen: number;
  @ApiProperty({ enum: PAYMENT_METHODS }) paymentMethod: PaymentMethod;
  @ApiProperty({ type: [OrderView] }) orders: OrderView[];
}

export class OrderPage {
  @ApiProperty({ type: [OrderView] }) items: OrderView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

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

/** An order number as the API writes it: `CX`, the creation date (8 digits, Beijing time), 6 or more digits. */
export const ORDER_NUMBER = /^CX\d{14,}$/;

export class ListOrdersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({ example: 'CX20261204000123', description: 'only the order with this number (exact match; case and surrounding spaces are ignored)' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(ORDER_NUMBER, { message: 'must be an order number: CX, the 8-digit date and at least 6 digits (CX20261204000123)' })
  number?: string;
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
  @ApiProperty({ example: 'CX20261204000123', description: 'unique; what a buyer writes on a bank slip as the remittance note (汇款备注)' })
  number: string;
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

/** Where a buyer paying by bank transfer sends the money: the seller organisation's payout account (收款账户). */
export class PayToView {
  @ApiProperty({ example: '广南县八宝贡米农民专业合作社' }) accountName: string;
  @ApiProperty({ example: '中国农业银行广南县支行' }) bankName: string;
  @ApiProperty({ example: '6228480123456789012' }) accountNo: string;
}

/** An order as its buyer sees it: the seller's name and, for a bank transfer, where to pay. */
export class BuyerOrderView extends OrderView {
  @ApiProperty({ example: '广南县八宝贡米农民专业合作社' }) sellerName: string;
  @ApiProperty({
    type: PayToView,
    nullable: true,
    description: "bank_transfer orders: the seller's payout account, to pay with `number` as the remittance note; null for stripe orders or when the seller has not set one yet",
  })
  payTo: PayToView | null;
}

/** An order as its seller sees it: the buyer's name. */
export class SellerOrderView extends OrderView {
  @ApiProperty({ example: '北京新发地农产品批发市场' }) buyerName: string;
}

export class OrderGroupView {
  @ApiProperty() orderGroupId: string;
  @ApiProperty() totalFen: number;
  @ApiProperty({ enum: PAYMENT_METHODS }) paymentMethod: PaymentMethod;
  @ApiProperty({ type: [OrderView] }) orders: OrderView[];
}

/** An order group as the buyer's `POST /orders` answers it. */
export class BuyerOrderGroupView {
  @ApiProperty() orderGroupId: string;
  @ApiProperty() totalFen: number;
  @ApiProperty({ enum: PAYMENT_METHODS }) paymentMethod: PaymentMethod;
  @ApiProperty({ type: [BuyerOrderView] }) orders: BuyerOrderView[];
}

export class OrderPage {
  @ApiProperty({ type: [OrderView] }) items: OrderView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class BuyerOrderPage {
  @ApiProperty({ type: [BuyerOrderView] }) items: BuyerOrderView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class SellerOrderPage {
  @ApiProperty({ type: [SellerOrderView] }) items: SellerOrderView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

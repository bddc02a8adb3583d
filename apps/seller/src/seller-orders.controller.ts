import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@chanxiao/core';
import { ListOrdersQuery, OrderLifecycleService, OrdersService, OrderView, SellerOrderPage, SellerOrderView, ShipOrderDto } from '@chanxiao/orders';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class SellerOrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly lifecycle: OrderLifecycleService,
  ) {}

  /** Orders placed with this seller, newest first; `number` finds one by the number on a buyer's bank slip. */
  @Get()
  @ApiOkResponse({ type: SellerOrderPage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListOrdersQuery): Promise<SellerOrderPage> {
    return this.orders.listForSeller(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SellerOrderView })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<SellerOrderView> {
    return this.orders.getForSeller(principal, id);
  }

  /** The bank transfer arrived: the order is paid and its reserved stock becomes sold. */
  @Post(':id/confirm-payment')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderView })
  confirmPayment(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.lifecycle.confirmPayment(principal, id);
  }

  @Post(':id/ship')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderView })
  ship(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: ShipOrderDto): Promise<OrderView> {
    return this.lifecycle.ship(principal, id, body);
  }
}

import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '@chanxiao/core';
import { ListOrdersQuery, OrderGroupView, OrderLifecycleService, OrderPage, OrdersService, OrderView, PlaceOrderDto } from '@chanxiao/orders';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class BuyerOrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly lifecycle: OrderLifecycleService,
  ) {}

  /**
   * Places lots from any number of sellers as one order group (one order per seller), reserving their stock.
   * The same `Idempotency-Key` with the same body answers the first response again; with another body, 422.
   */
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'unique per checkout, 8-255 visible ASCII characters' })
  @ApiCreatedResponse({ type: OrderGroupView })
  async place(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: PlaceOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderGroupView> {
    const { view, replayed } = await this.orders.place(principal, key, body);
    if (replayed) reply.header('idempotent-replayed', 'true');
    return view;
  }

  @Get()
  @ApiOkResponse({ type: OrderPage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListOrdersQuery): Promise<OrderPage> {
    return this.orders.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderView })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.orders.get(principal, id);
  }

  /** Cancels an unpaid order; its stock returns to the lots. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderView })
  cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.lifecycle.cancel(principal, id);
  }

  @Post(':id/confirm-delivery')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderView })
  confirmDelivery(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.lifecycle.confirmDelivery(principal, id);
  }
}

import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '@chanxiao/core';
import { BuyerOrderPage, BuyerOrderView, ListOrdersQuery, OrderLifecycleService, OrdersService, OrderView, PlaceOrderDto } from '@chanxiao/orders';
import { CancelLinesDto, CancelLinesResult, OnlineCheckoutService, OnlineOrderGroupView, PaidOrderCancellationService } from '@chanxiao/payments';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class BuyerOrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly lifecycle: OrderLifecycleService,
    private readonly checkout: OnlineCheckoutService,
    private readonly paidCancellation: PaidOrderCancellationService,
  ) {}

  /**
   * Places lots from any number of sellers as one order group (one order per seller), reserving their stock.
   * The same `Idempotency-Key` with the same body answers the first response again; with another body, 422.
   * With `paymentMethod: 'stripe'` the answer carries `payment` (the PaymentIntent's client secret); if Stripe
   * is down the orders stand (pending payment) and the answer is 503/502 naming the group. Each order carries
   * its `number` and, for a bank transfer, `payTo` (the seller's payout account).
   */
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'unique per checkout, 8-255 visible ASCII characters' })
  @ApiCreatedResponse({ type: OnlineOrderGroupView })
  async place(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: PlaceOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OnlineOrderGroupView> {
    const { view, replayed } = await this.checkout.place(principal, key, body);
    if (replayed) reply.header('idempotent-replayed', 'true');
    return view;
  }

  /** The buyer's orders, newest first; `number` finds one order by its number (within the buyer's own orders). */
  @Get()
  @ApiOkResponse({ type: BuyerOrderPage })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListOrdersQuery): Promise<BuyerOrderPage> {
    return this.orders.listForBuyer(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: BuyerOrderView })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<BuyerOrderView> {
    return this.orders.getForBuyer(principal, id);
  }

  /** Cancels an unpaid order; its stock returns to the lots. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderView })
  cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.lifecycle.cancel(principal, id);
  }

  /**
   * Cancels lines of a paid (online) order, or some kilograms of them, before it ships, and refunds exactly
   * their amount; cancelling everything cancels the order and refunds its total.
   */
  @Post(':id/cancel-lines')
  @HttpCode(200)
  @ApiOkResponse({ type: CancelLinesResult })
  cancelLines(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: CancelLinesDto): Promise<CancelLinesResult> {
    return this.paidCancellation.cancelLines(principal, id, body);
  }

  @Post(':id/confirm-delivery')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderView })
  confirmDelivery(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.lifecycle.confirmDelivery(principal, id);
  }
}

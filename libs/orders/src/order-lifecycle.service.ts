import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, DomainError, drainLockedBatches, OutboxService, type Principal, uuidOrNone } from '@chanxiao/core';
import { ListingStockService } from '@chanxiao/listings/listing-stock.service';
import { type DataSource, type EntityManager, LessThan } from 'typeorm';
import type { OrderView, ShipOrderDto } from './dto/order.dto';
import { Order, OrderLine } from './order.entity';
import { orderStateMachine, type OrderStatus, type OrderTransitionContext } from './order.state-machine';
import { orderEvent, toOrderView } from './order.view';
import { scope } from './orders.service';

const BATCH = 200;

/**
 * Moves orders through their lifecycle. Each transition locks the order row, checks the state machine,
 * moves stock (sell on payment, release on cancellation) and writes the outbox event, in one transaction.
 * Because the lock serialises them, an unpaid-order job, the sweeper and a buyer's cancel racing each other
 * release the stock exactly once: whoever comes second finds the order no longer pending.
 */
@Injectable()
export class OrderLifecycleService {
  private readonly logger = new Logger(OrderLifecycleService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stock: ListingStockService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  /** The seller says the bank transfer arrived: reserved stock becomes sold. */
  confirmPayment(principal: Principal, id: string): Promise<OrderView> {
    return this.apply(principal, id, 'paid', this.sell);
  }

  /**
   * An online payment arrived (the payments lib's webhook): inside the caller's transaction, with the order row
   * already locked by the caller, the order becomes paid and its reserved stock sold.
   */
  markPaid(manager: EntityManager, order: Order): Promise<OrderLine[]> {
    return this.transition(manager, order, 'paid', { paymentMethod: order.paymentMethod, actor: 'system' }, this.sell);
  }

  ship(principal: Principal, id: string, shipment: ShipOrderDto): Promise<OrderView> {
    return this.apply(principal, id, 'shipped', async (_manager, order) => {
      order.carrier = shipment.carrier;
      order.trackingNo = shipment.trackingNo;
      order.shippedAt = new Date();
    });
  }

  confirmDelivery(principal: Principal, id: string): Promise<OrderView> {
    return this.apply(principal, id, 'delivered', async (_manager, order) => {
      order.deliveredAt = new Date();
    });
  }

  /** The buyer cancels an unpaid order; its stock returns to the lots. */
  cancel(principal: Principal, id: string): Promise<OrderView> {
    return this.apply(principal, id, 'cancelled', (manager, order, lines) => this.release(manager, order, lines, 'buyer'));
  }

  /** The delayed job's work: cancel the order if it is still unpaid past its deadline. False when there was nothing to do. */
  async cancelIfUnpaid(orderId: string, now = new Date()): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const order = await manager.getRepository(Order).findOne({ where: { id: orderId }, lock: { mode: 'pessimistic_write' } });
      if (!order || order.status !== 'pending_payment' || order.payBy > now) return false;
      await this.transition(manager, order, 'cancelled', { paymentMethod: order.paymentMethod, actor: 'system' }, (m, o, lines) => this.release(m, o, lines, 'unpaid'));
      return true;
    });
  }

  /**
   * The periodic sweep: cancels unpaid orders past their deadline whose delayed job was lost, and completes
   * orders delivered more than ORDER_AUTO_COMPLETE_DAYS ago. SKIP LOCKED batches, so several matchers are safe.
   */
  async sweep(now = new Date()): Promise<{ cancelled: number; completed: number }> {
    const completeBefore = new Date(now.getTime() - this.config.ORDER_AUTO_COMPLETE_DAYS * 86_400_000);
    const cancelled = await this.sweepWhere({ status: 'pending_payment', payBy: LessThan(now) }, 'cancelled', (m, o, lines) => this.release(m, o, lines, 'unpaid'));
    const completed = await this.sweepWhere({ status: 'delivered', deliveredAt: LessThan(completeBefore) }, 'completed', async (_m, o) => {
      o.completedAt = now;
    });
    if (cancelled || completed) this.logger.log(`sweep: cancelled ${cancelled} unpaid, completed ${completed} delivered orders`);
    return { cancelled, completed };
  }

  private sweepWhere(where: Record<string, unknown>, to: OrderStatus, effect: Effect): Promise<number> {
    return drainLockedBatches(
      this.dataSource,
      BATCH,
      (manager, size) => manager.getRepository(Order).find({ where, take: size, lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' } }),
      async (manager, order) => {
        await this.transition(manager, order, to, { paymentMethod: order.paymentMethod, actor: 'system' }, effect);
      },
    );
  }

  private async apply(principal: Principal, id: string, to: OrderStatus, effect: Effect): Promise<OrderView> {
    return this.dataSource.transaction(async (manager) => {
      const order = await manager.getRepository(Order).findOne({ where: { id: uuidOrNone(id), ...scope(principal) }, lock: { mode: 'pessimistic_write' } });
      if (!order) throw DomainError.notFound('order', id);
      const lines = await this.transition(manager, order, to, { paymentMethod: order.paymentMethod, actor: principal.kind === 'seller' ? 'seller' : 'buyer' }, effect);
      return toOrderView(order, lines);
    });
  }

  /**
   * One transition inside the caller's transaction (the order row locked by the caller): FSM check, `effect`,
   * save, outbox event. Public for the payments lib, which cancels paid orders with a refund.
   */
  async transition(manager: EntityManager, order: Order, to: OrderStatus, context: OrderTransitionContext, effect: Effect): Promise<OrderLine[]> {
    orderStateMachine.assert(order.status, to, context);
    const lines = await manager.getRepository(OrderLine).find({ where: { orderId: order.id }, order: { lineNo: 'ASC' } });
    await effect(manager, order, lines);
    order.status = to;
    await manager.getRepository(Order).save(order);
    await this.outbox.write(manager, orderEvent(`order.${to}`, order, lines));
    return lines;
  }

  private readonly sell: Effect = async (manager, order, lines) => {
    for (const line of lines) await this.stock.sell(manager, line.listingId, line.quantityGrams);
    order.paidAt = new Date();
  };

  private async release(manager: EntityManager, order: Order, lines: OrderLine[], reason: 'buyer' | 'unpaid'): Promise<void> {
    // Same id order as reservation, so a cancellation and a checkout touching the same lots cannot deadlock.
    for (const line of [...lines].sort((a, b) => (a.listingId < b.listingId ? -1 : 1))) {
      await this.stock.release(manager, line.listingId, line.quantityGrams);
    }
    order.cancelledAt = new Date();
    order.cancelReason = reason;
  }
}

export type Effect = (manager: EntityManager, order: Order, lines: OrderLine[]) => Promise<void>;

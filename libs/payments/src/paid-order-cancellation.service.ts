import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, type FieldProblem, OutboxService, type Principal, uuidOrNone } from '@chanxiao/core';
import { ListingStockService } from '@chanxiao/listings/listing-stock.service';
import { kgToGrams } from '@chanxiao/listings/quantity.util';
import { lineAmountFen, Order, OrderLifecycleService, OrderLine, type OrderTransitionContext, orderEvent, orderStateMachine, scope, toOrderView } from '@chanxiao/orders';
import type { DataSource, EntityManager } from 'typeorm';
import type { CancelLinesDto, CancelLinesResult } from './dto/payment.dto';
import { RefundLine, type Refund } from './payment.entity';
import { toRefundView } from './payment.view';
import { PaymentIntentsService } from './payment-intents.service';
import { PayoutsService } from './payouts.service';
import { type RefundLineInput, RefundsService } from './refunds.service';

/** One requested cancellation matched to its order line. */
interface Cut {
  line: OrderLine;
  grams: number;
  /** What the line is worth after the cut; the refund for it is the difference. */
  remainingAmountFen: number;
}

/**
 * Cancels a paid (online) order before it ships, wholly or some lines or kilograms of it, and pays back exactly
 * what was taken off. One transaction: lock the order, check the state machine (a partial cancellation is
 * allowed exactly where a whole one is), take the lines down, give the sold stock back to the lots, write the
 * outbox event, record the refund (reconciled against the payment); then, after commit, ask Stripe for it.
 * Each line's amount is recomputed from its remaining grams (rounded as at checkout), so the refunds and the
 * order's total always add up to what was paid.
 */
@Injectable()
export class PaidOrderCancellationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lifecycle: OrderLifecycleService,
    private readonly stock: ListingStockService,
    private readonly outbox: OutboxService,
    private readonly intents: PaymentIntentsService,
    private readonly refunds: RefundsService,
    private readonly payouts: PayoutsService,
  ) {}

  async cancelLines(principal: Principal, orderId: string, body: CancelLinesDto): Promise<CancelLinesResult> {
    const repeated = body.lines.flatMap((l, i) => {
      const first = body.lines.findIndex((o) => o.listingId === l.listingId);
      return first < i ? [{ field: `lines[${i}].listingId`, message: `repeats lines[${first}]; name each lot once` }] : [];
    });
    if (repeated.length) throw DomainError.validation('order.invalid', repeated);
    const { order, refund, lines } = await this.dataSource.transaction(async (manager) => {
      const found = await manager.getRepository(Order).findOne({ where: { id: uuidOrNone(orderId), ...scope(principal) }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw DomainError.notFound('order', orderId);
      if (found.status === 'pending_payment') {
        throw new DomainError('conflict', 'order.not_paid', `order ${found.id} is not paid yet: cancel it whole with POST /api/v1/orders/${found.id}/cancel`, [{ field: 'status', message: 'is pending_payment' }]);
      }
      const context: OrderTransitionContext = { paymentMethod: found.paymentMethod, actor: 'buyer', refund: true };
      orderStateMachine.assert(found.status, 'cancelled', context);
      const orderLines = await manager.getRepository(OrderLine).find({ where: { orderId: found.id }, order: { lineNo: 'ASC' } });
      const cuts = this.cutsOf(body, orderLines);
      const intent = await this.intents.lockSucceeded(manager, found.orderGroupId);
      if (!intent) throw new Error(`paid online order ${found.id} has no succeeded PaymentIntent`);
      const whole = cuts.length === orderLines.length && cuts.every((c) => c.grams === c.line.quantityGrams);
      const refundFen = whole ? found.totalFen : cuts.reduce((sum, c) => sum + c.line.amountFen - c.remainingAmountFen, 0);
      const refundLines: RefundLineInput[] = cuts.map((c) => ({
        listingId: c.line.listingId, title: c.line.title, quantityGrams: c.grams, unitPriceFen: c.line.unitPriceFen,
        amountFen: whole ? c.line.amountFen : c.line.amountFen - c.remainingAmountFen,
      }));
      // Same id order as reservations, so this cannot deadlock with a checkout on the same lots.
      for (const c of [...cuts].sort((a, b) => (a.line.listingId < b.line.listingId ? -1 : 1))) await this.stock.returnSold(manager, c.line.listingId, c.grams);
      const made = refundFen > 0 ? await this.refunds.record(manager, intent.id, found, refundFen, whole ? 'cancelled_order' : 'cancelled_lines', refundLines) : null;
      if (whole) {
        await this.lifecycle.transition(manager, found, 'cancelled', context, async (m, o) => {
          o.cancelledAt = new Date();
          o.cancelReason = 'buyer';
          await this.payouts.void(m, o);
        });
      } else {
        await this.takeDown(manager, found, cuts, refundFen);
      }
      const after = await manager.getRepository(OrderLine).find({ where: { orderId: found.id }, order: { lineNo: 'ASC' } });
      return { order: toOrderView(found, after), refund: made, lines: made ? await manager.getRepository(RefundLine).findBy({ refundId: made.id }) : [] };
    });
    const sent: Refund | null = refund ? await this.refunds.send(refund.id) : null;
    return { order, refund: sent ? toRefundView(sent, lines) : null };
  }

  /** Matches each requested lot to a line of the order and checks the quantity; 400 naming each bad line. */
  private cutsOf(body: CancelLinesDto, lines: OrderLine[]): Cut[] {
    const problems: FieldProblem[] = [];
    const cuts = body.lines.flatMap((request, i) => {
      const line = lines.find((l) => l.listingId === request.listingId);
      if (!line) {
        problems.push({ field: `lines[${i}].listingId`, message: 'is not on this order' });
        return [];
      }
      const grams = kgToGrams(request.quantityKg);
      if (grams <= 0 || grams > line.quantityGrams) {
        problems.push({ field: `lines[${i}].quantityKg`, message: `must be more than 0 and at most the ${line.quantityGrams / 1000} kg on this line` });
        return [];
      }
      return [{ line, grams, remainingAmountFen: lineAmountFen(line.quantityGrams - grams, line.unitPriceFen) }];
    });
    if (problems.length) throw DomainError.validation('order.invalid', problems);
    return cuts;
  }

  /** A partial cancellation: lines shrink (a line cancelled whole goes), the total drops by the refund; the order stays paid. */
  private async takeDown(manager: EntityManager, order: Order, cuts: Cut[], refundFen: number): Promise<void> {
    for (const { line, grams, remainingAmountFen } of cuts) {
      if (grams === line.quantityGrams) await manager.delete(OrderLine, { orderId: line.orderId, lineNo: line.lineNo });
      else await manager.update(OrderLine, { orderId: line.orderId, lineNo: line.lineNo }, { quantityGrams: line.quantityGrams - grams, amountFen: remainingAmountFen });
    }
    order.totalFen -= refundFen;
    await manager.getRepository(Order).save(order);
    const event = orderEvent('order.partly_cancelled', order, await manager.getRepository(OrderLine).find({ where: { orderId: order.id } }));
    event.payload.cancelled = cuts.map((c) => ({ listingId: c.line.listingId, grams: c.grams }));
    event.payload.refundFen = refundFen;
    await this.outbox.write(manager, event);
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { createHash, randomUUID } from 'node:crypto';
import { AppConfig, withTimeout, decodeCreatedCursor, DomainError, OutboxService, type Page, type Principal, QueueName, toPage, uuidOrNone } from '@chanxiao/core';
import { ListingStockService, type Reserved } from '@chanxiao/listings/listing-stock.service';
import { kgToGrams } from '@chanxiao/listings/quantity.util';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { ListOrdersQuery, OrderGroupView, OrderView, PlaceOrderDto } from './dto/order.dto';
import { IdempotencyKey, Order, OrderLine } from './order.entity';
import { canonicalJson, lineAmountFen } from './order-pricing.util';
import { orderEvent, toOrderView } from './order.view';

const KEY = /^[\x21-\x7e]{8,255}$/;

/** The outcome of `place`: the order group, and whether it is the replay of an earlier request. */
export interface Placed {
  view: OrderGroupView;
  replayed: boolean;
}

class KeyAlreadyUsed extends Error {}

/**
 * Places multi-seller orders and reads them. One checkout is one transaction: claim the Idempotency-Key,
 * price the lines from the lots as they are, write the group, one order per seller with prices snapshotted,
 * the outbox events and the stored response, then reserve every line's stock with one conditional UPDATE per
 * lot at the quoted price (all or nothing: any miss rolls the whole checkout back). After commit, a delayed job
 * per order will cancel it if unpaid by `payBy` (the matcher's sweeper catches any job that was lost).
 */
@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stock: ListingStockService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Orders) private readonly queue: Queue,
  ) {}

  async place(principal: Principal, key: string | undefined, body: PlaceOrderDto): Promise<Placed> {
    if (!key || !KEY.test(key)) {
      throw DomainError.validation('order.idempotency_key', [{ field: 'Idempotency-Key', message: 'header is required: 8-255 visible ASCII characters, unique per checkout' }]);
    }
    this.assertLines(body);
    const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    let view: OrderGroupView;
    try {
      view = await this.dataSource.transaction(async (manager) => {
        const claimed = await manager.query(
          `INSERT INTO idempotency_keys (organization_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
          [principal.organizationId, key, hash],
        );
        // Another request with this key committed first (a concurrent twin waits here for it to finish).
        if (claimed.length === 0) throw new KeyAlreadyUsed();
        const requests = body.lines.map((l, i) => ({ listingId: l.listingId, grams: kgToGrams(l.quantityKg), field: `lines[${i}]` }));
        // Price and write everything first; the hot lots' rows are locked last, just before COMMIT, so a
        // popular lot is held for two round trips per order, not the whole checkout.
        const quoted = await this.stock.quote(manager, requests);
        const { view: placed, orders, lines } = this.buildOrders(principal, key, body, quoted);
        await this.writeOrders(manager, principal, key, placed, orders, lines);
        await this.stock.reserve(manager, quoted.map((q, i) => ({ ...requests[i], unitPriceFen: q.unitPriceFen })));
        return placed;
      });
    } catch (error) {
      if (error instanceof KeyAlreadyUsed) return { view: await this.replay(principal, key, hash), replayed: true };
      throw error;
    }
    // Not awaited: the buyer's answer does not wait for Redis; a job that fails to enqueue is logged and the sweep
    // cancels the order when it is overdue.
    void this.scheduleUnpaidCancellation(view.orders);
    return { view, replayed: false };
  }

  async get(principal: Principal, id: string): Promise<OrderView> {
    const order = await this.dataSource.getRepository(Order).findOne({ where: { id: uuidOrNone(id), ...scope(principal) }, relations: { lines: true } });
    if (!order) throw DomainError.notFound('order', id);
    return toOrderView(order);
  }

  async list(principal: Principal, query: ListOrdersQuery): Promise<Page<OrderView>> {
    const limit = query.limit ?? 20;
    const side = principal.kind === 'seller' ? 'seller_organization_id' : 'buyer_organization_id';
    const qb = this.dataSource
      .getRepository(Order)
      .createQueryBuilder('o')
      .where(`o.${side} = :org`, { org: principal.organizationId })
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .take(limit + 1);
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    if (query.cursor) {
      const [createdAt, id] = decodeCreatedCursor(query.cursor);
      qb.andWhere('(o.created_at, o.id) < (:createdAt, :id)', { createdAt, id });
    }
    const orders = await qb.getMany();
    const lines = orders.length ? await this.dataSource.getRepository(OrderLine).findBy({ orderId: In(orders.map((o) => o.id)) }) : [];
    return toPage(orders, limit, (o) => toOrderView(o, lines.filter((l) => l.orderId === o.id)), (o) => [o.createdAt.toISOString(), o.id]);
  }

  private assertLines(body: PlaceOrderDto): void {
    const seen = new Map<string, number>();
    const problems = body.lines.flatMap((line, i) => {
      const first = seen.get(line.listingId);
      seen.set(line.listingId, first ?? i);
      return first === undefined ? [] : [{ field: `lines[${i}].listingId`, message: `repeats lines[${first}]; order each lot once` }];
    });
    if (body.paymentMethod === 'stripe') problems.push({ field: 'paymentMethod', message: 'online payment (stripe) is not enabled on this server yet; use bank_transfer' });
    if (problems.length) throw DomainError.validation('order.invalid', problems);
  }

  /** The group, one order per seller (lines in the buyer's order), amounts and views, built in memory. */
  private buildOrders(principal: Principal, key: string, body: PlaceOrderDto, quoted: Reserved[]): { view: OrderGroupView; orders: Order[]; lines: OrderLine[] } {
    const now = new Date();
    const payBy = new Date(now.getTime() + this.config.ORDER_PAY_WITHIN_MINUTES * 60_000);
    const groupId = randomUUID();
    const bySeller = new Map<string, Reserved[]>();
    for (const q of quoted) bySeller.set(q.organizationId, [...(bySeller.get(q.organizationId) ?? []), q]);
    const orders: Order[] = [];
    const lines: OrderLine[] = [];
    for (const [sellerOrganizationId, items] of bySeller) {
      const orderId = randomUUID();
      const orderLines = items.map((q, i) =>
        Object.assign(new OrderLine(), {
          orderId, lineNo: i + 1, listingId: q.listingId, title: q.title, categoryCode: q.categoryCode,
          quantityGrams: q.grams, unitPriceFen: q.unitPriceFen, amountFen: lineAmountFen(q.grams, q.unitPriceFen),
        }),
      );
      lines.push(...orderLines);
      orders.push(Object.assign(new Order(), {
        id: orderId, orderGroupId: groupId, buyerOrganizationId: principal.organizationId, sellerOrganizationId,
        status: 'pending_payment', paymentMethod: body.paymentMethod, totalFen: orderLines.reduce((sum, l) => sum + l.amountFen, 0),
        payBy, createdAt: now, updatedAt: now, lines: orderLines,
        paidAt: null, shippedAt: null, carrier: null, trackingNo: null, deliveredAt: null, completedAt: null, cancelledAt: null, cancelReason: null,
      }));
    }
    const totalFen = orders.reduce((sum, o) => sum + o.totalFen, 0);
    const view = { orderGroupId: groupId, totalFen, paymentMethod: body.paymentMethod, orders: orders.map((o) => toOrderView(o)) };
    return { view, orders, lines };
  }

  // One statement for the group, its orders and lines, and the stored response; one more for the outbox events.
  private async writeOrders(manager: EntityManager, principal: Principal, key: string, view: OrderGroupView, orders: Order[], lines: OrderLine[]): Promise<void> {
    await manager.query(
      `WITH g AS (
         INSERT INTO order_groups (id, buyer_organization_id, idempotency_key, payment_method, total_fen, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
       ), o AS (
         INSERT INTO orders (id, order_group_id, buyer_organization_id, seller_organization_id, status, payment_method, total_fen, pay_by, created_at, updated_at)
         SELECT id, $1, $2, seller_organization_id, 'pending_payment', $4, total_fen, pay_by, $6, $6
           FROM jsonb_to_recordset($7::jsonb) AS x(id uuid, seller_organization_id uuid, total_fen bigint, pay_by timestamptz)
       ), l AS (
         INSERT INTO order_lines (order_id, line_no, listing_id, title, category_code, quantity_grams, unit_price_fen, amount_fen)
         SELECT order_id, line_no, listing_id, title, category_code, quantity_grams, unit_price_fen, amount_fen
           FROM jsonb_to_recordset($8::jsonb) AS x(order_id uuid, line_no smallint, listing_id uuid, title text, category_code text, quantity_grams bigint, unit_price_fen integer, amount_fen bigint)
       )
       UPDATE idempotency_keys SET status_code = 201, response = $9 WHERE organization_id = $2 AND key = $3`,
      [
        view.orderGroupId, principal.organizationId, key, view.paymentMethod, view.totalFen, orders[0].createdAt.toISOString(),
        JSON.stringify(orders.map((o) => ({ id: o.id, seller_organization_id: o.sellerOrganizationId, total_fen: o.totalFen, pay_by: o.payBy.toISOString() }))),
        JSON.stringify(lines.map((l) => ({ order_id: l.orderId, line_no: l.lineNo, listing_id: l.listingId, title: l.title, category_code: l.categoryCode, quantity_grams: l.quantityGrams, unit_price_fen: l.unitPriceFen, amount_fen: l.amountFen }))),
        JSON.stringify(view),
      ],
    );
    await this.outbox.writeMany(manager, orders.map((o) => orderEvent('order.placed', o)));
  }

  private async replay(principal: Principal, key: string, hash: string): Promise<OrderGroupView> {
    const stored = await this.dataSource.getRepository(IdempotencyKey).findOneByOrFail({ organizationId: principal.organizationId, key });
    if (stored.requestHash !== hash) {
      throw new DomainError('unprocessable', 'order.idempotency_key_reused', 'this Idempotency-Key was already used with a different request body', [
        { field: 'Idempotency-Key', message: 'was used for a different order; use a new key for a new checkout' },
      ]);
    }
    return stored.response as OrderGroupView;
  }

  // Side effect after commit: if Redis is down the order still stands, and the sweeper cancels it when overdue.
  private async scheduleUnpaidCancellation(orders: OrderView[]): Promise<void> {
    for (const order of orders) {
      try {
        const job = this.queue.add('cancel-unpaid', { orderId: order.id }, { jobId: `cancel-unpaid-${order.id}`, delay: Math.max(0, Date.parse(order.payBy) - Date.now()) });
        await withTimeout(job, 1000, 'Redis did not answer within 1 s');
      } catch (error) {
        this.logger.warn(`could not schedule the unpaid-order cancellation of ${order.id} (the sweeper will catch it): ${(error as Error).message}`);
      }
    }
  }
}

/** The orders a principal may see: a seller's sales, a buyer's purchases. */
export function scope(principal: Principal): { sellerOrganizationId: string } | { buyerOrganizationId: string } {
  return principal.kind === 'seller' ? { sellerOrganizationId: principal.organizationId } : { buyerOrganizationId: principal.organizationId };
}

import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { createHash, randomUUID } from 'node:crypto';
import { AppConfig, withTimeout, decodeCreatedCursor, pgPool, preparedQuery, DomainError, OutboxService, type Page, type Principal, QueueName, toPage, uuidOrNone } from '@chanxiao/core';
import { ListingStockService, type Reserved } from '@chanxiao/listings/listing-stock.service';
import { kgToGrams } from '@chanxiao/listings/quantity.util';
import { type DataSource, In, QueryFailedError } from 'typeorm';
import type { BuyerOrderGroupView, BuyerOrderView, ListOrdersQuery, OrderGroupView, OrderView, PlaceOrderDto, SellerOrderView } from './dto/order.dto';
import { IdempotencyKey, Order, OrderLine } from './order.entity';
import { OrderPartiesService } from './order-parties.service';
import { canonicalJson, lineAmountFen } from './order-pricing.util';
import { orderEvent, toOrderView } from './order.view';

const KEY = /^[\x21-\x7e]{8,255}$/;

/** The outcome of `place`: the order group, and whether it is the replay of an earlier request. */
export interface Placed {
  view: BuyerOrderGroupView;
  replayed: boolean;
}

/** A checkout built in memory before it is written. */
interface BuiltOrders {
  view: OrderGroupView;
  orders: Order[];
  lines: OrderLine[];
}

// The message `chanxiao_raise_if` raises when a checkout could not reserve every line.
const STOCK_MISSED = 'chanxiao.stock_missed';

/**
 * Places multi-seller orders and reads them. A checkout prices its lines from the lots as they are, builds the
 * group and one order per seller in memory (prices snapshotted), then writes everything in one statement:
 * claim the Idempotency-Key, reserve each line with a conditional UPDATE at the quoted price, insert the orders,
 * lines and outbox events. All or nothing: a line that cannot be reserved aborts the statement. After commit, a delayed job
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
    private readonly parties: OrderPartiesService,
  ) {}

  async place(principal: Principal, key: string | undefined, body: PlaceOrderDto): Promise<Placed> {
    if (!key || !KEY.test(key)) {
      throw DomainError.validation('order.idempotency_key', [{ field: 'Idempotency-Key', message: 'header is required: 8-255 visible ASCII characters, unique per checkout' }]);
    }
    this.assertLines(body);
    const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    const requests = body.lines.map((l, i) => ({ listingId: l.listingId, grams: kgToGrams(l.quantityKg), field: `lines[${i}]` }));
    // Price from the lots as they are (no locks): refuses what is plainly impossible with a precise reason.
    const quoted = await this.stock.quote(this.dataSource.manager, requests);
    const placed = this.buildOrders(principal, key, body, quoted);
    for (let attempt = 1; ; attempt++) {
      try {
        const claimed = await this.checkout(principal, key, hash, placed, quoted);
        if (!claimed) return { view: await this.forBuyer(await this.replay(principal, key, hash)), replayed: true };
        break;
      } catch (error) {
        const code = error instanceof QueryFailedError ? (error.driverError as { code?: string; message?: string }) : undefined;
        if (code?.code === 'P0001' && code.message === STOCK_MISSED) {
          throw await this.stock.explain(this.dataSource.manager, quoted.map((q, i) => ({ ...requests[i], unitPriceFen: q.unitPriceFen })));
        }
        // Two multi-lot checkouts may lock the same lots in different orders; the statement is atomic, so retry it.
        if (code?.code === '40P01' && attempt < 3) continue;
        throw error;
      }
    }
    // Not awaited: the buyer's answer does not wait for Redis; a job that fails to enqueue is logged and the sweep
    // cancels the order when it is overdue.
    void this.scheduleUnpaidCancellation(placed.view.orders);
    return { view: await this.forBuyer(placed.view), replayed: false };
  }

  async get(principal: Principal, id: string): Promise<OrderView> {
    const order = await this.dataSource.getRepository(Order).findOne({ where: { id: uuidOrNone(id), ...scope(principal) }, relations: { lines: true } });
    if (!order) throw DomainError.notFound('order', id);
    return toOrderView(order);
  }

  /** One of the buyer's orders with the seller's name and, for a bank transfer, `payTo`. */
  async getForBuyer(principal: Principal, id: string): Promise<BuyerOrderView> {
    const [view] = await this.parties.forBuyer([await this.get(principal, id)]);
    return view;
  }

  /** One of the seller's orders with the buyer's name. */
  async getForSeller(principal: Principal, id: string): Promise<SellerOrderView> {
    const [view] = await this.parties.forSeller([await this.get(principal, id)]);
    return view;
  }

  async listForBuyer(principal: Principal, query: ListOrdersQuery): Promise<Page<BuyerOrderView>> {
    const page = await this.list(principal, query);
    return { ...page, items: await this.parties.forBuyer(page.items) };
  }

  async listForSeller(principal: Principal, query: ListOrdersQuery): Promise<Page<SellerOrderView>> {
    const page = await this.list(principal, query);
    return { ...page, items: await this.parties.forSeller(page.items) };
  }

  private async forBuyer(group: OrderGroupView): Promise<BuyerOrderGroupView> {
    return { ...group, orders: await this.parties.forBuyer(group.orders) };
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
    // Within the caller's own orders: another organisation's number finds nothing rather than saying it exists.
    if (query.number) qb.andWhere('o.number = :number', { number: query.number });
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
    if (body.paymentMethod === 'stripe' && !this.config.stripeEnabled) {
      problems.push({ field: 'paymentMethod', message: 'online payment (stripe) is not enabled on this server (STRIPE_SECRET_KEY is not set); use bank_transfer' });
    }
    if (problems.length) throw DomainError.validation('order.invalid', problems);
  }

  /** The group, one order per seller (lines in the buyer's order), amounts and views, built in memory. */
  private buildOrders(principal: Principal, key: string, body: PlaceOrderDto, quoted: Reserved[]): BuiltOrders {
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
        // The number comes from the checkout statement (chanxiao_order_number), written into the view after it.
        id: orderId, number: '', orderGroupId: groupId, buyerOrganizationId: principal.organizationId, sellerOrganizationId,
        status: 'pending_payment', paymentMethod: body.paymentMethod, totalFen: orderLines.reduce((sum, l) => sum + l.amountFen, 0),
        payBy, createdAt: now, updatedAt: now, lines: orderLines,
        paidAt: null, shippedAt: null, carrier: null, trackingNo: null, deliveredAt: null, completedAt: null, cancelledAt: null, cancelReason: null,
      }));
    }
    const totalFen = orders.reduce((sum, o) => sum + o.totalFen, 0);
    const view = { orderGroupId: groupId, totalFen, paymentMethod: body.paymentMethod, orders: orders.map((o) => toOrderView(o)) };
    return { view, orders, lines };
  }

  /**
   * The whole checkout as ONE statement (so one implicit transaction): claim the key with the response, reserve
   * every line at its quoted price, and write the group, orders, lines and outbox events, all only if the key was
   * free. If any line cannot be reserved the statement raises and nothing at all is written. Hot lots' rows are
   * locked only while PostgreSQL runs it. False when the key was already used (the caller replays).
   */
  private async checkout(principal: Principal, key: string, hash: string, placed: BuiltOrders, quoted: Reserved[]): Promise<boolean> {
    const { view, orders, lines } = placed;
    const claimed = 'EXISTS (SELECT 1 FROM claim)';
    // A named prepared statement: the text (several KB) is parsed once per connection, then only values travel.
    // `nums` takes each order's number from the sequence (a replay wastes them: numbers may have gaps, never repeats);
    // the stored response carries them, so a replay answers the same numbers.
    const [row] = await preparedQuery<{ claimed: boolean; numbers: Record<string, string> }>(pgPool(this.dataSource), 'orders_checkout',
      `WITH nums AS (
         SELECT x.id, chanxiao_order_number($10::timestamptz) AS number FROM jsonb_to_recordset($11::jsonb) AS x(id uuid)
       ), claim AS (
         INSERT INTO idempotency_keys (organization_id, key, request_hash, status_code, response)
         SELECT $1, $2, $3, 201, jsonb_set($4::jsonb, '{orders}', (
           SELECT jsonb_agg(t.o || jsonb_build_object('number', n.number) ORDER BY t.i)
             FROM jsonb_array_elements($4::jsonb -> 'orders') WITH ORDINALITY AS t(o, i) JOIN nums n ON n.id = (t.o ->> 'id')::uuid))
         ON CONFLICT DO NOTHING RETURNING key
       ), wanted AS (
         SELECT * FROM jsonb_to_recordset($5::jsonb) AS w(listing_id uuid, grams bigint, unit_price_fen integer) ORDER BY listing_id
       ), reserved AS (
         ${this.stock.reservationSql('wanted', claimed)}
       ), checked AS (
         SELECT chanxiao_raise_if(${claimed} AND (SELECT count(*) FROM reserved) <> $6, '${STOCK_MISSED}') AS ok
       ), g AS (
         INSERT INTO order_groups (id, buyer_organization_id, idempotency_key, payment_method, total_fen, created_at)
         SELECT $7, $1, $2, $8, $9, $10 WHERE ${claimed}
       ), o AS (
         INSERT INTO orders (id, number, order_group_id, buyer_organization_id, seller_organization_id, status, payment_method, total_fen, pay_by, created_at, updated_at)
         SELECT x.id, n.number, $7, $1, seller_organization_id, 'pending_payment', $8, total_fen, pay_by, $10, $10
           FROM jsonb_to_recordset($11::jsonb) AS x(id uuid, seller_organization_id uuid, total_fen bigint, pay_by timestamptz) JOIN nums n ON n.id = x.id
          WHERE ${claimed}
       ), l AS (
         INSERT INTO order_lines (order_id, line_no, listing_id, title, category_code, quantity_grams, unit_price_fen, amount_fen)
         SELECT order_id, line_no, listing_id, title, category_code, quantity_grams, unit_price_fen, amount_fen
           FROM jsonb_to_recordset($12::jsonb) AS x(order_id uuid, line_no smallint, listing_id uuid, title text, category_code text, quantity_grams bigint, unit_price_fen integer, amount_fen bigint)
          WHERE ${claimed}
       ), e AS (
         ${this.outbox.insertSql('$13', claimed)}
       )
       SELECT ${claimed} AS claimed, (SELECT ok FROM checked) AS ok, (SELECT jsonb_object_agg(id, number) FROM nums) AS numbers`,
      [
        principal.organizationId, key, hash, JSON.stringify(view),
        JSON.stringify(quoted.map((q) => ({ listing_id: q.listingId, grams: q.grams, unit_price_fen: q.unitPriceFen }))), quoted.length,
        view.orderGroupId, view.paymentMethod, view.totalFen, orders[0].createdAt.toISOString(),
        JSON.stringify(orders.map((o) => ({ id: o.id, seller_organization_id: o.sellerOrganizationId, total_fen: o.totalFen, pay_by: o.payBy.toISOString() }))),
        JSON.stringify(lines.map((l) => ({ order_id: l.orderId, line_no: l.lineNo, listing_id: l.listingId, title: l.title, category_code: l.categoryCode, quantity_grams: l.quantityGrams, unit_price_fen: l.unitPriceFen, amount_fen: l.amountFen }))),
        JSON.stringify(orders.map((o) => orderEvent('order.placed', o)).map((e) => ({ type: e.type, aggregate_type: e.aggregateType, aggregate_id: e.aggregateId, payload: e.payload }))),
      ],
    );
    if (row.claimed) for (const order of view.orders) order.number = row.numbers[order.id];
    return row.claimed;
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

  /**
   * After commit, schedules each order's unpaid cancellation at its `payBy`. Never throws: if Redis is down the
   * order still stands, and the sweeper cancels it when overdue.
   */
  async scheduleUnpaidCancellation(orders: Pick<OrderView, 'id' | 'payBy'>[]): Promise<void> {
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

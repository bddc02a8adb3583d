import { Injectable } from '@nestjs/common';
import { chinaDate, OutboxService, type RelayedEvent } from '@chanxiao/core';
import { RegionsService } from '@chanxiao/regions';
import type { EntityManager } from 'typeorm';

/** The order events the subsidy ledger reacts to. */
export const SUBSIDY_EVENT_TYPES: readonly string[] = ['order.shipped', 'order.cancelled'];

interface ProgrammeRow { id: string; per_order_fen: number; per_seller_cap_fen: string; region_codes: string[] }

/**
 * The courier subsidy ledger. A shipped order from a seller registered in a programme's regions, shipped within
 * its period, earns the programme's per-order amount once (a unique key on programme + order + kind), unless
 * that would take the seller past its cap or the programme past its budget: then it earns nothing (never a part).
 *
 * The caps hold under any concurrency because each is a conditional UPDATE on one row (the seller's total, then
 * the programme's budget row; always in that order, so two earners cannot deadlock), re-checked by PostgreSQL on
 * the latest row version after waiting for the lock; CHECK constraints on both rows are the second line. A
 * refusal rolls back to a savepoint, so nothing of it stays.
 */
@Injectable()
export class SubsidyLedgerService {
  constructor(
    private readonly regions: RegionsService,
    private readonly outbox: OutboxService,
  ) {}

  async apply(manager: EntityManager, event: RelayedEvent): Promise<number> {
    const p = event.payload as { sellerOrganizationId: string };
    if (event.type === 'order.shipped') return this.earn(manager, event.aggregateId, p.sellerOrganizationId, event);
    if (event.type === 'order.cancelled') return this.reverse(manager, event.aggregateId, event);
    return 0;
  }

  /** Earns every eligible programme's amount for a shipped order; returns the entries made. */
  async earn(manager: EntityManager, orderId: string, sellerId: string, event: Pick<RelayedEvent, 'id' | 'createdAt'>): Promise<number> {
    const [seller] = (await manager.query(`SELECT region_code FROM organizations WHERE id = $1`, [sellerId])) as { region_code: string }[];
    if (!seller) return 0;
    const day = chinaDate(new Date(event.createdAt));
    const programmes = ((await manager.query(
      `SELECT id, per_order_fen, per_seller_cap_fen, region_codes FROM subsidy_programmes WHERE starts_on <= $1 AND ends_on >= $1 ORDER BY id`,
      [day],
    )) as ProgrammeRow[]).filter((prog) => prog.region_codes.some((code) => this.regions.isWithin(seller.region_code, code)));
    let made = 0;
    for (const prog of programmes) {
      await manager.query(`SAVEPOINT subsidy_earn`);
      const earned = await this.earnOne(manager, prog, orderId, sellerId, event.id);
      await manager.query(earned ? `RELEASE SAVEPOINT subsidy_earn` : `ROLLBACK TO SAVEPOINT subsidy_earn`);
      if (!earned) continue;
      made++;
      await this.outbox.write(manager, {
        type: 'subsidy.earned', aggregateType: 'subsidy_programme', aggregateId: prog.id,
        payload: { programmeId: prog.id, orderId, sellerOrganizationId: sellerId, amountFen: prog.per_order_fen },
      });
    }
    return made;
  }

  private async earnOne(manager: EntityManager, prog: ProgrammeRow, orderId: string, sellerId: string, eventId: string): Promise<boolean> {
    const amount = prog.per_order_fen;
    const entry = await manager.query(
      `INSERT INTO subsidy_entries (programme_id, order_id, seller_organization_id, kind, amount_fen, event_id)
       VALUES ($1, $2, $3, 'earned', $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
      [prog.id, orderId, sellerId, amount, eventId],
    );
    if (!entry.length) return false;
    const seller = await manager.query(
      `INSERT INTO subsidy_seller_totals AS t (programme_id, seller_organization_id, spent_fen, cap_fen) VALUES ($1, $2, $3, $4)
       ON CONFLICT (programme_id, seller_organization_id) DO UPDATE SET spent_fen = t.spent_fen + EXCLUDED.spent_fen
       WHERE t.spent_fen + EXCLUDED.spent_fen <= t.cap_fen RETURNING spent_fen`,
      [prog.id, sellerId, amount, prog.per_seller_cap_fen],
    );
    if (!seller.length) return false;
    // An UPDATE answers [rows, rowCount].
    const [, moved] = (await manager.query(`UPDATE subsidy_programmes SET spent_fen = spent_fen + $2 WHERE id = $1 AND spent_fen + $2 <= budget_fen`, [prog.id, amount])) as [unknown[], number];
    return moved > 0;
  }

  /** An order cancelled after it earned: each programme's earning is given back once. */
  async reverse(manager: EntityManager, orderId: string, event: Pick<RelayedEvent, 'id'>): Promise<number> {
    const earned = (await manager.query(
      `SELECT e.programme_id, e.seller_organization_id, e.amount_fen FROM subsidy_entries e
        WHERE e.order_id = $1 AND e.kind = 'earned'
          AND NOT EXISTS (SELECT 1 FROM subsidy_entries r WHERE r.programme_id = e.programme_id AND r.order_id = e.order_id AND r.kind = 'reversed')
        ORDER BY e.programme_id`,
      [orderId],
    )) as { programme_id: string; seller_organization_id: string; amount_fen: string }[];
    let made = 0;
    for (const e of earned) {
      const amount = Number(e.amount_fen);
      const inserted = await manager.query(
        `INSERT INTO subsidy_entries (programme_id, order_id, seller_organization_id, kind, amount_fen, event_id)
         VALUES ($1, $2, $3, 'reversed', $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
        [e.programme_id, orderId, e.seller_organization_id, -amount, event.id],
      );
      if (!inserted.length) continue;
      // Same row order as earning: seller total, then the budget.
      await manager.query(`UPDATE subsidy_seller_totals SET spent_fen = spent_fen - $3 WHERE programme_id = $1 AND seller_organization_id = $2`, [e.programme_id, e.seller_organization_id, amount]);
      await manager.query(`UPDATE subsidy_programmes SET spent_fen = spent_fen - $2 WHERE id = $1`, [e.programme_id, amount]);
      await this.outbox.write(manager, {
        type: 'subsidy.reversed', aggregateType: 'subsidy_programme', aggregateId: e.programme_id,
        payload: { programmeId: e.programme_id, orderId, sellerOrganizationId: e.seller_organization_id, amountFen: -amount },
      });
      made++;
    }
    return made;
  }
}

import { Injectable } from '@nestjs/common';
import { HeldOrdersService, type Order } from '@chanxiao/orders';
import type { Listing } from '@chanxiao/listings/listing.entity';
import type { Proposal, ProposalOrderSplitter } from '@chanxiao/proposals';
import type { EntityManager } from 'typeorm';
import { splitGrams } from './pool-split.util';

/**
 * The proposals lib's splitter hook: a confirmed proposal for a pool's demand becomes one order per member (bank
 * transfer, pending payment, at the proposal's price), sharing the proposal's held grams in proportion to what
 * each member still wants. The hold is the reservation of those orders together, so no stock moves. Runs inside
 * the confirming transaction, which already locked the proposal; the members' rows are locked here.
 */
@Injectable()
export class PoolOrdersService implements ProposalOrderSplitter {
  constructor(private readonly heldOrders: HeldOrdersService) {}

  async place(manager: EntityManager, proposal: Proposal, lot: Listing, now: Date): Promise<Order[] | null> {
    const [pool] = (await manager.query(`SELECT id FROM demand_pools WHERE demand_id = $1`, [proposal.demandId])) as { id: string }[];
    if (!pool) return null;
    const members = (await manager.query(
      `SELECT organization_id, quantity_grams - allocated_grams AS remaining FROM demand_pool_members WHERE pool_id = $1 AND status = 'joined' ORDER BY organization_id FOR UPDATE`,
      [pool.id],
    )) as { organization_id: string; remaining: string }[];
    const shares = splitGrams(proposal.quantityGrams, members.map((m) => ({ id: m.organization_id, remaining: Number(m.remaining) })));
    const placed = [...shares.values()].reduce((s, g) => s + g, 0);
    // The demand's fill already refused anything beyond what remains, and the members want exactly what remains.
    if (placed !== proposal.quantityGrams) throw new Error(`pool ${pool.id}: members want ${placed} g of proposal ${proposal.id}'s ${proposal.quantityGrams} g`);
    const orders: Order[] = [];
    for (const [organizationId, grams] of [...shares].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await manager.query(`UPDATE demand_pool_members SET allocated_grams = allocated_grams + $3 WHERE pool_id = $1 AND organization_id = $2`, [pool.id, organizationId, grams]);
      orders.push(await this.heldOrders.place(manager, {
        key: `pool:${proposal.id}`, buyerOrganizationId: organizationId, sellerOrganizationId: proposal.sellerOrganizationId,
        lines: [{ listingId: proposal.listingId, title: lot.title, categoryCode: lot.categoryCode, grams, unitPriceFen: proposal.unitPriceFen }],
      }, now));
    }
    return orders;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PayoutAccountService } from '@chanxiao/identity';
import { Organization } from '@chanxiao/identity/organization.entity';
import { type DataSource, In } from 'typeorm';
import type { BuyerOrderView, OrderView, SellerOrderView } from './dto/order.dto';

/**
 * Who is on the other side of an order, added to order views at the moment they are answered (never stored, so a
 * replayed checkout shows the seller's payout account as it is now): the buyer sees the seller's name and, for a
 * bank transfer, the seller's payout account as `payTo`; the seller sees the buyer's name. Two queries at most for a
 * whole page of orders.
 */
@Injectable()
export class OrderPartiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly payouts: PayoutAccountService,
  ) {}

  async forBuyer(orders: OrderView[]): Promise<BuyerOrderView[]> {
    const bankTransferSellers = orders.filter((o) => o.paymentMethod === 'bank_transfer').map((o) => o.sellerOrganizationId);
    const [names, accounts] = await Promise.all([this.names(orders.map((o) => o.sellerOrganizationId)), this.payouts.forSellers(bankTransferSellers)]);
    return orders.map((o) => ({
      ...o,
      sellerName: names.get(o.sellerOrganizationId) ?? '',
      payTo: o.paymentMethod === 'bank_transfer' ? (accounts.get(o.sellerOrganizationId) ?? null) : null,
    }));
  }

  async forSeller(orders: OrderView[]): Promise<SellerOrderView[]> {
    const names = await this.names(orders.map((o) => o.buyerOrganizationId));
    return orders.map((o) => ({ ...o, buyerName: names.get(o.buyerOrganizationId) ?? '' }));
  }

  private async names(organizationIds: string[]): Promise<Map<string, string>> {
    if (organizationIds.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(Organization).find({ select: { id: true, name: true }, where: { id: In([...new Set(organizationIds)]) } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, OutboxService, type Principal } from '@chanxiao/core';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { PayoutAccountDto, PayoutAccountView } from './dto/organization.dto';
import { PayoutAccount } from './payout-account.entity';

/** Where a buyer paying by bank transfer sends a seller's money. */
export interface SellerPayoutAccount {
  accountName: string;
  bankName: string;
  accountNo: string;
}

/**
 * A seller's payout account (收款账户): read by every member, set by an admin (the route says `@AdminOnly()`), and
 * read by other domains through {@link PayoutAccountService.forSeller} (the buyer's order view shows it as `payTo`).
 */
@Injectable()
export class PayoutAccountService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  /** The caller's payout account; before any is set, every field is null (200, so a form can show it empty). */
  async get(principal: Principal): Promise<PayoutAccountView> {
    assertSeller(principal);
    const account = await this.dataSource.getRepository(PayoutAccount).findOneBy({ organizationId: principal.organizationId });
    return account ? view(account) : { accountName: null, bankName: null, accountNo: null, updatedAt: null };
  }

  /** Sets the whole account and writes `organization.payout_account_changed` in the same transaction. */
  async put(principal: Principal, input: PayoutAccountDto): Promise<PayoutAccountView> {
    assertSeller(principal);
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(
        `INSERT INTO payout_accounts (organization_id, account_name, bank_name, account_no, updated_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organization_id) DO UPDATE
           SET account_name = EXCLUDED.account_name, bank_name = EXCLUDED.bank_name, account_no = EXCLUDED.account_no,
               updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING updated_at`,
        [principal.organizationId, input.accountName, input.bankName, input.accountNo, principal.userId],
      );
      await this.outbox.write(manager, {
        type: 'organization.payout_account_changed',
        aggregateType: 'organization',
        aggregateId: principal.organizationId,
        // The number stays out of the event stream; its last four digits are enough to tell accounts apart.
        payload: { accountName: input.accountName, bankName: input.bankName, accountNoLast4: input.accountNo.slice(-4), changedBy: principal.userId },
      });
      return { accountName: input.accountName, bankName: input.bankName, accountNo: input.accountNo, updatedAt: (row.updated_at as Date).toISOString() };
    });
  }

  /** A seller organisation's payout account, or null when it has set none. Pass `manager` to read inside a transaction. */
  async forSeller(sellerOrganizationId: string, manager: EntityManager = this.dataSource.manager): Promise<SellerPayoutAccount | null> {
    const account = await manager.getRepository(PayoutAccount).findOneBy({ organizationId: sellerOrganizationId });
    return account ? payTo(account) : null;
  }

  /** The payout accounts of several sellers in one query, by organisation id (a seller with none is absent). */
  async forSellers(sellerOrganizationIds: readonly string[]): Promise<Map<string, SellerPayoutAccount>> {
    if (sellerOrganizationIds.length === 0) return new Map();
    const accounts = await this.dataSource.getRepository(PayoutAccount).findBy({ organizationId: In([...new Set(sellerOrganizationIds)]) });
    return new Map(accounts.map((a) => [a.organizationId, payTo(a)]));
  }
}

function payTo(account: PayoutAccount): SellerPayoutAccount {
  return { accountName: account.accountName, bankName: account.bankName, accountNo: account.accountNo };
}

function assertSeller(principal: Principal): void {
  if (principal.kind !== 'seller') throw new DomainError('forbidden', 'organization.not_a_seller', 'only a seller organisation has a payout account');
}

function view(account: PayoutAccount): PayoutAccountView {
  return { accountName: account.accountName, bankName: account.bankName, accountNo: account.accountNo, updatedAt: account.updatedAt.toISOString() };
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { AppConfig, type Principal } from '@chanxiao/core';
import type { DataSource, EntityManager } from 'typeorm';
import type { ConnectAccountView, OnboardingLinkView } from './dto/payment.dto';
import { StripeAccount } from './payment.entity';
import { StripeGateway } from './stripe.gateway';

/**
 * Sellers' Stripe Connect (Express) accounts: one per seller organisation (created with the idempotency key
 * `account-<orgId>`, so two clicks make one account), an onboarding link to Stripe's hosted form, and the
 * account's status as Stripe last reported it (`account.updated` webhooks, or a read when the seller asks).
 */
@Injectable()
export class ConnectService {
  private readonly logger = new Logger(ConnectService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gateway: StripeGateway,
    private readonly config: AppConfig,
  ) {}

  async onboardingLink(principal: Principal): Promise<OnboardingLinkView> {
    this.gateway.assertEnabled('account');
    const account = await this.accountOf(principal.organizationId) ?? (await this.createAccount(principal.organizationId));
    const link = await this.gateway.createAccountLink({
      account: account.stripeAccountId,
      refresh_url: this.config.STRIPE_CONNECT_REFRESH_URL,
      return_url: this.config.STRIPE_CONNECT_RETURN_URL,
      type: 'account_onboarding',
    });
    return { accountId: account.stripeAccountId, url: link.url, expiresAt: new Date(link.expires_at * 1000).toISOString() };
  }

  /** The seller's account status, refreshed from Stripe when it answers (otherwise what it last said, `live: false`). */
  async status(principal: Principal): Promise<ConnectAccountView> {
    this.gateway.assertEnabled('account');
    let account = await this.accountOf(principal.organizationId);
    if (!account) return { connected: false, accountId: null, detailsSubmitted: false, chargesEnabled: false, payoutsEnabled: false, live: true };
    let live = true;
    try {
      const fresh = await this.gateway.retrieveAccount(account.stripeAccountId);
      await this.applyAccount(this.dataSource.manager, fresh);
      account = (await this.accountOf(principal.organizationId))!;
    } catch (error) {
      this.logger.warn(`account ${account.stripeAccountId}: showing the stored status: ${(error as Error).message}`);
      live = false;
    }
    const { stripeAccountId, detailsSubmitted, chargesEnabled, payoutsEnabled } = account;
    return { connected: true, accountId: stripeAccountId, detailsSubmitted, chargesEnabled, payoutsEnabled, live };
  }

  /** `account.updated` (or a fresh read): stores what Stripe says the account can do. */
  async applyAccount(manager: EntityManager, account: Stripe.Account): Promise<string> {
    const result = await manager.update(StripeAccount, { stripeAccountId: account.id }, {
      detailsSubmitted: account.details_submitted ?? false,
      chargesEnabled: account.charges_enabled ?? false,
      payoutsEnabled: account.payouts_enabled ?? false,
    });
    return result.affected ? `applied: account payouts ${account.payouts_enabled ? 'enabled' : 'not enabled'}` : 'ignored: not an account of this platform';
  }

  private async createAccount(organizationId: string): Promise<StripeAccount> {
    const created = await this.gateway.createExpressAccount(
      { capabilities: { transfers: { requested: true } }, metadata: { organization_id: organizationId } },
      `chanxiao-account-${organizationId}`,
    );
    // Two concurrent first clicks get the same account from Stripe (same key); the second insert does nothing.
    await this.dataSource.query(`INSERT INTO stripe_accounts (organization_id, stripe_account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [organizationId, created.id]);
    return (await this.accountOf(organizationId))!;
  }

  private accountOf(organizationId: string): Promise<StripeAccount | null> {
    return this.dataSource.getRepository(StripeAccount).findOneBy({ organizationId });
  }
}

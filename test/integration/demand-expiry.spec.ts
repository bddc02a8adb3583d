import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { addDays, AppConfig, chinaDate, DomainError, type Principal, QueueName } from '@chanxiao/core';
import { DEMAND_EXPIRY_SCHEDULER, DemandExpiryService, DemandsService } from '@chanxiao/demands';
import { IdentityService } from '@chanxiao/identity';
import { type RunningApp, startApp } from '../support/apps';
import { buyerRegistration, demandInput } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

describe('demands in the matcher', () => {
  let env: TestEnv;
  let matcher: RunningApp;
  let db: DataSource;
  let demands: DemandsService;
  let expiry: DemandExpiryService;
  let principal: Principal;
  const today = chinaDate();

  const events = async (id: string) =>
    (await db.query(`SELECT type, payload FROM outbox_events WHERE aggregate_id = $1 ORDER BY id`, [id])) as { type: string; payload: Record<string, unknown> }[];
  const row = async (id: string) =>
    (await db.query(`SELECT status, quantity_grams::int AS quantity, filled_grams::int AS filled, closed_at IS NOT NULL AS closed FROM demands WHERE id = $1`, [id]))[0];
  const fill = (id: string, grams: number) => db.transaction((manager) => demands.recordFill(manager, id, grams));
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as DomainError);

  beforeAll(async () => {
    env = await createTestEnv();
    matcher = await startApp('matcher', env, env.configWith({ DEMAND_EXPIRY_INTERVAL_SECONDS: '120' }));
    db = matcher.app.get(DataSource);
    demands = matcher.app.get(DemandsService);
    expiry = matcher.app.get(DemandExpiryService);
    // The matcher has no identity API; the buyer app registers the organisation against the same database.
    const buyer = await startApp('buyer', env);
    try {
      const input = buyerRegistration();
      const { user, organization } = await buyer.app.get(IdentityService).register({
        kind: 'buyer',
        user: input.user,
        organization: { ...input.organization, buyerType: 'wholesale_market' },
      });
      principal = { userId: user.id, organizationId: organization.id, kind: 'buyer', role: 'admin', regionCode: null };
    } finally {
      await buyer.close();
    }
  });

  afterAll(async () => {
    await matcher?.close();
    await env?.destroy();
  });

  async function openDemand(overrides: Record<string, unknown> = {}): Promise<string> {
    return (await demands.create(principal, demandInput({ quantityKg: 1000, ...overrides }) as never)).id;
  }

  async function pastDeadline(id: string, deliverBy: string): Promise<void> {
    // Time passes: the deadline is now behind us.
    await db.query(`UPDATE demands SET deliver_by = $2 WHERE id = $1`, [id, deliverBy]);
  }

  describe('expiry', () => {
    it('expires open and partially filled demands past their deliver-by day exactly once, even when two runs race', async () => {
      const open = await openDemand();
      const partial = await openDemand();
      const lastDay = await openDemand();
      const filled = await openDemand();
      const cancelled = await openDemand();
      await fill(partial, 300_000);
      await fill(filled, 1_000_000);
      await demands.cancel(principal, cancelled);
      for (const id of [open, partial, filled, cancelled]) await pastDeadline(id, addDays(today, -2));
      await pastDeadline(lastDay, today);

      const [first, second] = await Promise.all([expiry.expireDue(), expiry.expireDue()]);
      expect(first + second).toBe(2);

      expect(await row(open)).toEqual({ status: 'expired', quantity: 1_000_000, filled: 0, closed: true });
      expect(await row(partial)).toEqual({ status: 'expired', quantity: 1_000_000, filled: 300_000, closed: true });
      expect((await row(lastDay)).status).toBe('open');
      expect((await row(filled)).status).toBe('filled');
      expect((await row(cancelled)).status).toBe('cancelled');
      expect((await events(open)).map((e) => e.type)).toEqual(['demand.created', 'demand.expired']);
      expect((await events(partial)).map((e) => e.type)).toEqual(['demand.created', 'demand.partially_filled', 'demand.expired']);
      expect((await events(partial)).at(-1)!.payload).toMatchObject({ demandId: partial, status: 'expired', remainingGrams: 700_000, deliverBy: addDays(today, -2) });
      expect(await expiry.expireDue()).toBe(0);
    });

    it('ends the deliver-by day at midnight in Shanghai, not UTC', async () => {
      const id = await openDemand();
      const deadline = addDays(today, -400);
      await pastDeadline(id, deadline);
      // 23:59 in Shanghai on the deadline is 15:59 UTC; half an hour past midnight there is 16:30 UTC.
      expect(await expiry.expireDue(new Date(`${deadline}T15:59:00Z`))).toBe(0);
      expect(await expiry.expireDue(new Date(`${deadline}T16:30:00Z`))).toBe(1);
      expect((await row(id)).status).toBe('expired');
    });

    it('keeps the expiry job scheduled on the demands queue at the configured interval', async () => {
      const queue = matcher.app.get<Queue>(getQueueToken(QueueName.Demands));
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.find((s) => s.key === DEMAND_EXPIRY_SCHEDULER)).toMatchObject({ key: 'expire-demands', name: 'expire', every: 120_000 });
      expect(matcher.app.get(AppConfig).DEMAND_EXPIRY_INTERVAL_SECONDS).toBe(120);
    });

    it('runs the scheduled job through the worker', async () => {
      const id = await openDemand();
      await pastDeadline(id, addDays(today, -3));
      const queue = matcher.app.get<Queue>(getQueueToken(QueueName.Demands));
      const job = await queue.add('expire', {});
      for (let i = 0; i < 50 && !(await job.isCompleted()); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await job.isCompleted()).toBe(true);
      expect((await row(id)).status).toBe('expired');
    });
  });

  describe('recordFill', () => {
    it('moves open → partially_filled → filled, with one event per fill carrying what remains', async () => {
      const id = await openDemand();
      expect(await fill(id, 250_000)).toMatchObject({ status: 'partially_filled', filledGrams: 250_000 });
      expect(await row(id)).toEqual({ status: 'partially_filled', quantity: 1_000_000, filled: 250_000, closed: false });
      await fill(id, 250_000);
      expect(await row(id)).toMatchObject({ status: 'partially_filled', filled: 500_000 });
      expect(await fill(id, 500_000)).toMatchObject({ status: 'filled', filledGrams: 1_000_000 });
      expect(await row(id)).toEqual({ status: 'filled', quantity: 1_000_000, filled: 1_000_000, closed: true });
      const written = await events(id);
      expect(written.map((e) => e.type)).toEqual(['demand.created', 'demand.partially_filled', 'demand.partially_filled', 'demand.filled']);
      expect(written.slice(1).map((e) => [e.payload.fillGrams, e.payload.filledGrams, e.payload.remainingGrams])).toEqual([
        [250_000, 250_000, 750_000],
        [250_000, 500_000, 500_000],
        [500_000, 1_000_000, 0],
      ]);
      expect(written[3].payload).toMatchObject({
        buyerOrganizationId: principal.organizationId,
        categoryCode: 'fruit.apple',
        maxUnitPriceFen: 700,
        destinationRegionCode: '440300',
        coldChainCapable: true,
        preferPoverty: true,
      });
    });

    it('fills an open demand in one go straight to filled', async () => {
      const id = await openDemand();
      await fill(id, 1_000_000);
      expect((await events(id)).map((e) => e.type)).toEqual(['demand.created', 'demand.filled']);
    });

    it('refuses an over-fill with 409, changing nothing', async () => {
      const id = await openDemand();
      await fill(id, 900_000);
      const error = await refusal(fill(id, 100_001));
      expect(error).toMatchObject({ kind: 'conflict', code: 'demand.overfill', message: 'a fill of 100.001 kg is more than the 100 kg the demand still wants' });
      expect(await row(id)).toMatchObject({ status: 'partially_filled', filled: 900_000 });
      expect((await events(id)).map((e) => e.type)).toEqual(['demand.created', 'demand.partially_filled']);
    });

    it('refuses a fill of a closed demand with the state machine’s reason', async () => {
      const id = await openDemand();
      await demands.cancel(principal, id);
      const error = await refusal(fill(id, 1000));
      expect(error).toMatchObject({
        kind: 'conflict',
        code: 'fsm.illegal_transition',
        message: 'demand cannot go from cancelled to partially_filled: no transition from cancelled to partially_filled; cancelled is final',
      });
      expect(await row(id)).toMatchObject({ status: 'cancelled', filled: 0 });
      const filled = await openDemand();
      await fill(filled, 1_000_000);
      expect(await refusal(fill(filled, 1))).toMatchObject({ code: 'fsm.illegal_transition', message: expect.stringContaining('filled is final') });
    });

    it.each([0, -5, 1.5, Number.NaN])('refuses %p grams with 400', async (grams) => {
      const id = await openDemand();
      expect(await refusal(fill(id, grams))).toMatchObject({ kind: 'validation', code: 'demand.invalid_fill' });
      expect(await row(id)).toMatchObject({ status: 'open', filled: 0 });
    });

    it('answers 404 for an unknown demand', async () => {
      expect(await refusal(fill('0b0d6a57-3c2e-4c36-9d2f-1f6b0c1e8a11', 1))).toMatchObject({ kind: 'not_found', code: 'demand.not_found' });
      expect(await refusal(fill('not-a-uuid', 1))).toMatchObject({ kind: 'not_found' });
    });

    it('never over-fills when many fills race: exactly the quantity is taken', async () => {
      const id = await openDemand();
      const results = await Promise.all(Array.from({ length: 10 }, () => refusal(fill(id, 300_000))));
      const accepted = results.filter((r) => r === null).length;
      expect(accepted).toBe(3);
      expect(results.filter((r) => r !== null).every((r) => r!.code === 'demand.overfill')).toBe(true);
      expect(await row(id)).toMatchObject({ status: 'partially_filled', filled: 900_000 });
      expect((await events(id)).filter((e) => e.type === 'demand.partially_filled')).toHaveLength(3);
    });

    it("writes nothing when the caller's transaction rolls back", async () => {
      const id = await openDemand();
      await expect(
        db.transaction(async (manager) => {
          await demands.recordFill(manager, id, 400_000);
          throw new Error('the order failed');
        }),
      ).rejects.toThrow('the order failed');
      expect(await row(id)).toMatchObject({ status: 'open', filled: 0 });
      expect((await events(id)).map((e) => e.type)).toEqual(['demand.created']);
    });

    it('refuses to run outside a transaction, so the fill and its event cannot part', async () => {
      const id = await openDemand();
      await expect(demands.recordFill(db.manager, id, 1000)).rejects.toThrow(/inside the transaction/);
      expect(await row(id)).toMatchObject({ status: 'open', filled: 0 });
    });

    it('keeps filled within the quantity in the database itself', async () => {
      const id = await openDemand();
      await expect(db.query(`UPDATE demands SET filled_grams = quantity_grams + 1 WHERE id = $1`, [id])).rejects.toThrow(/demands_filled_check/);
      await expect(db.query(`UPDATE demands SET filled_grams = -1 WHERE id = $1`, [id])).rejects.toThrow(/demands_filled_check/);
    });
  });
});

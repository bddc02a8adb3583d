import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type DynamicModule, Module } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { AssistanceModule, CampaignsService, PledgesService, SubsidyProgrammesService } from '@chanxiao/assistance';
import { validate } from 'class-validator';
import { Command } from 'commander';
import { type AppConfig, CoreModule, DomainError, flattenValidationErrors, loadConfigOrExit } from '@chanxiao/core';
import { IdentityModule, IdentityService, PayoutAccountService, UserInputDto } from '@chanxiao/identity';
import { ListingsModule, ListingsService } from '@chanxiao/listings';
import { MatchOptimizerService, ProposalsModule } from '@chanxiao/proposals';
import { DemandsService } from '@chanxiao/demands';
import { OrderLifecycleService, OrdersModule, OrdersService } from '@chanxiao/orders';
import { DataSource } from 'typeorm';
import { seedDemo } from './seed-demo';

@Module({})
class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [CoreModule.forRoot({ app: 'cli', config }), IdentityModule, ListingsModule, OrdersModule, ProposalsModule, AssistanceModule] };
  }
}

async function withContext<T>(work: (get: <S>(type: new (...args: never[]) => S) => S) => Promise<T>): Promise<T> {
  const config = loadConfigOrExit();
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    return await work((type) => context.get(type));
  } finally {
    await context.close();
  }
}

function fail(error: unknown): never {
  if (error instanceof DomainError) {
    process.stderr.write(`error: ${error.message}\n`);
    for (const d of error.details ?? []) process.stderr.write(`  - ${d.field}: ${d.message}\n`);
  } else {
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
}

const program = new Command('chanxiao').description('Chanxiao 产销通 operations');

program
  .command('agency:create-user')
  .description('create an agency staff user scoped to a region (a province code sees the whole province)')
  .requiredOption('--phone <phone>', 'mainland mobile number, used to log in')
  .requiredOption('--password <password>', '10-72 characters with letters and digits')
  .requiredOption('--name <name>', "the staff member's name")
  .requiredOption('--region <code>', 'GB/T 2260 code of the region the user oversees, e.g. 530000')
  .option('--office <name>', 'name of the agency office (created on first use for the region)')
  .action(async (options: { phone: string; password: string; name: string; region: string; office?: string }) => {
    const user = plainToInstance(UserInputDto, { phone: options.phone, password: options.password, name: options.name });
    const problems = flattenValidationErrors(await validate(user));
    if (problems.length) fail(DomainError.validation('cli.invalid', problems));
    const created = await withContext((get) =>
      get(IdentityService).createAgencyUser({ ...user, regionCode: options.region, officeName: options.office }),
    ).catch(fail);
    process.stdout.write(`created agency user ${created.user.phone} (${created.user.name}) in ${created.organization.name}, region ${created.organization.regionCode} ${created.organization.regionName}\n`);
  });

program
  .command('seed:demo')
  .description('load demo cooperatives with their lots, buyers with standing demands, agency users, paid orders over the last two months, a 消费扶贫 pledge, campaigns and a courier subsidy programme (safe to run twice)')
  .action(async () => {
    const lines = await withContext((get) =>
      seedDemo(
        get(IdentityService), get(ListingsService), get(DataSource), { orders: get(OrdersService), lifecycle: get(OrderLifecycleService) },
        { pledges: get(PledgesService), campaigns: get(CampaignsService), programmes: get(SubsidyProgrammesService) },
        get(DemandsService), get(PayoutAccountService),
      ),
    ).catch(fail);
    process.stdout.write(`${lines.join('\n')}\n`);
  });

program
  .command('match:optimize')
  .description('run the global re-optimisation now: all live demand against all unheld stock, stored as proposals')
  .action(async () => {
    const report = await withContext((get) => get(MatchOptimizerService).optimize()).catch(fail);
    if (!report.ran) {
      process.stdout.write('another re-optimisation is running; nothing done\n');
      return;
    }
    process.stdout.write(
      `re-optimised ${report.lots} lots × ${report.demands} demands (${report.pairs} feasible pairs) in ${report.totalMs} ms: ` +
        `${report.allocations} allocations worth ${report.objective} (LP bound ${report.lpObjective}), ${report.proposed} proposals stored for ${report.proposedKg} kg\n`,
    );
  });

program.parseAsync(process.argv).catch(fail);

import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate, DomainError, type Principal } from '@chanxiao/core';
import type { CustomTypesConfig, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { AssistanceFiguresService } from '../assistance/assistance-figures.service';
import { assistanceReportData } from '../assistance/assistance-sheets';
import { DashboardService } from '../dashboard.service';
import { BUYER_TYPE_NAMES } from '../dashboard.views';
import { MONTH, monthPeriod, monthsEndingWith, periodInstants } from '../period.util';
import { RegionScopeService, type Scope } from '../region-scope.service';
import { SQL } from '../reporting-sql';
import { writeCsv } from './csv-writer';
import { type Cell, ORDER_STATUS_NAMES, type ReportData, reportTables } from './report-tables';
import { type ReportFormat, type ReportSource, ReportStoreService, type StoredReport } from './report-store.service';
import { writeXlsx } from './xlsx-writer';

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** Sold lines fetched per round trip from the server-side cursor. */
const LINE_BATCH = 5000;

export interface MonthlyReportRequest {
  month: string;
  regionCode?: string;
  format?: ReportFormat;
  refresh?: boolean;
}

/**
 * The monthly report (SPEC §5): summary, by county, supervised counties, by category, 消费扶贫 purchases by
 * buyer type, and every sold line. Generated into a temporary file by streaming writers (the sold lines come
 * through a server-side cursor), stored in PostgreSQL, and served from storage: a stored report is served as
 * it was generated, with its generation time, until `refresh` regenerates it.
 */
@Injectable()
export class MonthlyReportService {
  private readonly logger = new Logger(MonthlyReportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scopes: RegionScopeService,
    private readonly dashboard: DashboardService,
    private readonly store: ReportStoreService,
    private readonly assistance: AssistanceFiguresService,
  ) {}

  /** The stored report for the request, generating (and storing) it first if there is none or `refresh` is set. */
  async get(principal: Principal, request: MonthlyReportRequest): Promise<StoredReport> {
    const scope = this.scopes.forPrincipal(principal, request.regionCode);
    assertMonth(request.month);
    const format = request.format ?? 'xlsx';
    if (!request.refresh) {
      const stored = await this.store.find(scope.code, request.month, format);
      if (stored) return stored;
    }
    return (await this.generate(scope, request.month, format, 'request'))!;
  }

  open(report: StoredReport) {
    return this.store.open(report);
  }

  /**
   * Generates and stores one report. With `onlyOnce` (the scheduled job) it does nothing if a scheduled
   * generation of the same report already happened: an advisory lock per report makes the check and the
   * generation atomic across processes, so two workers or a retried job generate each report exactly once.
   */
  async generate(scope: Scope, month: string, format: ReportFormat, source: ReportSource, onlyOnce = false): Promise<StoredReport | null> {
    return this.dataSource.transaction(async (manager) => {
      await this.store.lock(manager, scope.code, month, format);
      if (onlyOnce && (await this.store.wasScheduled(manager, scope.code, month, format))) return null;
      const started = Date.now();
      const path = join(tmpdir(), `chanxiao-report-${randomUUID()}.${format}`);
      try {
        const { generatedAt, lineCount } = await this.render(scope, month, format, createWriteStream(path));
        const stored = await this.store.replace(manager, { regionCode: scope.code, month, format, contentType: CONTENT_TYPES[format], lineCount, source, generatedAt, durationMs: Date.now() - started }, path);
        this.logger.log(`generated ${format} report ${scope.code} ${month} (${source}): ${lineCount} lines, ${stored.byteSize} bytes in ${stored.durationMs} ms`);
        return stored;
      } finally {
        await unlink(path).catch(() => undefined);
      }
    });
  }

  /** Writes one report to `output` (which it ends). Public for the benchmark. */
  async render(scope: Scope, month: string, format: ReportFormat, output: NodeJS.WritableStream): Promise<{ generatedAt: Date; lineCount: number }> {
    if (format === 'json') {
      const data = await this.data(scope, month);
      output.end(JSON.stringify(toJson(data), null, 2));
      await new Promise<void>((resolve, reject) => output.once('finish', resolve).once('error', reject));
      return { generatedAt: data.generatedAt, lineCount: data.lineCount };
    }
    // Open the sold lines' cursor and fetch its first batch now: PostgreSQL sorts the month's lines on one
    // backend while the aggregates run on others.
    const cursor = this.soldLines(scope, month);
    const first = cursor.next();
    first.catch(() => undefined); // awaited below; if the aggregates fail first, `return()` cleans up
    try {
      const data = await this.data(scope, month);
      const tables = reportTables(data);
      const lines = (async function* () {
        const batch = await first;
        if (batch.done) return;
        yield batch.value;
        yield* cursor;
      })();
      const lineCount = format === 'xlsx' ? await writeXlsx(output, tables, lines) : await writeCsv(output, tables, lines);
      return { generatedAt: data.generatedAt, lineCount };
    } finally {
      await cursor.return(undefined);
    }
  }

  /** Everything but the sold lines, for a scope and month. */
  async data(scope: Scope, month: string): Promise<ReportData> {
    const period = monthPeriod(month);
    const previousMonth = monthsEndingWith(month, 2)[0];
    const generatedAt = new Date();
    const [current, previous, assistance] = await Promise.all([
      this.dashboard.breakdown(scope, period),
      this.dashboard.figures(scope, monthPeriod(previousMonth)),
      assistanceReportData(this.assistance, scope, month),
    ]);
    return {
      month, period, previousMonth, regionCode: scope.code, regionName: scope.name, generatedAt,
      summary: { current: current.current, previous, stockKg: current.stockKg },
      counties: current.counties, supervisedCounties: current.counties.filter((c) => c.isSupervisedCounty), categories: current.categories,
      buyerTypes: current.buyerTypes, lineCount: current.lineCount, assistance,
    };
  }

  /**
   * The month's sold lines as report rows, in batches from a server-side cursor (one REPEATABLE READ
   * transaction, so the lines are one consistent snapshot). Rows come as arrays of text, not parsed into
   * objects (a million of them is most of the garbage a report makes); the next batch is fetched while the
   * current one is written.
   */
  private async *soldLines(scope: Scope, month: string): AsyncGenerator<Cell[][]> {
    const { start, end } = periodInstants(monthPeriod(month));
    const counties = new Map(scope.counties.map((c) => [c.code, c.name]));
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(`DECLARE report_lines NO SCROLL CURSOR FOR ${SQL.soldLines}`, [scope.countyCodes, start, end]);
      const categories = new Map<string, string>((await runner.query(SQL.categoryNames)).map((r: { code: string; name_zh: string }) => [r.code, r.name_zh]));
      const fetch = () => client.query<string[]>({ text: `FETCH ${LINE_BATCH} FROM report_lines`, rowMode: 'array', types: TEXT_ONLY }).then((r) => r.rows);
      let next = fetch();
      for (;;) {
        const rows = await next;
        if (!rows.length) break;
        next = fetch();
        yield rows.map((r): Cell[] => [
          new Date(Number(r[0])), r[1], Number(r[2]), ORDER_STATUS_NAMES[r[3]] ?? r[3], r[4], counties.get(r[4]) ?? r[4],
          categories.get(r[5]) ?? r[5], r[6], r[7], r[8], r[9] === null ? null : (BUYER_TYPE_NAMES[r[9]] ?? r[9]),
          Number(r[10]) / 1000, Number(r[11]), Number(r[12]),
        ]);
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}

/** Every column as its text: the sold lines are mapped by hand, without pg's per-type parsing. */
const TEXT_ONLY = { getTypeParser: () => (value: string) => value } as unknown as CustomTypesConfig;

/** The JSON report: the same tables with money in fen; the sold lines are in the XLSX and CSV only. */
function toJson(data: ReportData) {
  return {
    month: data.month, regionCode: data.regionCode, regionName: data.regionName, generatedAt: data.generatedAt.toISOString(),
    period: data.period, previousMonth: data.previousMonth,
    summary: data.summary, counties: data.counties, supervisedCounties: data.supervisedCounties, categories: data.categories,
    buyerTypes: data.buyerTypes, lineCount: data.lineCount, assistance: data.assistance,
  };
}

function assertMonth(month: string): void {
  if (!MONTH.test(month ?? '')) throw DomainError.validation('report.bad_month', [{ field: 'month', message: 'must be a month YYYY-MM' }]);
  if (month > chinaDate().slice(0, 7)) throw DomainError.validation('report.future_month', [{ field: 'month', message: `${month} has not begun yet` }]);
}

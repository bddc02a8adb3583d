import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Queue } from 'bullmq';
import {
  AppConfig,
  chinaDate,
  DomainError,
  flattenValidationErrors,
  OutboxService,
  type Principal,
  QueueName,
  uuidOrNone,
} from '@chanxiao/core';
import { CategoriesService } from '@chanxiao/categories';
import type { DataSource, EntityManager } from 'typeorm';
import { CreateListingDto } from '../dto/listing.dto';
import { Listing } from '../listing.entity';
import { type ImportRowResult, ImportStatus, ListingImport } from '../listing-import.entity';
import { publishProblems } from '../listing.rules';
import { listingStateMachine } from '../listing.state-machine';
import { listingEvent } from '../listing.view';
import { type ListingDraft, ListingsService } from '../listings.service';
import { IMPORT_COLUMNS } from './import-columns';
import { rowToListingInput } from './import-row.mapper';
import { ImportFileError, parseListingFile, type RawImportRow } from './listing-file.parser';

/** What the import endpoints answer: the report, or a queued job's progress. */
export interface ImportReport {
  importId: string;
  status: ImportStatus;
  publish: boolean;
  totalRows: number;
  processedRows: number;
  created: number;
  failed: number;
  rows: ImportRowResult[];
}

const CHUNK = 500;
const HEADERS = new Map<string, string>(IMPORT_COLUMNS.map((c) => [c.field, c.header]));
// The API's field names where the spreadsheet has its own column for them.
const COLUMN_OF_FIELD: Record<string, string> = { unitPriceFen: 'unitPriceYuan' };

/**
 * Imports lots from CSV (UTF-8 or GBK) or XLSX. Every row is checked with the API's own rules (the DTO's
 * validation, then `ListingsService.prepare`, then the publish rules with `?publish=true`), and valid rows are
 * inserted in chunks, each chunk one transaction with its outbox events. The report names each bad row's
 * fields and columns, so the user can fix just those rows and import them again.
 */
@Injectable()
export class ListingImportService {
  private readonly logger = new Logger(ListingImportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly listings: ListingsService,
    private readonly categories: CategoriesService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Listings) private readonly queue: Queue,
  ) {}

  /** Imports a file now (≤ IMPORT_SYNC_MAX_ROWS rows) or queues it; either way returns the import's report. */
  async importFile(principal: Principal, file: Buffer, filename: string, publish: boolean): Promise<ImportReport> {
    const rows = await this.parse(file, filename);
    const large = rows.length > this.config.IMPORT_SYNC_MAX_ROWS;
    const record = await this.dataSource.getRepository(ListingImport).save({
      organizationId: principal.organizationId,
      userId: principal.userId,
      filename,
      publish,
      status: large ? 'queued' : 'running',
      totalRows: rows.length,
      file: large ? file : null,
      report: [],
      failure: null,
      finishedAt: null,
    });
    if (large) {
      await this.queue.add('import', { importId: record.id }, { jobId: `import-${record.id}`, attempts: 3 });
      return toReport(record);
    }
    return this.run(record, principal, rows);
  }

  /** The matcher's job: runs a queued import. Safe to retry: a finished import is left as it is. */
  async runQueued(importId: string): Promise<ImportReport> {
    const repository = this.dataSource.getRepository(ListingImport);
    const record = await repository.createQueryBuilder('i').addSelect('i.file').where('i.id = :importId', { importId }).getOneOrFail();
    if (record.status === 'done' || record.status === 'failed') return toReport(record);
    const principal: Principal = { userId: record.userId, organizationId: record.organizationId, kind: 'seller', role: 'admin', regionCode: null };
    try {
      const rows = await this.parse(record.file!, record.filename);
      return await this.run(record, principal, rows);
    } catch (error) {
      await repository.update(record.id, { status: 'failed', failure: (error as Error).message, file: null, finishedAt: new Date() });
      throw error;
    }
  }

  async get(principal: Principal, importId: string): Promise<ImportReport> {
    const record = await this.dataSource.getRepository(ListingImport).findOneBy({ id: uuidOrNone(importId), organizationId: principal.organizationId });
    if (!record) throw DomainError.notFound('import', importId);
    return toReport(record);
  }

  private async parse(file: Buffer, filename: string): Promise<RawImportRow[]> {
    try {
      return await parseListingFile(file, filename, {
        maxBytes: this.config.IMPORT_MAX_BYTES,
        maxRows: this.config.IMPORT_MAX_ROWS,
        maxUncompressedBytes: 10 * this.config.IMPORT_MAX_BYTES,
      });
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
      const kind = error.problem === 'too_large' ? 'payload_too_large' : error.problem === 'unsupported_type' ? 'unsupported_media_type' : 'validation';
      throw new DomainError(kind, `import.${error.problem}`, error.message, [{ field: 'file', message: error.message }]);
    }
  }

  private async run(record: ListingImport, principal: Principal, rows: RawImportRow[]): Promise<ImportReport> {
    const repository = this.dataSource.getRepository(ListingImport);
    const started = Date.now();
    const report: ImportRowResult[] = [];
    const organizationRegion = await this.listings.organizationRegion(principal);
    await repository.update(record.id, { status: 'running' });
    for (let start = 0; start < rows.length; start += CHUNK) {
      const checked = await Promise.all(rows.slice(start, start + CHUNK).map((row) => this.check(principal, row, record.publish, organizationRegion)));
      const valid = checked.filter((c): c is { row: number; draft: ListingDraft } => 'draft' in c);
      const ids = await this.dataSource.transaction((manager) => this.insertChunk(manager, valid.map((c) => c.draft), record.publish));
      let next = 0;
      for (const result of checked) {
        report.push('draft' in result ? { row: result.row, status: 'created', listingId: ids[next++], errors: [] } : result);
      }
      await repository.update(record.id, { processedRows: report.length, createdCount: report.filter((r) => r.status === 'created').length, errorCount: report.filter((r) => r.status === 'error').length });
    }
    await repository.update(record.id, { status: 'done', report, file: null, finishedAt: new Date() });
    this.logger.log(`import ${record.id}: ${rows.length} rows in ${Date.now() - started} ms`);
    return toReport(await repository.findOneByOrFail({ id: record.id }));
  }

  private async check(principal: Principal, raw: RawImportRow, publish: boolean, organizationRegion: string): Promise<{ row: number; draft: ListingDraft } | ImportRowResult> {
    const { input, problems } = rowToListingInput(raw.values);
    const dto = plainToInstance(CreateListingDto, input);
    // A cell the mapper could not read is reported once, not again as the missing field it would have filled.
    const unreadable = new Set(problems.map((p) => p.field));
    const invalid = flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
    problems.push(...invalid.filter((p) => !unreadable.has(COLUMN_OF_FIELD[p.field] ?? p.field)));
    if (problems.length === 0) {
      try {
        const draft = await this.listings.prepare(principal, dto, organizationRegion);
        if (publish) {
          const category = this.categories.get(draft.categoryCode);
          problems.push(...publishProblems({ ...draft, typicalShelfLifeDays: category.typicalShelfLifeDays, categoryName: category.nameZh }, chinaDate()));
        }
        if (problems.length === 0) return { row: raw.row, draft };
      } catch (error) {
        if (!(error instanceof DomainError) || !error.details) throw error;
        problems.push(...error.details);
      }
    }
    const errors = uniqueProblems(problems).map((p) => {
      const field = COLUMN_OF_FIELD[p.field] ?? p.field;
      return { field, column: HEADERS.get(field) ?? field, message: p.message };
    });
    return { row: raw.row, status: 'error', errors };
  }

  private async insertChunk(manager: EntityManager, drafts: ListingDraft[], publish: boolean): Promise<string[]> {
    if (drafts.length === 0) return [];
    const now = new Date();
    const rows = drafts.map((draft) => {
      if (!publish) return draft;
      listingStateMachine.assert('draft', 'active', { ...draft, today: chinaDate(now) });
      return { ...draft, status: 'active' as const, publishedAt: now };
    });
    const { identifiers } = await manager.getRepository(Listing).insert(rows);
    // One multi-row INSERT returns its ids in VALUES order.
    const lots = rows.map((row, i) => ({ ...row, id: identifiers[i].id as string }) as Listing);
    await this.outbox.writeMany(manager, lots.flatMap((lot) => [listingEvent('listing.created', lot), ...(publish ? [listingEvent('listing.published', lot)] : [])]));
    return lots.map((lot) => lot.id);
  }
}

function uniqueProblems(problems: { field: string; message: string }[]) {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(`${p.field}:${p.message}`) && seen.add(`${p.field}:${p.message}`));
}

function toReport(record: ListingImport): ImportReport {
  return {
    importId: record.id,
    status: record.status,
    publish: record.publish,
    totalRows: record.totalRows,
    processedRows: record.processedRows,
    created: record.createdCount,
    failed: record.errorCount,
    rows: record.report,
  };
}

import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ReportChunkWriter } from './report-chunk-writer';

export type ReportFormat = 'xlsx' | 'csv' | 'json';
export type ReportSource = 'scheduled' | 'request';

/** A stored report's metadata; its bytes are in `monthly_report_chunks`. */
export interface StoredReport {
  id: string;
  regionCode: string;
  month: string;
  format: ReportFormat;
  contentType: string;
  byteSize: number;
  sha256: string;
  lineCount: number;
  source: ReportSource;
  generatedAt: Date;
  durationMs: number;
}

export { CHUNK_BYTES } from './report-chunk-writer';

const COLUMNS = `id, region_code AS "regionCode", month, format, content_type AS "contentType", byte_size::float8 AS "byteSize", sha256,
  line_count AS "lineCount", source, generated_at AS "generatedAt", duration_ms AS "durationMs"`;

/**
 * Generated monthly reports, kept in PostgreSQL: one `monthly_reports` row per (region, month, format) and the
 * file's bytes in 1 MiB `monthly_report_chunks`, written as the report is generated and read back as a stream,
 * so neither storing nor serving holds a whole report in memory. Every generation is also logged in
 * `monthly_report_generations` (which the exactly-once test of the scheduled job reads).
 */
@Injectable()
export class ReportStoreService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(regionCode: string, month: string, format: ReportFormat, manager: EntityManager = this.dataSource.manager): Promise<StoredReport | undefined> {
    const rows: StoredReport[] = await manager.query(`SELECT ${COLUMNS} FROM monthly_reports WHERE region_code = $1 AND month = $2 AND format = $3`, [regionCode, month, format]);
    return rows[0];
  }

  async wasScheduled(manager: EntityManager, regionCode: string, month: string, format: ReportFormat): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM monthly_report_generations WHERE region_code = $1 AND month = $2 AND format = $3 AND source = 'scheduled' LIMIT 1`, [regionCode, month, format]);
    return rows.length > 0;
  }

  /** Serialises generations of one report across processes: held until `manager`'s transaction ends. */
  async lock(manager: EntityManager, regionCode: string, month: string, format: ReportFormat): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`monthly-report:${regionCode}:${month}:${format}`]);
  }

  /**
   * Starts replacing the stored report inside `manager`'s transaction: deletes the old one and returns the
   * writer the new bytes go to as they are generated. `complete` records what was written.
   */
  async create(manager: EntityManager, report: Pick<StoredReport, 'regionCode' | 'month' | 'format' | 'contentType' | 'source'>): Promise<ReportChunkWriter> {
    await manager.query(`DELETE FROM monthly_reports WHERE region_code = $1 AND month = $2 AND format = $3`, [report.regionCode, report.month, report.format]);
    const [{ id }] = await manager.query(
      `INSERT INTO monthly_reports (region_code, month, format, content_type, byte_size, sha256, line_count, source, generated_at, duration_ms)
       VALUES ($1, $2, $3, $4, 0, '', 0, $5, now(), 0) RETURNING id`,
      [report.regionCode, report.month, report.format, report.contentType, report.source],
    );
    return new ReportChunkWriter(manager, id);
  }

  /** Records the report `writer` (finished) holds, and logs the generation. */
  async complete(manager: EntityManager, writer: ReportChunkWriter, report: Omit<StoredReport, 'id' | 'byteSize' | 'sha256'>): Promise<StoredReport> {
    const { byteSize } = writer;
    const sha256 = writer.sha256();
    await manager.query(`UPDATE monthly_reports SET byte_size = $2, sha256 = $3, line_count = $4, generated_at = $5, duration_ms = $6 WHERE id = $1`, [
      writer.reportId, byteSize, sha256, report.lineCount, report.generatedAt, report.durationMs,
    ]);
    await manager.query(
      `INSERT INTO monthly_report_generations (region_code, month, format, source, generated_at, duration_ms, byte_size, line_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [report.regionCode, report.month, report.format, report.source, report.generatedAt, report.durationMs, byteSize, report.lineCount],
    );
    return { ...report, id: writer.reportId, byteSize, sha256 };
  }

  /** The stored bytes, one chunk at a time. */
  open(report: StoredReport): Readable {
    const dataSource = this.dataSource;
    return Readable.from(
      (async function* chunks() {
        for (let seq = 0; ; seq++) {
          const rows: { data: Buffer }[] = await dataSource.query(`SELECT data FROM monthly_report_chunks WHERE report_id = $1 AND seq = $2`, [report.id, seq]);
          if (!rows.length) break;
          yield rows[0].data;
        }
      })(),
      { objectMode: false },
    );
  }
}

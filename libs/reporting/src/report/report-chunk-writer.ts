import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { EntityManager } from 'typeorm';

/** 1 MiB: large enough that a 50 MB report is 50 rows, small enough that reading one costs little memory. */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * Writes a report's bytes into `monthly_report_chunks` while it is generated: 1 MiB `bytea` rows inserted in
 * `manager`'s transaction, one insert in flight while the next chunk fills, so storing overlaps generating and
 * back-pressure reaches the writer when PostgreSQL is the slower. Counts the bytes and hashes them on the way.
 */
export class ReportChunkWriter extends Writable {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private filled = 0;
  private seq = 0;
  private size = 0;
  private readonly hash = createHash('sha256');
  private inFlight: Promise<void> = Promise.resolve();
  private failure?: unknown;

  constructor(
    private readonly manager: EntityManager,
    readonly reportId: string,
  ) {
    super({ highWaterMark: CHUNK_BYTES });
  }

  get byteSize(): number {
    return this.size;
  }

  /** The SHA-256 of everything written; only once the stream has finished. */
  sha256(): string {
    return this.hash.digest('hex');
  }

  override _write(data: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.append(data).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    (async () => {
      if (this.filled) await this.insert();
      await this.settled();
    })().then(() => callback(), callback);
  }

  private async append(data: Buffer): Promise<void> {
    this.hash.update(data);
    this.size += data.length;
    for (let offset = 0; offset < data.length; ) {
      const n = Math.min(data.length - offset, CHUNK_BYTES - this.filled);
      data.copy(this.chunk, this.filled, offset, offset + n);
      this.filled += n;
      offset += n;
      if (this.filled === CHUNK_BYTES) await this.insert();
    }
  }

  /** Waits for the previous insert, then starts this chunk's without waiting for it. */
  private async insert(): Promise<void> {
    const data = this.chunk.subarray(0, this.filled);
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.filled = 0;
    await this.settled();
    this.inFlight = this.manager
      .query(`INSERT INTO monthly_report_chunks (report_id, seq, data) VALUES ($1, $2, $3)`, [this.reportId, this.seq++, data])
      .then(() => undefined, (error: unknown) => void (this.failure = error));
  }

  private async settled(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }
}

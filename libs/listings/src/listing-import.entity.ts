import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organization } from '@chanxiao/identity/organization.entity';

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

/** One row's outcome in an import report. */
export interface ImportRowResult {
  row: number;
  status: 'created' | 'error';
  listingId?: string;
  errors: { field: string; column: string; message: string }[];
}

/**
 * A spreadsheet import and its per-row report. Small files are imported inside the request and recorded here
 * as done; large ones are stored here (the file itself, until processed) and run by the matcher as a BullMQ
 * job whose progress this row shows.
 */
@Entity({ name: 'listing_imports' })
@Check('listing_imports_status_check', `"status" IN ('queued', 'running', 'done', 'failed')`)
@Index('listing_imports_organization_idx', ['organizationId', 'createdAt'])
export class ListingImport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'listing_imports_organization_id_fkey' })
  organization?: Organization;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  filename: string;

  @Column({ type: 'boolean' })
  publish: boolean;

  @Column({ type: 'text' })
  status: ImportStatus;

  @Column({ name: 'total_rows', type: 'integer' })
  totalRows: number;

  @Column({ name: 'processed_rows', type: 'integer', default: 0 })
  processedRows: number;

  @Column({ name: 'created_count', type: 'integer', default: 0 })
  createdCount: number;

  @Column({ name: 'error_count', type: 'integer', default: 0 })
  errorCount: number;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  report: ImportRowResult[];

  /** The uploaded file while the job is queued or running; cleared when it finishes. */
  @Column({ type: 'bytea', nullable: true, select: false })
  file: Buffer | null;

  @Column({ type: 'text', nullable: true })
  failure: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

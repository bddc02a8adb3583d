import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { UserRole } from '@chanxiao/core';
import { Organization } from './organization.entity';

/** The roles inside a seller or buyer organisation: the registering user is its first `admin`. */
export const ORGANIZATION_ROLES = ['admin', 'staff'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

/**
 * A person who logs in, by mobile number, on behalf of one organisation: an `admin` or `staff` of a seller or
 * buyer (staff list, sell and ship; only an admin changes members and the payout account), or `agency_staff`.
 */
@Entity({ name: 'users' })
@Index('users_phone_key', ['phone'], { unique: true })
@Index('users_organization_idx', ['organizationId'])
@Check('users_role_check', `"role" IN ('admin', 'staff', 'agency_staff')`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'users_organization_id_fkey' })
  organization?: Organization;

  @Column({ type: 'text' })
  phone: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: UserRole;

  /** Raised when the password changes: every access token carries the version it was issued at (`ver`), older ones are refused. */
  @Column({ name: 'token_version', type: 'int', default: 0 })
  tokenVersion: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;
}

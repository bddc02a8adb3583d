import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from './organization.entity';
import { User } from './user.entity';

/**
 * A seller's payout account (收款账户): where buyers paying by bank transfer send the money. One per organisation,
 * set by its admin; the account number is digits only.
 */
@Entity({ name: 'payout_accounts' })
@Check('payout_accounts_account_no_check', `"account_no" ~ '^[0-9]{8,30}$'`)
@Check('payout_accounts_names_check', `char_length("account_name") BETWEEN 2 AND 100 AND char_length("bank_name") BETWEEN 2 AND 100`)
export class PayoutAccount {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'payout_accounts_organization_id_fkey' })
  organization?: Organization;

  /** 户名: the account holder's name as the bank has it. */
  @Column({ name: 'account_name', type: 'text' })
  accountName: string;

  /** 开户行, e.g. 中国农业银行广南县支行. */
  @Column({ name: 'bank_name', type: 'text' })
  bankName: string;

  @Column({ name: 'account_no', type: 'text' })
  accountNo: string;

  /** The admin who last set it (null once that user is removed). */
  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by', foreignKeyConstraintName: 'payout_accounts_updated_by_fkey' })
  updater?: User;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

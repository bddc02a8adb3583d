import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, hashPassword, OutboxService, type Principal, uuidOrNone } from '@chanxiao/core';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { AddMemberDto, MemberPage, MemberView } from './dto/organization.dto';
import { Organization } from './organization.entity';
import { type OrganizationRole, User } from './user.entity';

const PHONE_TAKEN = { field: 'phone', message: 'is already registered' };

/**
 * The users of a seller or buyer organisation: list, add (admin only) and remove (admin only). Removing deletes the
 * user, so its tokens stop working at once (the auth guard finds no user). An admin cannot remove themselves, so an
 * organisation always keeps one; adds and removals of one organisation take its row lock, so two admins removing
 * each other at once cannot both succeed.
 */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  async list(principal: Principal): Promise<MemberPage> {
    const users = await this.dataSource.getRepository(User).find({ where: { organizationId: principal.organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return { items: users.map(memberView), nextCursor: null };
  }

  async add(principal: Principal, input: AddMemberDto): Promise<MemberView> {
    if (await this.dataSource.getRepository(User).existsBy({ phone: input.phone })) throw phoneTaken();
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        await this.lockAsAdmin(manager, principal);
        const user = await manager.getRepository(User).save({
          organizationId: principal.organizationId,
          phone: input.phone,
          passwordHash,
          name: input.name,
          role: input.role,
          tokenVersion: 0,
          lastLoginAt: null,
        });
        await this.outbox.write(manager, {
          type: 'organization.member_added',
          aggregateType: 'organization',
          aggregateId: principal.organizationId,
          payload: { userId: user.id, role: user.role, addedBy: principal.userId },
        });
        return memberView(user);
      });
    } catch (error) {
      // Two adds racing past the pre-check meet the unique index on phone.
      if (error instanceof QueryFailedError && (error.driverError as { constraint?: string }).constraint === 'users_phone_key') throw phoneTaken();
      throw error;
    }
  }

  async remove(principal: Principal, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.lockAsAdmin(manager, principal);
      const users = manager.getRepository(User);
      const target = await users.findOneBy({ id: uuidOrNone(userId), organizationId: principal.organizationId });
      if (!target) throw new DomainError('not_found', 'organization.member_not_found', `member ${userId} not found`);
      // The caller is an admin (checked under the lock), so forbidding self-removal is what keeps the last admin.
      if (target.id === principal.userId) {
        throw new DomainError('conflict', 'organization.cannot_remove_self', 'an admin cannot remove themselves; another admin can', [{ field: 'userId', message: 'is you' }]);
      }
      await users.delete({ id: target.id });
      await this.outbox.write(manager, {
        type: 'organization.member_removed',
        aggregateType: 'organization',
        aggregateId: principal.organizationId,
        payload: { userId: target.id, role: target.role, removedBy: principal.userId },
      });
    });
  }

  /** Serialises member changes of one organisation and re-checks, under that lock, that the caller is still its admin. */
  private async lockAsAdmin(manager: EntityManager, principal: Principal): Promise<void> {
    await manager.getRepository(Organization).createQueryBuilder('o').setLock('pessimistic_write').where('o.id = :id', { id: principal.organizationId }).getOne();
    const actor = await manager.getRepository(User).findOneBy({ id: principal.userId, organizationId: principal.organizationId });
    if (!actor) throw new DomainError('unauthorized', 'auth.user_gone', 'the user of this token no longer exists');
    if ((actor.role as OrganizationRole) !== 'admin') throw new DomainError('forbidden', 'organization.admin_only', 'only an admin of the organisation may do this');
  }
}

function phoneTaken(): DomainError {
  return new DomainError('conflict', 'identity.already_registered', `phone ${PHONE_TAKEN.message}`, [PHONE_TAKEN]);
}

function memberView(user: User): MemberView {
  return {
    userId: user.id,
    phone: user.phone,
    name: user.name,
    role: user.role as OrganizationRole,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JwtService } from '@nestjs/jwt';
import {
  type AccessTokenClaims,
  type AppKind,
  AppConfig,
  DomainError,
  dummyPasswordHash,
  hashPassword,
  LoginThrottleService,
  OutboxService,
  type Principal,
  verifyPassword,
} from '@chanxiao/core';
import { RegionsService } from '@chanxiao/regions';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { passwordProblem } from './credentials.util';
import type { BuyerOrganizationDto, MeView, OrganizationView, SellerOrganizationDto, TokenView, UserInputDto } from './dto/auth.dto';
import { Organization } from './organization.entity';
import { User } from './user.entity';

export type RegistrationInput =
  | { kind: 'seller'; organization: SellerOrganizationDto; user: UserInputDto }
  | { kind: 'buyer'; organization: BuyerOrganizationDto; user: UserInputDto };

export interface AgencyUserInput {
  phone: string;
  password: string;
  name: string;
  regionCode: string;
  officeName?: string;
}

// Unique indexes whose violation means "already registered", with the request field to name.
const UNIQUE_FIELDS: Record<string, { field: string; message: string }> = {
  users_phone_key: { field: 'user.phone', message: 'is already registered' },
  organizations_credit_code_key: { field: 'organization.creditCode', message: 'is already registered' },
};

/**
 * Registration (the registering user is the organisation's admin), login, "who am I" and changing one's password
 * for every app; agency users are created by the CLI.
 */
@Injectable()
export class IdentityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly outbox: OutboxService,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
    private readonly config: AppConfig,
  ) {}

  async register(input: RegistrationInput): Promise<MeView & { accessToken: string; expiresIn: number }> {
    const region = this.regions.get(input.organization.regionCode, 'organization.regionCode');
    if (input.kind === 'seller' && region.level !== 'county') {
      throw DomainError.validation('identity.seller_region_not_county', [
        { field: 'organization.regionCode', message: `${region.code} (${region.name}) is a ${region.level}; a seller must give its county` },
      ]);
    }
    await this.assertNotRegistered(input.user.phone, input.organization.creditCode);
    const passwordHash = await hashPassword(input.user.password);
    const { organization, user } = await this.unique(() =>
      this.dataSource.transaction(async (manager) => {
        const organization = await manager.getRepository(Organization).save({
          kind: input.kind,
          name: input.organization.name,
          creditCode: input.organization.creditCode,
          regionCode: region.code,
          contactPhone: input.organization.contactPhone,
          buyerType: input.kind === 'buyer' ? input.organization.buyerType : null,
          povertyHouseholds: input.kind === 'seller' ? input.organization.povertyHouseholds : null,
        });
        const user = await this.insertUser(manager, organization, input.user.phone, passwordHash, input.user.name, 'admin');
        await this.outbox.write(manager, {
          type: 'organization.registered',
          aggregateType: 'organization',
          aggregateId: organization.id,
          payload: { kind: organization.kind, regionCode: organization.regionCode, buyerType: organization.buyerType },
        });
        return { organization, user };
      }),
    );
    return { ...this.issueToken(user, organization), ...this.view(user, organization) };
  }

  async login(kind: AppKind, phone: string, password: string, ip: string): Promise<{ accessToken: string; expiresIn: number }> {
    await this.throttle.assertAllowed(phone, ip);
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .innerJoinAndSelect('user.organization', 'organization')
      .where('user.phone = :phone', { phone })
      .getOne();
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    // A phone registered in another app gets the same answer as a wrong password: no account enumeration.
    if (!user || !ok || user.organization!.kind !== kind) {
      await this.throttle.recordFailure(phone, ip);
      throw new DomainError('unauthorized', 'auth.bad_credentials', 'the phone number or password is wrong');
    }
    await this.throttle.recordSuccess(phone);
    await this.dataSource.getRepository(User).update(user.id, { lastLoginAt: new Date() });
    return this.issueToken(user, user.organization!);
  }

  async me(principal: Principal): Promise<MeView> {
    const user = await this.dataSource.getRepository(User).findOne({ where: { id: principal.userId }, relations: { organization: true } });
    if (!user || user.organizationId !== principal.organizationId) {
      throw new DomainError('unauthorized', 'auth.user_gone', 'the user of this token no longer exists');
    }
    return this.view(user, user.organization!);
  }

  /**
   * Changes the caller's password and raises its `token_version`, so every token issued before (this one and other
   * sessions') is refused from now on; answers a fresh token. A wrong old password counts as a failed login for the
   * phone (the same throttle), so a stolen token cannot be used to guess the password.
   */
  async changePassword(principal: Principal, oldPassword: string, newPassword: string, ip: string): Promise<TokenView> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .innerJoinAndSelect('user.organization', 'organization')
      .where('user.id = :id', { id: principal.userId })
      .getOne();
    if (!user) throw new DomainError('unauthorized', 'auth.user_gone', 'the user of this token no longer exists');
    await this.throttle.assertAllowed(user.phone, ip);
    if (!(await verifyPassword(user.passwordHash, oldPassword))) {
      await this.throttle.recordFailure(user.phone, ip);
      throw DomainError.validation('auth.wrong_password', [{ field: 'oldPassword', message: 'is not the current password' }]);
    }
    const problem = newPassword === oldPassword ? 'must differ from the old password' : passwordProblem(newPassword, user.phone);
    if (problem) throw DomainError.validation('auth.weak_password', [{ field: 'newPassword', message: problem }]);
    const passwordHash = await hashPassword(newPassword);
    const tokenVersion = await this.dataSource.transaction(async (manager) => {
      // Compare-and-set on the old hash: of two changes racing with the same old password, the second finds it gone.
      const updated = await manager
        .createQueryBuilder()
        .update(User)
        .set({ passwordHash, tokenVersion: () => 'token_version + 1' })
        .where('id = :id AND password_hash = :old', { id: user.id, old: user.passwordHash })
        .returning('token_version')
        .execute();
      if (!updated.affected) throw DomainError.validation('auth.wrong_password', [{ field: 'oldPassword', message: 'is not the current password' }]);
      await this.outbox.write(manager, { type: 'user.password_changed', aggregateType: 'user', aggregateId: user.id, payload: { organizationId: user.organizationId } });
      return (updated.raw as { token_version: number }[])[0].token_version;
    });
    await this.throttle.recordSuccess(user.phone);
    return this.issueToken({ ...user, tokenVersion }, user.organization!);
  }

  /** Creates an agency staff user scoped to `regionCode`, in the agency office of that region (made on first use). */
  async createAgencyUser(input: AgencyUserInput): Promise<MeView> {
    const region = this.regions.get(input.regionCode, 'region');
    await this.assertNotRegistered(input.phone, null);
    const passwordHash = await hashPassword(input.password);
    const { organization, user } = await this.unique(() =>
      this.dataSource.transaction(async (manager) => {
        const offices = manager.getRepository(Organization);
        const organization =
          (await offices.findOne({ where: { kind: 'agency', regionCode: region.code } })) ??
          (await offices.save({ kind: 'agency', name: input.officeName ?? `${region.name}乡村振兴与商务工作组`, creditCode: null, regionCode: region.code, contactPhone: input.phone, buyerType: null, povertyHouseholds: null }));
        const user = await this.insertUser(manager, organization, input.phone, passwordHash, input.name, 'agency_staff');
        return { organization, user };
      }),
    );
    return this.view(user, organization);
  }

  private insertUser(manager: EntityManager, organization: Organization, phone: string, passwordHash: string, name: string, role: User['role']): Promise<User> {
    return manager.getRepository(User).save({ organizationId: organization.id, phone, passwordHash, name, role, tokenVersion: 0, lastLoginAt: null });
  }

  private async assertNotRegistered(phone: string, creditCode: string | null): Promise<void> {
    const [phoneTaken, codeTaken] = await Promise.all([
      this.dataSource.getRepository(User).existsBy({ phone }),
      creditCode ? this.dataSource.getRepository(Organization).existsBy({ creditCode }) : false,
    ]);
    const details = [
      ...(phoneTaken ? [UNIQUE_FIELDS.users_phone_key] : []),
      ...(codeTaken ? [UNIQUE_FIELDS.organizations_credit_code_key] : []),
    ];
    if (details.length) throw new DomainError('conflict', 'identity.already_registered', details.map((d) => `${d.field} ${d.message}`).join('; '), details);
  }

  // Two registrations racing past the pre-check meet the unique index; answer 409 naming the field.
  private async unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const constraint = error instanceof QueryFailedError ? (error.driverError as { constraint?: string }).constraint : undefined;
      const known = constraint ? UNIQUE_FIELDS[constraint] : undefined;
      if (known) throw new DomainError('conflict', 'identity.already_registered', `${known.field} ${known.message}`, [known]);
      throw error;
    }
  }

  private issueToken(user: User, organization: Organization): { accessToken: string; expiresIn: number } {
    const claims: AccessTokenClaims = {
      sub: user.id,
      org: organization.id,
      kind: organization.kind,
      role: user.role,
      region: organization.kind === 'agency' ? organization.regionCode : null,
      ver: user.tokenVersion,
    };
    return { accessToken: this.jwt.sign(claims), expiresIn: this.config.JWT_TTL_SECONDS };
  }

  view(user: User, organization: Organization): MeView {
    return {
      user: { id: user.id, phone: user.phone, name: user.name, role: user.role, regionCode: organization.kind === 'agency' ? organization.regionCode : null },
      organization: this.organizationView(organization),
    };
  }

  organizationView(organization: Organization): OrganizationView {
    const region = this.regions.find(organization.regionCode);
    return {
      id: organization.id,
      name: organization.name,
      creditCode: organization.creditCode,
      regionCode: organization.regionCode,
      regionName: region?.name ?? '',
      kind: organization.kind,
      ...(organization.buyerType ? { buyerType: organization.buyerType } : {}),
      ...(organization.povertyHouseholds !== null ? { povertyHouseholds: organization.povertyHouseholds } : {}),
      contactPhone: organization.contactPhone,
      isPovertyCounty: region?.isPovertyCounty ?? false,
      isSupervisedCounty: region?.isSupervisedCounty ?? false,
    };
  }
}

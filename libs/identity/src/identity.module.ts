import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegionsModule } from '@chanxiao/regions';
import { IdentityService } from './identity.service';
import { MembersService } from './members.service';
import { Organization } from './organization.entity';
import { PayoutAccount } from './payout-account.entity';
import { PayoutAccountService } from './payout-account.service';
import { User } from './user.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Organization, User, PayoutAccount]), RegionsModule],
  providers: [IdentityService, MembersService, PayoutAccountService],
  exports: [IdentityService, MembersService, PayoutAccountService],
})
export class IdentityModule {}

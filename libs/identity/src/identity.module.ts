import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegionsModule } from '@chanxiao/regions';
import { IdentityService } from './identity.service';
import { Organization } from './organization.entity';
import { User } from './user.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Organization, User]), RegionsModule],
  providers: [IdentityService],
  exports: [IdentityService],
})
export class IdentityModule {}

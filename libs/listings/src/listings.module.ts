import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CategoriesModule } from '@chanxiao/categories';
import { RegionsModule } from '@chanxiao/regions';
import { Organization } from '@chanxiao/identity/organization.entity';
import { Listing } from './listing.entity';
import { ListingsService } from './listings.service';

@Module({
  imports: [TypeOrmModule.forFeature([Listing, Organization]), CategoriesModule, RegionsModule],
  providers: [ListingsService],
  exports: [ListingsService],
})
export class ListingsModule {}

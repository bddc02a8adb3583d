import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueName } from '@chanxiao/core';
import { CategoriesModule } from '@chanxiao/categories';
import { RegionsModule } from '@chanxiao/regions';
import { Organization } from '@chanxiao/identity/organization.entity';
import { ListingImportService } from './import/listing-import.service';
import { ListingTemplateService } from './import/listing-template.service';
import { ListingExpiryService } from './listing-expiry.service';
import { ListingStockService } from './listing-stock.service';
import { ListingImport } from './listing-import.entity';
import { Listing } from './listing.entity';
import { ListingsService } from './listings.service';
import { ListingSearchService } from './search/listing-search.service';

/** Lots and their import, for any app; the seller app adds controllers, the matcher adds {@link ListingJobsModule}. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Listing, ListingImport, Organization]),
    BullModule.registerQueue({ name: QueueName.Listings }),
    CategoriesModule,
    RegionsModule,
  ],
  providers: [ListingsService, ListingSearchService, ListingStockService, ListingImportService, ListingTemplateService, ListingExpiryService],
  exports: [ListingsService, ListingSearchService, ListingStockService, ListingImportService, ListingTemplateService, ListingExpiryService, BullModule],
})
export class ListingsModule {}

import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, QueueName } from '@chanxiao/core';
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
import { ListingPhoto } from './photos/listing-photo.entity';
import { ListingPhotoViews } from './photos/listing-photo-views.service';
import { ListingPhotosService } from './photos/listing-photos.service';
import { LocalPhotoStorage, PhotoStorage } from './photos/photo-storage';
import { ListingKeywords } from './search/listing-keywords.service';
import { ListingSearchService } from './search/listing-search.service';

/** Lots and their import, for any app; the seller app adds controllers, the matcher adds {@link ListingJobsModule}. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Listing, ListingImport, ListingPhoto, Organization]),
    BullModule.registerQueue({ name: QueueName.Listings }),
    CategoriesModule,
    RegionsModule,
  ],
  providers: [
    ListingsService, ListingSearchService, ListingStockService, ListingImportService, ListingTemplateService, ListingExpiryService,
    ListingPhotosService, ListingPhotoViews, ListingKeywords,
    { provide: PhotoStorage, useFactory: (config: AppConfig) => new LocalPhotoStorage(config.PHOTO_STORAGE_DIR), inject: [AppConfig] },
  ],
  exports: [
    ListingsService, ListingSearchService, ListingStockService, ListingImportService, ListingTemplateService, ListingExpiryService,
    ListingPhotosService, ListingPhotoViews, ListingKeywords, PhotoStorage, BullModule,
  ],
})
export class ListingsModule {}

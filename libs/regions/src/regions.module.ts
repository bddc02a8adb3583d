import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Region, RegionAlias } from './region.entity';
import { RegionsService } from './regions.service';

@Module({
  imports: [TypeOrmModule.forFeature([Region, RegionAlias])],
  providers: [RegionsService],
  exports: [RegionsService],
})
export class RegionsModule {}

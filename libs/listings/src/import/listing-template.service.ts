import { Injectable } from '@nestjs/common';
import { CategoriesService } from '@chanxiao/categories';
import { buildListingTemplate } from './listing-template';

/** Builds the import template from the live taxonomy; cached, since categories change only by migration. */
@Injectable()
export class ListingTemplateService {
  private template?: Promise<Buffer>;

  constructor(private readonly categories: CategoriesService) {}

  build(): Promise<Buffer> {
    this.template ??= buildListingTemplate(this.categories.list());
    return this.template;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate, decodeCreatedCursor, uuidOrNone, DomainError, OutboxService, type Page, type Principal, toPage } from '@chanxiao/core';
import { CategoriesService } from '@chanxiao/categories';
import { RegionsService } from '@chanxiao/regions';
import { Organization } from '@chanxiao/identity/organization.entity';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { CreateListingDto, ListingView, ListListingsQuery, UpdateListingDto } from './dto/listing.dto';
import { Listing } from './listing.entity';
import { EDITABLE_FIELDS, type EditableField, publishProblems } from './listing.rules';
import { listingStateMachine, type ListingStatus } from './listing.state-machine';
import { listingEvent, toListingView } from './listing.view';
import { ListingPhotoViews } from './photos/listing-photo-views.service';
import { gramsToKg, kgToGrams } from './quantity.util';
import { ListingKeywords } from './search/listing-keywords.service';

/**
 * A create request checked and converted to grams, with the county's flags and centroid copied from the region,
 * ready to insert (used by the API and the import).
 */
export type ListingDraft = Omit<Listing, 'id' | 'organization' | 'category' | 'region' | 'createdAt' | 'updatedAt'>;

/**
 * A cooperative's own lots: create, read, edit, publish, withdraw. Every query is scoped to the caller's
 * organisation, so another organisation's lot answers 404. Transitions lock the lot's row, check the state
 * machine, save, and write the outbox event in the same transaction.
 */
@Injectable()
export class ListingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly categories: CategoriesService,
    private readonly regions: RegionsService,
    private readonly outbox: OutboxService,
    private readonly photos: ListingPhotoViews,
    private readonly keywords: ListingKeywords,
  ) {}

  async create(principal: Principal, input: CreateListingDto): Promise<ListingView> {
    const draft = await this.prepare(principal, input);
    return this.dataSource.transaction(async (manager) => toListingView(await this.insert(manager, draft), []));
  }

  /**
   * Checks a create request against the rules the database cannot see (category leaf, county, quantities)
   * and converts it. Throws a 400 naming every bad field.
   */
  async prepare(principal: Principal, input: CreateListingDto, organizationRegion?: string): Promise<ListingDraft> {
    const problems: { field: string; message: string }[] = [];
    const category = this.categories.find(input.categoryCode);
    if (!category) problems.push({ field: 'categoryCode', message: `${input.categoryCode} is not a category code` });
    else if (category.parentCode === null) problems.push({ field: 'categoryCode', message: `${input.categoryCode} is a group; choose one of its leaves` });
    const regionCode = input.regionCode ?? organizationRegion ?? (await this.organizationRegion(principal));
    const region = this.regions.find(regionCode);
    if (!region) problems.push({ field: 'regionCode', message: `${regionCode} is not a GB/T 2260 region code` });
    else if (region.level !== 'county') problems.push({ field: 'regionCode', message: `${region.code} (${region.name}) is a ${region.level}; give the county` });
    const totalGrams = kgToGrams(input.quantityKg);
    const minOrderGrams = kgToGrams(input.minOrderKg);
    if (minOrderGrams > totalGrams) problems.push({ field: 'minOrderKg', message: 'must not exceed quantityKg' });
    if (input.bestBefore < input.harvestedOn) problems.push({ field: 'bestBefore', message: 'must not be before harvestedOn' });
    if (problems.length) throw DomainError.validation('listing.invalid', problems);
    return {
      organizationId: principal.organizationId,
      status: 'draft',
      categoryCode: input.categoryCode,
      title: input.title,
      variety: input.variety ?? null,
      grade: input.grade ?? null,
      totalGrams,
      availableGrams: totalGrams,
      reservedGrams: 0,
      soldGrams: 0,
      delistedGrams: 0,
      minOrderGrams,
      unitPriceFen: input.unitPriceFen,
      harvestedOn: input.harvestedOn,
      bestBefore: input.bestBefore,
      coldChain: input.coldChain,
      stalled: input.stalled,
      certificateNo: input.certificateNo ?? null,
      regionCode: region!.code,
      isPovertyCounty: region!.isPovertyCounty,
      isSupervisedCounty: region!.isSupervisedCounty,
      lat: region!.centroid.lat,
      lon: region!.centroid.lon,
      publishedAt: null,
      closedAt: null,
      searchVector: this.keywords.vectorOf({ title: input.title, variety: input.variety ?? null, grade: input.grade ?? null, categoryCode: input.categoryCode, regionCode: region!.code }),
    };
  }

  /** Inserts a prepared lot as a draft, or publishes it at once when `publish` (import with `?publish=true`). */
  async insert(manager: EntityManager, draft: ListingDraft, publish = false): Promise<Listing> {
    const lot = await manager.getRepository(Listing).save(manager.getRepository(Listing).create(draft));
    await this.outbox.write(manager, listingEvent('listing.created', lot));
    return publish ? this.applyPublish(manager, lot) : lot;
  }

  async get(principal: Principal, id: string): Promise<ListingView> {
    const lot = await this.dataSource.getRepository(Listing).findOneBy({ id: uuidOrNone(id), organizationId: principal.organizationId });
    if (!lot) throw DomainError.notFound('listing', id);
    return toListingView(lot, await this.photos.forListing(lot.id));
  }

  async list(principal: Principal, query: ListListingsQuery): Promise<Page<ListingView>> {
    const limit = query.limit ?? 20;
    const qb = this.dataSource
      .getRepository(Listing)
      .createQueryBuilder('l')
      .where('l.organization_id = :org', { org: principal.organizationId })
      .orderBy('l.created_at', 'DESC')
      .addOrderBy('l.id', 'DESC')
      .take(limit + 1);
    if (query.status) qb.andWhere('l.status = :status', { status: query.status });
    if (query.categoryCode) qb.andWhere({ categoryCode: In(this.categories.expand(query.categoryCode)) });
    if (query.cursor) {
      const [createdAt, id] = decodeCreatedCursor(query.cursor);
      qb.andWhere('(l.created_at, l.id) < (:createdAt, :id)', { createdAt, id });
    }
    const rows = await qb.getMany();
    const photos = await this.photos.forListings(rows.slice(0, limit).map((l) => l.id));
    return toPage(rows, limit, (l) => toListingView(l, photos.get(l.id) ?? []), (l) => [l.createdAt.toISOString(), l.id]);
  }

  async update(principal: Principal, id: string, changes: UpdateListingDto): Promise<ListingView> {
    const fields = Object.keys(changes).filter((k) => changes[k as keyof UpdateListingDto] !== undefined) as EditableField[];
    if (fields.length === 0) throw DomainError.validation('listing.nothing_to_change', [{ field: 'body', message: 'must change at least one field' }]);
    const nulled = fields.filter((f) => changes[f as keyof UpdateListingDto] === null && !NULLABLE.includes(f));
    if (nulled.length) throw DomainError.validation('listing.invalid', nulled.map((field) => ({ field, message: 'must not be null' })));
    return this.dataSource.transaction(async (manager) => {
      const lot = await this.lockOwn(manager, principal, id);
      const locked = fields.filter((f) => !EDITABLE_FIELDS[lot.status].includes(f));
      if (locked.length) {
        throw new DomainError('conflict', 'listing.field_locked', `a ${lot.status} listing cannot change ${locked.join(', ')}`,
          locked.map((field) => ({ field, message: `cannot change while the listing is ${lot.status}` })));
      }
      const merged = { ...toCreateInput(lot), ...changes } as CreateListingDto;
      const next = await this.prepare(principal, merged, lot.regionCode);
      const deltaGrams = next.totalGrams - lot.totalGrams;
      if (lot.availableGrams + deltaGrams < 0) {
        throw new DomainError('conflict', 'listing.quantity_below_committed', 'quantityKg is below what is reserved and sold', [
          { field: 'quantityKg', message: `must be at least ${gramsToKg(lot.reservedGrams + lot.soldGrams)} kg (reserved and sold)` },
        ]);
      }
      if (lot.status === 'active') this.assertStillPublishable(lot, next, fields);
      Object.assign(lot, {
        ...next,
        status: lot.status,
        totalGrams: lot.totalGrams + deltaGrams,
        availableGrams: lot.availableGrams + deltaGrams,
        reservedGrams: lot.reservedGrams,
        soldGrams: lot.soldGrams,
        delistedGrams: lot.delistedGrams,
        publishedAt: lot.publishedAt,
        closedAt: lot.closedAt,
      });
      await manager.getRepository(Listing).save(lot);
      await this.outbox.write(manager, listingEvent('listing.updated', lot, { changed: fields }));
      if (lot.status === 'active' && lot.availableGrams === 0 && lot.reservedGrams === 0) await this.transition(manager, lot, 'sold_out');
      return toListingView(lot, await this.photos.forListing(lot.id, manager));
    });
  }

  async publish(principal: Principal, id: string): Promise<ListingView> {
    return this.dataSource.transaction(async (manager) => {
      const lot = await this.applyPublish(manager, await this.lockOwn(manager, principal, id));
      return toListingView(lot, await this.photos.forListing(lot.id, manager));
    });
  }

  /**
   * Withdraws a draft or active lot. What is available leaves the market now; what is reserved stays with its
   * holds and unpaid orders (see the state machine's note), so nothing reserved is stranded or lost.
   */
  async withdraw(principal: Principal, id: string): Promise<ListingView> {
    return this.dataSource.transaction(async (manager) => {
      const lot = await this.lockOwn(manager, principal, id);
      await this.transition(manager, lot, 'withdrawn');
      return toListingView(lot, await this.photos.forListing(lot.id, manager));
    });
  }

  private async applyPublish(manager: EntityManager, lot: Listing): Promise<Listing> {
    const category = this.categories.get(lot.categoryCode);
    const problems = publishProblems({ ...lot, typicalShelfLifeDays: category.typicalShelfLifeDays, categoryName: category.nameZh }, chinaDate());
    if (lot.status === 'draft' && problems.length) {
      throw new DomainError('conflict', 'listing.not_publishable', `listing cannot go from draft to active: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
    }
    lot.publishedAt = new Date();
    return this.transition(manager, lot, 'active');
  }

  /** Moves a locked lot to `to` (FSM-checked), shifting stock off the market when it closes, and writes the event. */
  async transition(manager: EntityManager, lot: Listing, to: ListingStatus, today = chinaDate()): Promise<Listing> {
    listingStateMachine.assert(lot.status, to, { ...lot, today });
    lot.status = to;
    if (to === 'withdrawn' || to === 'expired') {
      lot.delistedGrams += lot.availableGrams;
      lot.totalGrams -= lot.availableGrams;
      lot.availableGrams = 0;
    }
    if (to === 'withdrawn' || to === 'expired' || to === 'sold_out') lot.closedAt = new Date();
    await manager.getRepository(Listing).save(lot);
    const type = to === 'active' ? 'listing.published' : `listing.${to}`;
    await this.outbox.write(manager, listingEvent(type as `listing.${string}`, lot));
    return lot;
  }

  // A live lot is re-checked against the publish rules, but only for the fields being changed: a lot whose
  // stock has sold down below its minimum order is not blocked from, say, a price change.
  private assertStillPublishable(lot: Listing, next: ListingDraft, fields: EditableField[]): void {
    const category = this.categories.get(next.categoryCode);
    const availableGrams = lot.availableGrams + next.totalGrams - lot.totalGrams;
    const touched = new Set<string>(fields.includes('quantityKg') ? [...fields, 'minOrderKg'] : fields);
    const facts = { ...next, availableGrams, typicalShelfLifeDays: category.typicalShelfLifeDays, categoryName: category.nameZh };
    const problems = publishProblems(facts, chinaDate()).filter((p) => touched.has(p.field) && !(p.field === 'minOrderKg' && availableGrams === 0));
    if (problems.length) throw DomainError.validation('listing.invalid', problems);
  }

  private async lockOwn(manager: EntityManager, principal: Principal, id: string): Promise<Listing> {
    const lot = await manager.getRepository(Listing).findOne({
      where: { id: uuidOrNone(id), organizationId: principal.organizationId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!lot) throw DomainError.notFound('listing', id);
    return lot;
  }

  async organizationRegion(principal: Principal): Promise<string> {
    const organization = await this.dataSource.getRepository(Organization).findOneByOrFail({ id: principal.organizationId });
    return organization.regionCode;
  }
}

const NULLABLE: EditableField[] = ['variety', 'grade', 'certificateNo'];


function toCreateInput(lot: Listing): CreateListingDto {
  return {
    categoryCode: lot.categoryCode,
    title: lot.title,
    variety: lot.variety,
    grade: lot.grade,
    quantityKg: gramsToKg(lot.totalGrams),
    minOrderKg: gramsToKg(lot.minOrderGrams),
    unitPriceFen: lot.unitPriceFen,
    harvestedOn: lot.harvestedOn,
    bestBefore: lot.bestBefore,
    coldChain: lot.coldChain,
    regionCode: lot.regionCode,
    stalled: lot.stalled,
    certificateNo: lot.certificateNo,
  };
}

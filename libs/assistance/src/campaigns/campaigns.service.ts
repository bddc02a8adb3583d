import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate, DomainError, OutboxService, type Principal, uuidOrNone } from '@chanxiao/core';
import { CategoriesService } from '@chanxiao/categories';
import { RegionsService } from '@chanxiao/regions';
import { type DataSource, MoreThanOrEqual } from 'typeorm';
import { checkAgencyInput } from '../agency-input';
import { Campaign } from '../assistance.entities';
import type { CampaignTag, CampaignView, CreateCampaignDto } from '../dto/campaign.dto';

interface ActiveCampaign {
  id: string;
  name: string;
  region_codes: string[];
  category_codes: string[];
}

const ACTIVE_CACHE_MS = 5000;

/** A lot as far as campaign scope goes. */
export interface LotInScope {
  regionCode: string;
  categoryCode: string;
}

/**
 * Special campaigns (专项行动): agency staff create them within their region; buyers browse the current and
 * coming ones; lots in an active campaign's regions and categories carry its tag. (Figures: libs/reporting.)
 */
@Injectable()
export class CampaignsService {
  private active: { today: string; at: number; rows: ActiveCampaign[] } | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly categories: CategoriesService,
    private readonly outbox: OutboxService,
  ) {}

  async create(principal: Principal, input: CreateCampaignDto): Promise<CampaignView> {
    const regionCodes = checkAgencyInput(principal, this.regions, input, this.categories);
    const categoryCodes = [...new Set(input.categoryCodes ?? [])];
    // This process's cache of active campaigns is stale once this commits (other processes catch up within seconds).
    this.active = undefined;
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(Campaign);
      const campaign = await repository.save(repository.create({
        name: input.name, description: input.description ?? null, ownerRegionCode: principal.regionCode!, createdBy: principal.userId,
        startsOn: input.startsOn, endsOn: input.endsOn, regionCodes, categoryCodes,
      }));
      await this.outbox.write(manager, { type: 'campaign.created', aggregateType: 'campaign', aggregateId: campaign.id, payload: { name: campaign.name, ownerRegionCode: campaign.ownerRegionCode, startsOn: campaign.startsOn, endsOn: campaign.endsOn, regionCodes, categoryCodes } });
      return toCampaignView(campaign);
    });
  }

  /** What buyers browse: campaigns not yet ended, soonest ending first. */
  async listOpen(): Promise<{ items: CampaignView[]; nextCursor: null }> {
    const rows = await this.dataSource.getRepository(Campaign).find({ where: { endsOn: MoreThanOrEqual(chinaDate()) }, order: { endsOn: 'ASC', id: 'ASC' }, take: 100 });
    return { items: rows.map((c) => toCampaignView(c)), nextCursor: null };
  }

  async getOpen(id: string): Promise<CampaignView> {
    const campaign = await this.dataSource.getRepository(Campaign).findOneBy({ id: uuidOrNone(id), endsOn: MoreThanOrEqual(chinaDate()) });
    if (!campaign) throw DomainError.notFound('campaign', id);
    return toCampaignView(campaign);
  }

  /** The active campaigns each lot is in, by position. One query per call, whatever the number of lots. */
  async tagsFor(lots: LotInScope[]): Promise<CampaignTag[][]> {
    if (!lots.length) return [];
    const active = await this.activeCampaigns();
    return lots.map((lot) => active.filter((c) => this.covers(c.region_codes, c.category_codes, lot)).map((c) => ({ id: c.id, name: c.name })));
  }

  /**
   * The campaigns active today, read at most every ACTIVE_CACHE_MS per process: every buyer search tags its lots,
   * and campaigns change a few times a month, so a new one may take a few seconds to show on search results.
   */
  private async activeCampaigns(): Promise<ActiveCampaign[]> {
    const today = chinaDate();
    const cached = this.active;
    if (cached && cached.today === today && Date.now() - cached.at < ACTIVE_CACHE_MS) return cached.rows;
    const rows: ActiveCampaign[] = await this.dataSource.query(
      `SELECT id, name, region_codes, category_codes FROM campaigns WHERE starts_on <= $1 AND ends_on >= $1 ORDER BY starts_on, id`,
      [today],
    );
    this.active = { today, at: Date.now(), rows };
    return rows;
  }

  private covers(regionCodes: string[], categoryCodes: string[], lot: LotInScope): boolean {
    const inCategory = !categoryCodes.length || categoryCodes.some((code) => code === lot.categoryCode || code === lot.categoryCode.split('.')[0]);
    return inCategory && regionCodes.some((code) => this.regions.isWithin(lot.regionCode, code));
  }
}

export function campaignState(c: { startsOn: string; endsOn: string }, today = chinaDate()): CampaignView['state'] {
  return today < c.startsOn ? 'upcoming' : today > c.endsOn ? 'ended' : 'active';
}

export function toCampaignView(c: Campaign): CampaignView {
  return {
    id: c.id, name: c.name, description: c.description, ownerRegionCode: c.ownerRegionCode, startsOn: c.startsOn, endsOn: c.endsOn,
    state: campaignState(c), regionCodes: c.regionCodes, categoryCodes: c.categoryCodes, createdAt: c.createdAt.toISOString(),
  };
}

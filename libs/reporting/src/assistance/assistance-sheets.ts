import { addDays, chinaDate } from '@chanxiao/core';
import { monthPeriod, type Period } from '../period.util';
import type { Scope } from '../region-scope.service';
import type { Column, Table } from '../report/report-tables';
import type { AssistanceFiguresService, CampaignFigures, PledgeFigures, SubsidyFigures } from './assistance-figures.service';

/** The 消费扶贫 part of a monthly report: pledges as of the month's end, campaigns and subsidies in the month and to date. */
export interface AssistanceReportData {
  pledges: PledgeFigures;
  campaigns: { month: CampaignFigures; toDate: CampaignFigures }[];
  subsidies: SubsidyFigures[];
}

export const ASSISTANCE_SHEETS = { pledges: '消费扶贫认购进度', campaigns: '专项行动', subsidies: '物流补贴' } as const;

/** Gathers the figures for a report month (up to today when the month is the current one). */
export async function assistanceReportData(figures: AssistanceFiguresService, scope: Scope, month: string): Promise<AssistanceReportData> {
  const period = monthPeriod(month);
  const today = chinaDate();
  const asOf = period.to < today ? period.to : today;
  const toDate: Period = { from: '2000-01-01', to: period.to };
  const [pledges, inMonth, cumulative, subsidies] = await Promise.all([
    figures.pledges(scope, asOf), figures.campaigns(scope, period), figures.campaigns(scope, toDate), figures.subsidies(scope, period),
  ]);
  const overlapping = inMonth.filter((c) => c.startsOn <= period.to && c.endsOn >= period.from);
  return {
    pledges,
    campaigns: overlapping.map((c) => ({ month: c, toDate: cumulative.find((t) => t.id === c.id)! })),
    subsidies: subsidies.filter((s) => s.startsOn <= period.to && addDays(s.endsOn, 0) >= period.from),
  };
}

const yuan = (header: string, width = 16): Column => ({ header, kind: 'yuan', width });
const kg = (header: string): Column => ({ header, kind: 'kg', width: 16 });
const int = (header: string): Column => ({ header, kind: 'int', width: 12 });
const text = (header: string, width = 20): Column => ({ header, kind: 'text', width });

/** The three sheets (pure). Money in fen, as every report table; the writers show yuan. */
export function assistanceTables(data: AssistanceReportData): Table[] {
  return [
    {
      name: ASSISTANCE_SHEETS.pledges,
      columns: [text('采购单位', 30), text('地区代码', 10), yuan('年度认购额（元）'), yuan('累计采购额（元）'), yuan('其中挂牌督战县（元）', 20), { header: '完成比例', kind: 'rate', width: 10 }, yuan('按进度应完成（元）', 18), text('是否滞后', 10), kg('累计采购量（公斤）')],
      rows: data.pledges.purchasers.map((p) => [p.name, p.regionCode, p.pledgedFen, p.countedFen, p.supervisedFen, p.shareOfPledge, p.expectedFen, p.pledgedFen === null ? '未认购' : p.behindSchedule ? '滞后' : '正常', p.countedKg]),
    },
    {
      name: ASSISTANCE_SHEETS.campaigns,
      columns: [text('专项行动', 30), text('开始', 12), text('结束', 12), text('状态', 8), kg('本月销售量（公斤）'), yuan('本月销售额（元）'), int('本月订单数'), int('本月覆盖县数'), kg('累计销售量（公斤）'), yuan('累计销售额（元）'), int('累计覆盖县数')],
      rows: data.campaigns.map(({ month, toDate }) => [month.name, month.startsOn, month.endsOn, { upcoming: '未开始', active: '进行中', ended: '已结束' }[month.state], month.soldKg, month.soldFen, month.orders, month.countiesReached, toDate.soldKg, toDate.soldFen, toDate.countiesReached]),
    },
    {
      name: ASSISTANCE_SHEETS.subsidies,
      columns: [text('补贴项目', 30), yuan('每单补贴（元）'), yuan('单户上限（元）'), yuan('总预算（元）'), yuan('已支出（元）'), yuan('剩余（元）'), int('本月补贴单数'), yuan('本月补贴额（元）'), yuan('本月冲回（元）'), int('本月补贴商户数')],
      rows: data.subsidies.map((s) => [s.name, s.perOrderFen, s.perSellerCapFen, s.budgetFen, s.spentFen, s.remainingFen, s.earnedOrders, s.earnedFen, s.reversedFen, s.sellers]),
    },
  ];
}

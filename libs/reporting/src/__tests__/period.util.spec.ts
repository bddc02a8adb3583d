import { monthPeriod, monthsEndingWith, periodDays, periodInstants, previousMonth, previousPeriod, resolvePeriod } from '../period.util';
import { daysOfStockLeft, fenToYuan, fenToYuanText, gramsToKg, ratio } from '../units.util';
import { formatKg, formatRate, formatYuan, previousMonthOf } from '../../../../apps/agency/web/src/format';

describe('reporting periods', () => {
  it('reads a month as its China calendar days, leap years included', () => {
    expect(monthPeriod('2020-02')).toEqual({ from: '2020-02-01', to: '2020-02-29' });
    expect(monthPeriod('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(periodInstants(monthPeriod('2020-03'))).toEqual({ start: new Date('2020-02-29T16:00:00Z'), end: new Date('2020-03-31T16:00:00Z') });
  });

  it('compares a period with the same number of days just before it', () => {
    expect(previousPeriod({ from: '2020-03-01', to: '2020-03-31' })).toEqual({ from: '2020-01-30', to: '2020-02-29' });
    expect(periodDays({ from: '2020-03-01', to: '2020-03-31' })).toBe(31);
  });

  it('knows the month before, in China time, whatever the server zone', () => {
    // 00:30 on 1 April in Beijing is still 31 March in UTC: the report due is March's.
    expect(previousMonth(new Date('2020-03-31T16:30:00Z'))).toBe('2020-03');
    expect(previousMonth(new Date('2021-01-01T00:00:00+08:00'))).toBe('2020-12');
    expect(monthsEndingWith('2021-02', 3)).toEqual(['2020-12', '2021-01', '2021-02']);
  });

  it('defaults to the 30 days ending today and names bad dates', () => {
    expect(resolvePeriod(undefined, undefined, '2020-03-31').period).toEqual({ from: '2020-03-02', to: '2020-03-31' });
    expect(resolvePeriod('2020-02-30', undefined).problems).toEqual([{ field: 'from', message: 'must be a date YYYY-MM-DD' }]);
    expect(resolvePeriod('2020-04-01', '2020-03-01').problems[0].field).toBe('from');
  });
});

describe('report units', () => {
  it('turns fen into yuan with two decimals without float error', () => {
    expect(fenToYuanText(41074000)).toBe('410740.00');
    expect(fenToYuanText(49950)).toBe('499.50');
    expect(fenToYuanText(7)).toBe('0.07');
    expect(fenToYuan(245490)).toBe(2454.9);
    expect(gramsToKg(150001)).toBe(150.001);
  });

  it('gives sell-through and days of stock left, or null when they have no meaning', () => {
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(5, 0)).toBeNull();
    expect(daysOfStockLeft(3000, 1000, 10)).toBe(30);
    expect(daysOfStockLeft(0, 1000, 10)).toBe(0);
    expect(daysOfStockLeft(3000, 0, 10)).toBeNull();
  });

  it('formats figures on the web page the same way the browser test expects', () => {
    expect(formatYuan(41074000)).toBe('410,740.00');
    expect(formatKg(12420)).toBe('12,420');
    expect(formatKg(150.001)).toBe('150.001');
    expect(formatRate(0.208)).toBe('20.8%');
    expect(formatRate(null)).toBe('—');
    expect(previousMonthOf('2021-01-15')).toBe('2020-12');
  });
});

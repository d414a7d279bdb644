/**
 * Specification of the world's calendar: holidays and business days per country, pay days moving back over
 * weekends, and the card-spending rhythm of weekends, December and Black Friday.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Calendar, isHoliday, calendarDate } from '../../src/scenario/calendar.js';
import { countryIndex } from '../../src/scenario/geography.js';

const start = Date.UTC(2022, 8, 1); // Thursday 1 September 2022
const cal = new Calendar(start, 130);
const day = (m: number, d: number, y = 2022): number => (Date.UTC(y, m - 1, d) - start) / 86_400_000;
const US = countryIndex('US');
const ES = countryIndex('ES');
const MX = countryIndex('MX');

test('public holidays per country, fixed and movable', () => {
  assert.ok(isHoliday('US', calendarDate(Date.UTC(2022, 10, 24))), 'Thanksgiving');
  assert.ok(isHoliday('US', calendarDate(Date.UTC(2022, 8, 5))), 'Labor Day');
  assert.ok(!isHoliday('US', calendarDate(Date.UTC(2022, 8, 16))));
  assert.ok(isHoliday('MX', calendarDate(Date.UTC(2022, 8, 16))), 'Independence Day');
  assert.ok(isHoliday('MX', calendarDate(Date.UTC(2022, 10, 21))), 'Revolution Day, third Monday of November');
  assert.ok(isHoliday('ES', calendarDate(Date.UTC(2022, 11, 8))));
  assert.ok(!isHoliday('ES', calendarDate(Date.UTC(2022, 10, 24))));
});

test('business days skip weekends and the country\'s holidays; dues move back to the previous business day', () => {
  assert.ok(!cal.isBusinessDay(US, day(9, 3)), 'Saturday');
  assert.ok(!cal.isBusinessDay(US, day(9, 5)), 'Labor Day');
  assert.ok(cal.isBusinessDay(ES, day(9, 5)));
  assert.equal(cal.businessDayOnOrBefore(US, day(10, 15)), day(10, 14), 'the 15th on a Saturday is paid on Friday');
  assert.equal(cal.businessDayOnOrBefore(US, day(9, 5)), day(9, 2), 'Monday holiday back to Friday');
  assert.equal(cal.businessDayOnOrBefore(MX, day(9, 16)), day(9, 15));
  assert.equal(cal.businessDayOnOrAfter(US, day(9, 3)), day(9, 6));
  assert.equal(cal.dayInMonthOf(day(9, 10), 31), day(9, 30), 'day 31 is the last of a 30-day month');
  assert.equal(cal.businessDayOnOrBefore(US, day(8, 28)), day(8, 26), 'also before the first day of the world');
});

test('card spending: weekends above weekdays, Black Friday and Christmas Eve above all, Christmas Day quiet', () => {
  const f = cal.cardFactor[US]!;
  assert.ok(f[day(9, 10)]! > 1.2 * f[day(9, 13)]!, 'Saturday vs Tuesday');
  assert.ok(f[day(11, 25)]! > 1.5 * f[day(11, 18)]!, 'Black Friday vs the Friday before');
  assert.ok(f[day(12, 24)]! > f[day(12, 17)]!);
  assert.ok(f[day(12, 25)]! < f[day(12, 18)]!);
});

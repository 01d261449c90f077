import { expect } from "chai";
import {
  addDays,
  daysWindow,
  isTimeZone,
  localDateOf,
  parseCalendarDate,
  startOfDay,
} from "../../services/meals/domain/calendar.js";
import { DistinctNamePicker, rankOrder, type Candidate } from "../../services/meals/domain/Candidate.js";

const HOUR = 3600000;

describe("meals: domain", () => {
  describe("calendar", () => {
    it("starts days at local midnight", () => {
      expect(startOfDay("2026-07-01", "UTC").toISOString()).to.equal("2026-07-01T00:00:00.000Z");
      expect(startOfDay("2026-07-01", "Asia/Tokyo").toISOString()).to.equal("2026-06-30T15:00:00.000Z");
      expect(startOfDay("2026-07-01", "America/Los_Angeles").toISOString()).to.equal("2026-07-01T07:00:00.000Z");
      expect(startOfDay("2026-07-01", "Asia/Kolkata").toISOString()).to.equal("2026-06-30T18:30:00.000Z");
    });

    it("gives DST days their real length", () => {
      const spring = daysWindow("2026-03-08", "2026-03-08", "America/New_York");
      expect(spring.end.getTime() - spring.start.getTime()).to.equal(23 * HOUR);
      const autumn = daysWindow("2026-10-25", "2026-10-25", "Europe/Paris");
      expect(autumn.end.getTime() - autumn.start.getTime()).to.equal(25 * HOUR);
    });

    it("starts a day whose midnight does not exist at its first real instant", () => {
      // Chile moves clocks from 00:00 to 01:00 on 2026-09-06.
      expect(startOfDay("2026-09-06", "America/Santiago").toISOString()).to.equal("2026-09-06T04:00:00.000Z");
    });

    it("tells the local date of an instant", () => {
      expect(localDateOf(new Date("2026-03-10T15:30:00Z"), "Asia/Tokyo")).to.equal("2026-03-11");
      expect(localDateOf(new Date("2026-03-10T15:30:00Z"), "UTC")).to.equal("2026-03-10");
    });

    it("computes UTC days without Intl exactly as Intl computes them for Etc/UTC", () => {
      // Every 7 hours 13 minutes 17 seconds over four years hits every hour, both sides of midnight, and leap days.
      for (let instant = Date.UTC(2026, 0, 1); instant < Date.UTC(2030, 0, 1); instant += (7 * 3600 + 13 * 60 + 17) * 1000) {
        const date = new Date(instant);
        expect(localDateOf(date, "UTC")).to.equal(localDateOf(date, "Etc/UTC"));
        const day = localDateOf(date, "UTC");
        expect(startOfDay(day, "UTC").getTime()).to.equal(startOfDay(day, "Etc/UTC").getTime());
      }
    });

    it("does calendar arithmetic across months and leap days", () => {
      expect(addDays("2028-02-28", 1)).to.equal("2028-02-29");
      expect(addDays("2026-03-01", -1)).to.equal("2026-02-28");
      expect(addDays("2026-12-31", 1)).to.equal("2027-01-01");
    });

    it("gives the last day of the calendar a window that ends at the last millisecond of the Timestamp range", () => {
      // The day after 9999-12-31 has no YYYY-MM-DD name; computing the window through one answered UNKNOWN.
      const utc = daysWindow("9999-12-31", "9999-12-31", "UTC");
      expect(utc.start.toISOString()).to.equal("9999-12-31T00:00:00.000Z");
      expect(utc.end.toISOString()).to.equal("9999-12-31T23:59:59.999Z");
      // Ahead of UTC the day ends inside the range: its real length.
      const tokyo = daysWindow("9999-12-31", "9999-12-31", "Asia/Tokyo");
      expect(tokyo.start.toISOString()).to.equal("9999-12-30T15:00:00.000Z");
      expect(tokyo.end.getTime() - tokyo.start.getTime()).to.equal(24 * HOUR);
      // Behind UTC it would end past the range, where nothing can have happened: clamped.
      const losAngeles = daysWindow("9999-12-31", "9999-12-31", "America/Los_Angeles");
      expect(losAngeles.start.toISOString()).to.equal("9999-12-31T08:00:00.000Z");
      expect(losAngeles.end.toISOString()).to.equal("9999-12-31T23:59:59.999Z");
    });

    it("computes windows that span the end of the calendar and the first day it accepts", () => {
      const lastWeek = daysWindow("9999-12-25", "9999-12-31", "Pacific/Kiritimati");
      expect(lastWeek.start.toISOString()).to.equal("9999-12-24T10:00:00.000Z");
      expect(lastWeek.end.toISOString()).to.equal("9999-12-31T10:00:00.000Z");
      // The first day parseCalendarDate accepts starts before the epoch east of UTC.
      const first = daysWindow("1970-01-01", "1970-01-01", "Asia/Tokyo");
      expect(first.start.toISOString()).to.equal("1969-12-31T15:00:00.000Z");
      expect(first.end.getTime() - first.start.getTime()).to.equal(24 * HOUR);
    });

    it("accepts only real dates and zones", () => {
      expect(parseCalendarDate("2026-02-29")).to.equal(undefined);
      expect(parseCalendarDate("2028-02-29")).to.deep.equal({ year: 2028, month: 2, day: 29 });
      expect(parseCalendarDate("2026-1-1")).to.equal(undefined);
      expect(parseCalendarDate("1969-12-31")).to.equal(undefined);
      expect(isTimeZone("Europe/Paris")).to.equal(true);
      expect(isTimeZone("Europe/Atlantis")).to.equal(false);
    });
  });

  describe("ranking", () => {
    const candidate = (mealId: string, name: string, score: number, calories: number): Candidate => ({
      mealId,
      customerId: "c",
      name,
      calories,
      rating: score,
      cuisine: "",
      eatenTime: new Date(0),
      score,
    });

    it("orders by score, then calories, then newer meal_id (numerically)", () => {
      const sorted = [
        candidate("9", "a", 4, 500),
        candidate("10", "b", 4, 500),
        candidate("2", "c", 5, 100),
        candidate("3", "d", 4, 600),
      ].sort(rankOrder);
      expect(sorted.map((c) => c.mealId)).to.deep.equal(["2", "3", "10", "9"]);
    });

    it("keeps the first of each name, ignoring case and surrounding spaces, up to the limit", () => {
      const picker = new DistinctNamePicker(2);
      for (const c of [
        candidate("1", "Pad Thai", 5, 1),
        candidate("2", " pad thai", 5, 1),
        candidate("3", "Pho", 4, 1),
        candidate("4", "Soup", 3, 1),
      ]) {
        picker.offer(c);
      }
      expect(picker.picks.map((c) => c.mealId)).to.deep.equal(["1", "3"]);
      expect(picker.full).to.equal(true);
    });
  });
});

import { expect } from "chai";
import { daysWindow } from "../../services/meals/domain/calendar.js";
import { calendarDays, dailySeries, type EatenMeal } from "../../services/meals/domain/dailySeries.js";
import { goalOfDay, GoalTimeline, type GoalRevision } from "../../services/meals/domain/goalOfDay.js";

const HOUR = 3600000;

const set = (version: number, at: string, dailyCalories: number): GoalRevision => ({
  version: String(version),
  revisionTime: new Date(at),
  dailyCalories,
  deleted: false,
});
const deleted = (version: number, at: string): GoalRevision => ({ ...set(version, at, 0), deleted: true });
const meal = (at: string, calories: number): EatenMeal => ({ eatenTime: new Date(at), calories });

/** Each day as date: version/calories/remaining, or date: none. */
const judged = (series: ReturnType<typeof dailySeries>) =>
  series.days.map((day) =>
    day.goal ? `${day.date}: v${day.goal.version}/${day.goal.dailyCalories}/${day.remainingCalories}` : `${day.date}: none`,
  );

/** The goal of `date` in `timeZone`, once that day is long over. */
function goalOn(revisions: GoalRevision[], date: string, timeZone: string) {
  const later = new Date("2030-01-01T00:00:00Z");
  return goalOfDay(GoalTimeline.of(revisions), daysWindow(date, date, timeZone), later)?.version;
}

describe("meals: the goal of a day", () => {
  // Monday 2026-11-16 to Sunday 2026-11-22, in Berlin (UTC+1).
  const week = calendarDays("2026-11-16", "2026-11-22", "Europe/Berlin");
  const sundayAfternoon = new Date("2026-11-22T14:00:00+01:00");

  it("judges each day of a week by its own goal when the goal is lowered on Wednesday", () => {
    // Newest first, as ListGoalRevisions returns them: the revision in force at the
    // window's start, then the one written inside it.
    const revisions = [set(2, "2026-11-18T10:00:00+01:00", 1800), set(1, "2026-11-02T09:00:00+01:00", 2400)];
    const meals = [
      meal("2026-11-16T20:00:00+01:00", 2300),
      meal("2026-11-17T13:00:00+01:00", 1300),
      meal("2026-11-17T19:00:00+01:00", 1300),
      // Eaten before the change, but Wednesday ended under 1800.
      meal("2026-11-18T08:00:00+01:00", 2000),
      meal("2026-11-19T12:00:00+01:00", 1700),
      meal("2026-11-21T23:59:59.999+01:00", 1900),
      meal("2026-11-22T00:00:00+01:00", 500),
    ];
    const series = dailySeries(week, meals, GoalTimeline.of(revisions), sundayAfternoon);
    expect(judged(series)).to.deep.equal([
      "2026-11-16: v1/2400/100",
      "2026-11-17: v1/2400/-200",
      "2026-11-18: v2/1800/-200",
      "2026-11-19: v2/1800/100",
      "2026-11-20: v2/1800/1800",
      "2026-11-21: v2/1800/-100",
      "2026-11-22: v2/1800/1300",
    ]);
    expect(series.days.map((day) => day.mealCount)).to.deep.equal([1, 2, 1, 1, 0, 1, 1]);
    expect(series).to.include({ daysWithinGoal: 4, daysOverGoal: 3, daysWithoutGoal: 0, anyGoalInForce: true });
  });

  it("leaves the days at whose end the goal was deleted without a goal, until it is created again", () => {
    const revisions = [
      set(3, "2026-11-19T08:00:00+01:00", 1500),
      deleted(2, "2026-11-17T12:00:00+01:00"),
      set(1, "2026-11-01T09:00:00+01:00", 2000),
    ];
    const series = dailySeries(week, [meal("2026-11-17T09:00:00+01:00", 900)], GoalTimeline.of(revisions), sundayAfternoon);
    expect(judged(series)).to.deep.equal([
      "2026-11-16: v1/2000/2000",
      "2026-11-17: none",
      "2026-11-18: none",
      "2026-11-19: v3/1500/1500",
      "2026-11-20: v3/1500/1500",
      "2026-11-21: v3/1500/1500",
      "2026-11-22: v3/1500/1500",
    ]);
    expect(series.days[1]).to.include({ consumedCalories: 900, mealCount: 1, remainingCalories: undefined });
    expect(series).to.include({ daysWithinGoal: 5, daysOverGoal: 0, daysWithoutGoal: 2, anyGoalInForce: true });
  });

  it("judges a day by the goal created again before its end, and today by a goal deleted today as none", () => {
    const sameDay = [
      set(3, "2026-11-17T20:00:00+01:00", 1500),
      deleted(2, "2026-11-17T12:00:00+01:00"),
      set(1, "2026-11-01", 2000),
    ];
    expect(goalOn(sameDay, "2026-11-17", "Europe/Berlin")).to.equal("3");

    const deletedToday = [deleted(2, "2026-11-22T09:00:00+01:00"), set(1, "2026-11-01", 2000)];
    const series = dailySeries(week, [], GoalTimeline.of(deletedToday), sundayAfternoon);
    expect(judged(series).slice(-2)).to.deep.equal(["2026-11-21: v1/2000/2000", "2026-11-22: none"]);
  });

  it("judges today by the current goal, even one a goals replica stamped after the day ends", () => {
    // The goals replica's clock runs half a second ahead of this one.
    const lateEvening = new Date("2026-11-22T23:59:59.900+01:00");
    const revisions = [set(2, "2026-11-23T00:00:00.400+01:00", 1800), set(1, "2026-11-01", 2400)];
    const today = week.at(-1)!;
    expect(goalOfDay(GoalTimeline.of(revisions), today, lateEvening)?.version).to.equal("2");
    // Once the day is over, it is the goal in force at its last instant.
    expect(goalOfDay(GoalTimeline.of(revisions), today, new Date("2026-11-23T12:00:00+01:00"))?.version).to.equal("1");
  });

  describe("where the day boundary crosses a goal change", () => {
    const lowered = (at: string) => [set(2, at, 1800), set(1, "2026-03-01T00:00:00Z", 2400)];

    it("places a change at a day's last millisecond in that day, and one at the next midnight in the next day", () => {
      expect(goalOn(lowered("2026-03-10T23:59:59.999+09:00"), "2026-03-10", "Asia/Tokyo")).to.equal("2");
      expect(goalOn(lowered("2026-03-11T00:00:00.000+09:00"), "2026-03-10", "Asia/Tokyo")).to.equal("1");
      expect(goalOn(lowered("2026-03-11T00:00:00.000+09:00"), "2026-03-11", "Asia/Tokyo")).to.equal("2");
    });

    it("judges the same instant's change on different days in different zones", () => {
      // 2026-03-10 20:00 UTC is already the 11th in Tokyo, still the 10th in Los Angeles.
      const change = lowered("2026-03-10T20:00:00Z");
      expect(goalOn(change, "2026-03-10", "UTC")).to.equal("2");
      expect(goalOn(change, "2026-03-10", "Asia/Tokyo")).to.equal("1");
      expect(goalOn(change, "2026-03-11", "Asia/Tokyo")).to.equal("2");
      expect(goalOn(change, "2026-03-09", "America/Los_Angeles")).to.equal("1");
      expect(goalOn(change, "2026-03-10", "America/Los_Angeles")).to.equal("2");
    });

    it("ends a spring-forward day after 23 hours: a change at 00:30 the next day is not the short day's", () => {
      // Paris moves from 02:00 to 03:00 on 2026-03-29: that day runs from 23:00Z to 22:00Z.
      const change = lowered("2026-03-29T22:30:00Z");
      expect(goalOn(change, "2026-03-29", "Europe/Paris")).to.equal("1");
      expect(goalOn(change, "2026-03-30", "Europe/Paris")).to.equal("2");
      expect(goalOn(change, "2026-03-29", "UTC")).to.equal("2");
      expect(goalOn(lowered("2026-03-29T21:59:59.999Z"), "2026-03-29", "Europe/Paris")).to.equal("2");
    });

    it("ends a fall-back day after 25 hours: a change at 23:30 belongs to it", () => {
      // New York moves from 02:00 back to 01:00 on 2026-11-01: that day runs from 04:00Z to 05:00Z the next day.
      const change = lowered("2026-11-02T04:30:00Z");
      expect(goalOn(change, "2026-11-01", "America/New_York")).to.equal("2");
      expect(goalOn(change, "2026-10-31", "America/New_York")).to.equal("1");
    });

    it("counts a DST day's meals and goal in the same local day", () => {
      const days = calendarDays("2026-03-28", "2026-03-30", "Europe/Paris");
      expect(days.map((day) => (day.end.getTime() - day.start.getTime()) / HOUR)).to.deep.equal([24, 23, 24]);
      const meals = [
        meal("2026-03-29T21:59:59.999Z", 1000),
        meal("2026-03-29T22:00:00Z", 1000),
        meal("2026-03-28T22:59:59.999Z", 1),
      ];
      const series = dailySeries(days, meals, GoalTimeline.of(lowered("2026-03-29T21:30:00Z")), new Date("2026-03-30T12:00:00Z"));
      expect(judged(series)).to.deep.equal(["2026-03-28: v1/2400/2399", "2026-03-29: v2/1800/800", "2026-03-30: v2/1800/800"]);
    });
  });

  describe("with no goal", () => {
    it("has every day without a goal and nothing in force when the customer never had one", () => {
      const series = dailySeries(week, [meal("2026-11-18T12:00:00+01:00", 700)], GoalTimeline.of([]), sundayAfternoon);
      expect(series).to.include({ daysWithinGoal: 0, daysOverGoal: 0, daysWithoutGoal: 7, anyGoalInForce: false });
      expect(series.days[2]).to.include({ consumedCalories: 700, mealCount: 1, goal: undefined, remainingCalories: undefined });
    });

    it("has nothing in force when the goal was deleted before the window", () => {
      const revisions = [deleted(2, "2026-11-10T12:00:00+01:00")];
      expect(dailySeries(week, [], GoalTimeline.of(revisions), sundayAfternoon)).to.include({
        daysWithoutGoal: 7,
        anyGoalInForce: false,
      });
    });

    it("tells a goal in force for part of one day only, though no day ends under it", () => {
      const revisions = [deleted(2, "2026-11-17T15:00:00+01:00"), set(1, "2026-11-17T10:00:00+01:00", 2000)];
      expect(dailySeries(week, [], GoalTimeline.of(revisions), sundayAfternoon)).to.include({
        daysWithoutGoal: 7,
        anyGoalInForce: true,
      });
    });
  });

  describe("the timeline", () => {
    it("puts a revision in force from its own millisecond on", () => {
      const timeline = GoalTimeline.of([set(1, "2026-11-01T10:00:00Z", 2000), set(2, "2026-11-05T10:00:00Z", 1800)]);
      expect(timeline.at(new Date("2026-11-01T09:59:59.999Z"))).to.equal(undefined);
      expect(timeline.at(new Date("2026-11-01T10:00:00Z"))).to.deep.equal({ version: "1", dailyCalories: 2000 });
      expect(timeline.at(new Date("2026-11-05T09:59:59.999Z"))?.version).to.equal("1");
      expect(timeline.at(new Date("2026-11-05T10:00:00Z"))?.version).to.equal("2");
      expect(timeline.current?.version).to.equal("2");
    });

    it("of versions stamped in the same millisecond, keeps the higher", () => {
      const timeline = GoalTimeline.of([set(9, "2026-11-01T10:00:00Z", 1900), set(10, "2026-11-01T10:00:00Z", 2000)]);
      expect(timeline.at(new Date("2026-11-01T10:00:00Z"))?.version).to.equal("10");
      expect(timeline.current?.version).to.equal("10");
    });

    it("never brings back a version stamped earlier than the one before it by another replica's clock", () => {
      const timeline = GoalTimeline.of([set(10, "2026-11-01T10:00:00.500Z", 1000), set(11, "2026-11-01T10:00:00.200Z", 1100)]);
      expect(timeline.at(new Date("2026-11-01T10:00:00.300Z"))?.version).to.equal("11");
      expect(timeline.at(new Date("2026-11-01T10:00:00.600Z"))?.version).to.equal("11");
      const beforeBoth = { start: new Date("2026-11-01T10:00:00.100Z"), end: new Date("2026-11-01T10:00:00.150Z") };
      expect(timeline.anyInForceDuring(beforeBoth)).to.equal(false);
    });

    it("compares versions as numbers, not as text", () => {
      expect(
        GoalTimeline.of([set(9, "2026-11-01T10:00:00Z", 900), set(10, "2026-11-01T10:00:00Z", 1000)]).current?.version,
      ).to.equal("10");
    });
  });
});

import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { checkHistory } from "../../tools/verify/checkHistory.js";
import { formatReport } from "../../tools/verify/formatReport.js";
import { IntervalIndex } from "../../tools/verify/IntervalIndex.js";
import { parseVerifyArgs, UsageError } from "../../tools/verify/parseVerifyArgs.js";
import { reachableTotals } from "../../tools/verify/reachableTotals.js";
import { SeededRandom } from "../../tools/verify/SeededRandom.js";
import { DEFAULT_SETTINGS } from "../../tools/verify/VerifySettings.js";
import { HistoryBuilder, withSettledGoal } from "./historyBuilder.js";

describe("verify: the tool around the checker", () => {
  describe("SeededRandom", () => {
    it("repeats its choices for a seed and differs between seeds and clients", () => {
      const draw = (seed: number) => {
        const random = new SeededRandom(seed);
        return Array.from({ length: 8 }, () => random.integer(1, 1000));
      };
      expect(draw(42)).to.deep.equal(draw(42));
      expect(draw(42)).not.to.deep.equal(draw(43));
      expect(SeededRandom.derive(42, 0)).not.to.equal(SeededRandom.derive(42, 1));
    });

    it("stays within bounds and follows the weights", () => {
      const random = new SeededRandom(7);
      const values = Array.from({ length: 2000 }, () => random.integer(3, 5));
      expect(new Set(values)).to.deep.equal(new Set([3, 4, 5]));
      const picks = Array.from({ length: 4000 }, () =>
        random.weighted([
          ["rare", 1],
          ["common", 3],
        ] as const),
      );
      const common = picks.filter((pick) => pick === "common").length / picks.length;
      expect(common).to.be.within(0.7, 0.8);
    });
  });

  describe("parseVerifyArgs", () => {
    it("uses the defaults and a random seed when given nothing", () => {
      expect(parseVerifyArgs([], () => 99)).to.deep.equal({
        help: false,
        settings: { ...DEFAULT_SETTINGS, seed: 99, goalsAddresses: undefined, mealsAddresses: undefined },
        saveHistoryTo: undefined,
      });
    });

    it("reads durations, counts and a deployment's addresses, as --name=value or --name value", () => {
      const command = parseVerifyArgs(
        [
          "--duration=5m",
          "--clients",
          "32",
          "--customers=20",
          "--hot-customers=3",
          "--seed=7",
          "--goals=a:1,b:2",
          "--meals",
          "c:3,[::1]:4",
        ],
        () => 0,
      );
      expect(command.help).to.equal(false);
      if (command.help) return;
      expect(command.settings).to.include({ durationMs: 300_000, clients: 32, customers: 20, hotCustomers: 3, seed: 7 });
      expect(command.settings.goalsAddresses).to.deep.equal(["a:1", "b:2"]);
      expect(command.settings.mealsAddresses).to.deep.equal(["c:3", "[::1]:4"]);
    });

    it("refuses what it cannot run, naming the option", () => {
      const cases: [string[], string][] = [
        [["--duration=soon"], "--duration"],
        [["--clients=0"], "--clients"],
        [["--hot-customers=9"], "--hot-customers=9 is more than --customers=8"],
        [["--goals=a:1"], "--goals and --meals go together"],
        [["--meals=nohost"], "--meals=nohost"],
        [["--color"], "unknown argument --color"],
        [["--seed"], "--seed needs a value"],
      ];
      for (const [argv, message] of cases) expect(() => parseVerifyArgs(argv), argv.join(" ")).to.throw(UsageError, message);
    });

    it("recognizes --help", () => {
      expect(parseVerifyArgs(["--clients=3", "--help"])).to.deep.equal({ help: true });
    });
  });

  it("reachableTotals adds one choice per meal and gives up past its bound", () => {
    const absentOr = (calories: number) => [
      { meals: 0 as const, calories: 0 },
      { meals: 1 as const, calories },
    ];
    const totals = reachableTotals([[{ meals: 1, calories: 300 }], absentOr(200), absentOr(500)]);
    expect(totals?.map(({ meals, calories }) => `${meals}:${calories}`).sort()).to.deep.equal([
      "1:300",
      "2:500",
      "2:800",
      "3:1000",
    ]);
    expect(reachableTotals([absentOr(1), absentOr(2), absentOr(4)], 7)).to.equal(undefined);
  });

  it("IntervalIndex returns every span that overlaps a window", () => {
    const index = new IntervalIndex<string>(10);
    index.add("early", 0, 5);
    index.add("long", 3, 95);
    index.add("late", 80, 90);
    expect(index.overlapping(40, 45)).to.deep.equal(["long"]);
    expect(index.overlapping(4, 12).sort()).to.deep.equal(["early", "long"]);
  });

  it("formatReport prints one row per anomaly checked and spells out the first violating calls", () => {
    const builder = withSettledGoal(new HistoryBuilder(), 2000);
    builder.ok(
      "RecommendMeals",
      [1000, 1013],
      { maxResults: 5 },
      {
        goalVersion: 1,
        dailyCalories: 2000,
        consumedCalories: 0,
        remainingCalories: 2000,
        recommendations: [{ mealId: "9", name: "Ramen", calories: 2100 }],
      },
    );
    builder.error("GetDailySummary", [2000, 2001], { day: "2025-03-10" }, status.INTERNAL);
    const history = builder.build();
    const report = formatReport({
      settings: { ...DEFAULT_SETTINGS, seed: 5 },
      goalsAddresses: ["g:1"],
      mealsAddresses: ["m:1"],
      workloadMs: 20_000,
      history,
      results: checkHistory(history),
      loggedErrors: [],
    });
    const lines = report.split("\n");
    expect(lines[0]).to.equal("Verified 3 calls from 24 clients over 20.0 s, 8 customers (2 hot), seed 5");
    expect(lines.find((line) => line.startsWith("1  Over the goal"))).to.match(/1, 2\s+1\s+0\s+0\s+1$/);
    expect(lines.find((line) => line.startsWith("5  Error the contract"))).to.match(/-\s+3\s+-\s+0\s+1$/);
    expect(report).to.contain(
      "#2 RecommendMeals customer alice by client 0 via test:1, 1.000 s -> 1.013 s: max_results=5 => OK goal_version=1 daily_calories=2000 " +
        'consumed_calories=0 remaining_calories=2000 recommendations=[meal 9 "Ramen" 2100 kcal]',
    );
    expect(lines.at(-1)).to.equal("FAIL: 2 violation(s) in 3 calls");
  });
});

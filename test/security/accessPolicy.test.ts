import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../shared/config/ConfigError.js";
import { parseAccessPolicy, readAccessPolicy, type AccessPolicy } from "../../shared/security/accessPolicy.js";

const EXAMPLE_POLICY = fileURLToPath(new URL("../../../deploy/policy.example.yaml", import.meta.url));

const MEALS = "spiffe://mealplan.example/meals";
const REPORTING = "spiffe://mealplan.example/reporting";
const ADMIN = "spiffe://mealplan.example/admin";
const GOALS = "/mealplan.goals.v1.GoalsService";
const MEALS_SERVICE = "/mealplan.meals.v1.MealsService";

describe("security: access policy", () => {
  describe("the example policy", () => {
    let policy: AccessPolicy;
    const allowed = (identity: string | undefined, method: string) => policy.authorize(identity, method).allowed;

    before(() => {
      policy = readAccessPolicy({ AUTHZ_POLICY: EXAMPLE_POLICY })!;
    });

    it("lets the meals service read goals and nothing else", () => {
      expect(allowed(MEALS, `${GOALS}/GetGoal`)).to.equal(true);
      for (const method of [
        `${GOALS}/UpdateGoal`,
        `${GOALS}/ListGoalRevisions`,
        `${GOALS}/DeleteGoal`,
        `${MEALS_SERVICE}/GetMeal`,
      ]) {
        expect(policy.authorize(MEALS, method), method).to.deep.equal({
          allowed: false,
          code: "PERMISSION_DENIED",
          reason: `caller "${MEALS}" may not call ${method.slice(1)}`,
        });
      }
    });

    it("lets reporting read both services and write neither", () => {
      for (const method of [
        `${GOALS}/GetGoal`,
        `${GOALS}/ListGoalRevisions`,
        `${MEALS_SERVICE}/GetDailySummary`,
        `${MEALS_SERVICE}/ListMeals`,
      ]) {
        expect(allowed(REPORTING, method), method).to.equal(true);
      }
      for (const method of [
        `${GOALS}/CreateGoal`,
        `${GOALS}/DeleteGoal`,
        `${MEALS_SERVICE}/UpdateMeal`,
        `${MEALS_SERVICE}/CreateMeal`,
      ]) {
        expect(policy.authorize(REPORTING, method), method).to.include({ allowed: false, code: "PERMISSION_DENIED" });
      }
    });

    it("lets the admin call anything", () => {
      for (const method of [`${GOALS}/DeleteGoal`, `${MEALS_SERVICE}/UpdateMeal`, "/some.Other/Thing"]) {
        expect(allowed(ADMIN, method), method).to.equal(true);
      }
    });

    it("does not know callers it does not list, nor calls without an identity", () => {
      expect(policy.authorize("spiffe://mealplan.example/unknown-caller", `${GOALS}/GetGoal`)).to.deep.equal({
        allowed: false,
        code: "UNAUTHENTICATED",
        reason: 'caller "spiffe://mealplan.example/unknown-caller" is not in the access policy',
      });
      expect(policy.authorize(undefined, `${GOALS}/GetGoal`)).to.include({ allowed: false, code: "UNAUTHENTICATED" });
      expect(policy.authorize("meals", `${GOALS}/GetGoal`), "a CN is not a SPIFFE ID").to.include({ code: "UNAUTHENTICATED" });
    });

    it("leaves health checking and reflection open to everyone", () => {
      for (const method of [
        "/grpc.health.v1.Health/Check",
        "/grpc.health.v1.Health/Watch",
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      ]) {
        expect(allowed(undefined, method), method).to.equal(true);
        expect(allowed("spiffe://mealplan.example/unknown-caller", method), method).to.equal(true);
      }
    });

    it("takes method paths with or without the leading slash", () => {
      expect(allowed(MEALS, "mealplan.goals.v1.GoalsService/GetGoal")).to.equal(true);
    });
  });

  it("matches each kind of pattern exactly", () => {
    const policy = parseAccessPolicy(
      JSON.stringify({
        callers: [
          { identity: "service-wide", allow: ["a.b.Service/*"] },
          { identity: "prefix", allow: ["a.b.Service/Get*"] },
          { identity: "exact", allow: ["a.b.Service/Get"] },
          { identity: "nothing", allow: [] },
        ],
      }),
      "test",
    );
    const cases: [string, string, boolean][] = [
      ["service-wide", "/a.b.Service/Anything", true],
      ["service-wide", "/a.b.ServiceX/Anything", false],
      ["service-wide", "/b.Service/Anything", false],
      ["prefix", "/a.b.Service/GetGoal", true],
      ["prefix", "/a.b.Service/Get", true],
      ["prefix", "/a.b.Service/ForgetGoal", false],
      ["exact", "/a.b.Service/Get", true],
      ["exact", "/a.b.Service/GetGoal", false],
      ["nothing", "/a.b.Service/Get", false],
    ];
    for (const [identity, method, expected] of cases) {
      expect(policy.authorize(identity, method).allowed, `${identity} ${method}`).to.equal(expected);
    }
  });

  describe("checked at load", () => {
    const cases: [string, string, string][] = [
      ["a document that is not a mapping", "- just a list", "must be a mapping"],
      ["YAML that does not parse", "callers: [", "not valid YAML or JSON"],
      ["an unknown top-level key", "callers: []\nroles: []", 'unknown key "roles"'],
      ["callers that are not a list", "callers: {}", "callers must be a list"],
      ["an unknown key in a caller", "callers:\n  - identity: a\n    allow: []\n    deny: []", 'callers[0]: unknown key "deny"'],
      ["an empty identity", 'callers:\n  - identity: ""\n    allow: []', "callers[0].identity: must be a non-empty string"],
      ["a blank identity", 'callers:\n  - identity: "  "\n    allow: []', "callers[0].identity: must be a non-empty string"],
      ["a missing identity", "callers:\n  - allow: []", "callers[0].identity"],
      [
        "an identity listed twice",
        "callers:\n  - {identity: a, allow: []}\n  - {identity: a, allow: []}",
        'callers[1].identity: "a" is listed twice',
      ],
      ["a missing allow list", "callers:\n  - identity: a", "callers[0].allow: must be a list"],
      [
        "a method without its service",
        "callers:\n  - {identity: a, allow: [GetGoal]}",
        'callers[0].allow[0]: "GetGoal" is not a method pattern',
      ],
      ["a leading slash", "callers:\n  - {identity: a, allow: [/a.S/M]}", "callers[0].allow[0]"],
      ["a wildcard inside a name", "callers:\n  - {identity: a, allow: [a.S/G*t]}", "callers[0].allow[0]"],
      ["a wildcard service", "callers:\n  - {identity: a, allow: ['*/GetGoal']}", "callers[0].allow[0]"],
      [
        "a pattern that is not a string",
        "callers:\n  - {identity: a, allow: [3]}",
        "callers[0].allow[0]: 3 is not a method pattern",
      ],
    ];
    for (const [description, text, problem] of cases) {
      it(`refuses ${description}`, () => {
        expect(() => parseAccessPolicy(text, "policy.yaml"))
          .to.throw(ConfigError, problem)
          .with.property("variable", "AUTHZ_POLICY");
      });
    }

    it("names the file it cannot read, and reads none when AUTHZ_POLICY is unset", async () => {
      expect(readAccessPolicy({})).to.equal(undefined);
      const missing = join(tmpdir(), "mealplan-no-such-policy.yaml");
      expect(() => readAccessPolicy({ AUTHZ_POLICY: missing })).to.throw(
        ConfigError,
        `AUTHZ_POLICY: cannot read "${missing}" (ENOENT)`,
      );
      const broken = join(tmpdir(), `mealplan-policy-${process.pid}.yaml`);
      await writeFile(broken, (await readFile(EXAMPLE_POLICY, "utf8")).replace("\n    allow:", "\n    allowed:"));
      expect(() => readAccessPolicy({ AUTHZ_POLICY: broken })).to.throw(
        ConfigError,
        `"${broken}": callers[0]: unknown key "allowed"`,
      );
    });
  });
});

import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { failureOf } from "./statusDetails.js";

/** A bad request: what is wrong with it, how to send it, and the field the error must name. */
export type BadInputCase<Fixture> = [description: string, call: (fixture: Fixture) => Promise<unknown>, field: string];

/** One test per case: INVALID_ARGUMENT, an ErrorInfo of the service's domain, a BadRequest naming the field. */
export function itRefusesEach<Fixture>(cases: BadInputCase<Fixture>[], fixture: () => Fixture, domain: string): void {
  for (const [description, call, field] of cases) {
    it(`refuses ${description} with INVALID_ARGUMENT naming ${field}`, async () => {
      const failure = await failureOf(call(fixture()));
      expect(failure.code).to.equal(status.INVALID_ARGUMENT);
      expect({ reason: failure.reason, domain: failure.domain }).to.deep.equal({ reason: "INVALID_ARGUMENT", domain });
      expect(failure.fieldViolations.map((violation) => violation.field)).to.include(field);
      expect(failure.message).to.contain(field);
    });
  }
}

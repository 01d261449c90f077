import { expect } from "chai";
import { etagOf, versionFromEtag, checkCustomerId, checkRequestId, checkText } from "../../shared/api/fieldRules.js";
import { decodePageToken, encodePageToken, readPageSize } from "../../shared/api/pagination.js";
import { resolveUpdateMask } from "../../shared/api/updateMask.js";
import { DomainError } from "../../shared/errors/DomainError.js";

function thrown(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

describe("shared: API helpers", () => {
  it("round-trips etags and refuses ones it did not issue", () => {
    expect(versionFromEtag(etagOf("42"), "etag")).to.equal("42");
    expect(versionFromEtag("", "etag")).to.equal(undefined);
    for (const bad of ["42", "v0", "v-1", "v1.5", "v01", 'W/"v1"', "v12345678901234567890"]) {
      const error = thrown(() => versionFromEtag(bad, "goal.etag"));
      expect(error.kind, bad).to.equal("INVALID_ARGUMENT");
      expect(error.details.fieldViolations?.[0].field).to.equal("goal.etag");
    }
  });

  it("reads page sizes the AIP-158 way", () => {
    expect(readPageSize(0)).to.equal(50);
    expect(readPageSize(7)).to.equal(7);
    expect(readPageSize(100000)).to.equal(1000);
    expect(thrown(() => readPageSize(-1)).kind).to.equal("INVALID_ARGUMENT");
  });

  it("decodes its own page tokens only for the request they were made for", () => {
    const isNumber = (value: unknown): value is number => typeof value === "number";
    const token = encodePageToken(17, "ann");
    expect(token).to.match(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, "ann", isNumber)).to.equal(17);
    expect(decodePageToken("", "ann", isNumber)).to.equal(undefined);
    expect(thrown(() => decodePageToken(token, "bob", isNumber)).details.fieldViolations?.[0].field).to.equal("page_token");
    expect(thrown(() => decodePageToken("%%%", "ann", isNumber)).kind).to.equal("INVALID_ARGUMENT");
    expect(thrown(() => decodePageToken(encodePageToken("x", "ann"), "ann", isNumber)).kind).to.equal("INVALID_ARGUMENT");
  });

  it("resolves update masks", () => {
    const fields = ["a", "b", "c"] as const;
    const populated = (field: string) => field !== "b";
    expect(resolveUpdateMask(undefined, fields, populated)).to.deep.equal(["a", "c"]);
    expect(resolveUpdateMask(["*"], fields, populated)).to.deep.equal(["a", "b", "c"]);
    expect(resolveUpdateMask(["b", "b"], fields, populated)).to.deep.equal(["b"]);
    expect(resolveUpdateMask([], fields, populated)).to.deep.equal([]);
    expect(thrown(() => resolveUpdateMask(["d"], fields, populated)).details.fieldViolations?.[0].field).to.equal("update_mask");
  });

  it("checks ids and text lengths in characters, not bytes", () => {
    expect(checkCustomerId("A-z_0.9")).to.deep.equal([]);
    expect(checkCustomerId("ü")).to.have.length(1);
    expect(checkRequestId("")).to.deep.equal([]);
    expect(checkRequestId("123e4567-e89b-12d3-a456-426614174000")).to.deep.equal([]);
    expect(checkText("é".repeat(5), { min: 1, max: 5 }, "name")).to.deep.equal([]);
    expect(checkText("", { min: 1, max: 5 }, "name")[0].description).to.equal("is required");
    expect(checkText("é".repeat(6), { min: 1, max: 5 }, "name")[0].description).to.equal("must be at most 5 characters");
    expect(checkText("x".repeat(1_000_000), { min: 1, max: 5 }, "name")[0].description).to.equal("must be at most 5 characters");
    for (const invisible of [" ", "\u0000", "\u200b", "\u200e \u200f", "\ufeff"]) {
      expect(checkText(invisible, { min: 1, max: 5 }, "name"), JSON.stringify(invisible)).to.have.length(1);
    }
    expect(checkText("a\u0000b", { min: 1, max: 5 }, "name")[0].description).to.equal("must not contain control characters");
    expect(checkText("a\nb", { min: 0, max: 5 }, "cuisine")[0].description).to.equal("must not contain control characters");
    expect(checkText("a\nb", { min: 0, max: 5, multiline: true }, "description")).to.deep.equal([]);
  });
});

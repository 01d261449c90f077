import type { ResultSetHeader } from "mysql2";
import { expect } from "chai";
import { createConnection } from "mysql2/promise";
import type { Database } from "../../shared/database/Database.js";
import { statement } from "../../shared/database/Transaction.js";
import { dropDatabase, mysqlServer, openScratchDatabase, throwawayDatabaseName } from "../harness/testDatabase.js";

/**
 * The pool lets several statements share a round trip (Transaction.send), so
 * it allows multi-statement texts. What keeps that safe and the transactions
 * whole: a text must be one statement, values only ever go through
 * placeholders, and a batch stops at its first failure, before COMMIT.
 */
describe("database: statements sent together", () => {
  const databaseName = throwawayDatabaseName("batches");
  let database: Database;
  const scope = () => new AbortController().signal;
  const names = async () =>
    (await database.query<{ name: string }[]>("SELECT name FROM items ORDER BY id")).map((row) => row.name);
  const insert = (id: number, name: string) =>
    statement<ResultSetHeader>("INSERT INTO items (id, name) VALUES (?, ?)", [id, name]);

  before(async () => {
    database = await openScratchDatabase(databaseName);
    await database.query("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
  });
  beforeEach(() => database.query("DELETE FROM items"));
  after(async () => {
    await database.close();
    await dropDatabase(databaseName);
  });

  it("refuses a text of two statements, before anything is sent", async () => {
    const error = await database.query("SELECT 1; DELETE FROM items").then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(String(error)).to.contain("one statement");
    const inTransaction = await database
      .transaction((transaction) => transaction.query("INSERT INTO items VALUES (1, 'a'); DROP TABLE items"), scope())
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(String(inTransaction)).to.contain("one statement");
    expect(await names()).to.deep.equal([]);
  });

  it("control: a connection allowing several statements, as the pools do, runs a stacked text", async () => {
    const connection = await createConnection({ ...mysqlServer, database: databaseName, multipleStatements: true });
    try {
      await connection.query("INSERT INTO items VALUES (1, 'first'); INSERT INTO items VALUES (2, 'stacked')");
    } finally {
      await connection.end();
    }
    expect(await names()).to.deep.equal(["first", "stacked"]);
  });

  it("carries a value with quotes and semicolons through its placeholder as data", async () => {
    const hostile = "x'); DELETE FROM items; -- ;";
    await database.transaction((transaction) => transaction.sendAndCommit(insert(1, "kept"), insert(2, hostile)), scope());
    expect(await names()).to.deep.equal(["kept", hostile]);
  });

  it("sends START TRANSACTION, the statements and COMMIT in one round trip, results in order", async () => {
    const before = database.roundTrips;
    const [first, second, [row]] = await database.transaction(
      (transaction) =>
        transaction.sendAndCommit(insert(1, "a"), insert(2, "b"), statement<{ n: number }[]>("SELECT COUNT(*) AS n FROM items")),
      scope(),
    );
    expect(database.roundTrips - before).to.equal(1);
    expect([first.affectedRows, second.affectedRows, Number(row.n)]).to.deep.equal([1, 1, 2]);
  });

  it("stops a batch at its first failure, before COMMIT, and rolls the transaction back", async () => {
    const failure = await database
      .transaction((transaction) => transaction.sendAndCommit(insert(1, "a"), insert(1, "duplicate"), insert(2, "b")), scope())
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect((failure as { errno?: number }).errno).to.equal(1062);
    expect(await names()).to.deep.equal([]);
  });

  it("refuses to send anything after the batch that committed", async () => {
    const failure = await database
      .transaction(async (transaction) => {
        await transaction.sendAndCommit(insert(1, "a"));
        await transaction.send(insert(2, "b"));
      }, scope())
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(String(failure)).to.contain("has committed");
    expect(await names()).to.deep.equal(["a"]);
  });
});

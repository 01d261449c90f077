import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { seedFuzzWorld, type FuzzWorld } from "./fuzzWorld.js";
import { RawClient } from "./rawClient.js";

/** What the fuzz suites send to: both services, the seeded world, and a raw client to each service. */
export interface FuzzTarget {
  fixture: MealplanFixture;
  world: FuzzWorld;
  clients: { goals: RawClient; meals: RawClient };
  stop(): Promise<void>;
}

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const fixture = await startMealplanFixture();
  const world = await seedFuzzWorld(fixture);
  const clients = { goals: new RawClient(fixture.address), meals: new RawClient(fixture.mealsAddress) };
  return {
    fixture,
    world,
    clients,
    stop: async () => {
      clients.goals.close();
      clients.meals.close();
      await fixture.stop();
    },
  };
}

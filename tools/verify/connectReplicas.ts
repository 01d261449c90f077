import { createGoalsClient, createMealsClient, type GoalsClient, type MealsClient } from "@mealplan/client";

export interface Replica<Client> {
  address: string;
  client: Client;
}

export interface ReplicaClients {
  goals: Replica<GoalsClient>[];
  meals: Replica<MealsClient>[];
  close(): void;
}

/** One client (one HTTP/2 connection) per replica, shared by every workload client. */
export function connectReplicas(goalsAddresses: string[], mealsAddresses: string[]): ReplicaClients {
  const goals = goalsAddresses.map((address) => ({ address, client: createGoalsClient(address) }));
  const meals = mealsAddresses.map((address) => ({ address, client: createMealsClient(address) }));
  return {
    goals,
    meals,
    close: () => {
      for (const { client } of [...goals, ...meals]) client.close();
    },
  };
}

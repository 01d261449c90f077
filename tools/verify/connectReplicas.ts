import { credentials } from "@grpc/grpc-js";
import { GoalsServiceClient } from "../../gen/mealplan/goals/v1/goals.js";
import { MealsServiceClient } from "../../gen/mealplan/meals/v1/meals.js";

export interface Replica<Client> {
  address: string;
  client: Client;
}

export interface ReplicaClients {
  goals: Replica<GoalsServiceClient>[];
  meals: Replica<MealsServiceClient>[];
  close(): void;
}

/** One client (one HTTP/2 connection) per replica, shared by every workload client. */
export function connectReplicas(goalsAddresses: string[], mealsAddresses: string[]): ReplicaClients {
  const goals = goalsAddresses.map((address) => ({
    address,
    client: new GoalsServiceClient(address, credentials.createInsecure()),
  }));
  const meals = mealsAddresses.map((address) => ({
    address,
    client: new MealsServiceClient(address, credentials.createInsecure()),
  }));
  return {
    goals,
    meals,
    close: () => {
      for (const { client } of [...goals, ...meals]) client.close();
    },
  };
}

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

/**
 * Reconnect attempts at most a second apart (grpc-js backs off to 2 minutes):
 * a replica killed and restarted (verify --faults) is called again within a
 * second of listening, so the run measures the replica, not the client's backoff.
 */
const CHANNEL_OPTIONS = { "grpc.initial_reconnect_backoff_ms": 100, "grpc.max_reconnect_backoff_ms": 1000 };

/** One client (one HTTP/2 connection) per replica, shared by every workload client. */
export function connectReplicas(goalsAddresses: string[], mealsAddresses: string[]): ReplicaClients {
  const goals = goalsAddresses.map((address) => ({
    address,
    client: createGoalsClient(address, { channelOptions: CHANNEL_OPTIONS }),
  }));
  const meals = mealsAddresses.map((address) => ({
    address,
    client: createMealsClient(address, { channelOptions: CHANNEL_OPTIONS }),
  }));
  return {
    goals,
    meals,
    close: () => {
      for (const { client } of [...goals, ...meals]) client.close();
    },
  };
}

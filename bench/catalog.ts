/** How many customers (each with a goal) and meals the seeded catalog holds. */
export interface CatalogShape {
  customers: number;
  meals: number;
}

export function customerIdOf(index: number): string {
  return `bench-${String(index).padStart(7, "0")}`;
}

/** customerIdOf in SQL, of an integer expression. */
export const customerIdSql = (index: string): string => `CONCAT('bench-', LPAD(${index}, 7, '0'))`;

export function randomCustomerId({ customers }: CatalogShape): string {
  return customerIdOf(Math.floor(Math.random() * customers));
}

export function randomInteger(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

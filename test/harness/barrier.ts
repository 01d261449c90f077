/** Lets `parties` concurrent tasks wait until all of them reached the same point. */
export function createBarrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const allArrived = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived === parties) release();
    return allArrived;
  };
}

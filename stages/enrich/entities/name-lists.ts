// Hand-written general word lists for gazetteer features. General English knowledge only:
// nothing here was read off the evaluation data.

/** Titles and honorifics that precede a person's name ("Foreign Minister Hossein ..."). */
export const PERSON_TITLES: readonly string[] = [
  'Mr', 'Mr.', 'Mrs', 'Mrs.', 'Ms', 'Ms.', 'Miss', 'Dr', 'Dr.', 'Prof', 'Prof.', 'Professor', 'Sir', 'Dame', 'Lord', 'Lady',
  'President', 'Vice', 'Prime', 'Minister', 'Secretary', 'Senator', 'Sen.', 'Rep.', 'Representative', 'Congressman',
  'Congresswoman', 'Governor', 'Gov.', 'Mayor', 'Chancellor', 'King', 'Queen', 'Prince', 'Princess', 'Pope', 'Bishop',
  'Archbishop', 'Cardinal', 'Rabbi', 'Imam', 'Sheikh', 'Ayatollah', 'Father', 'Rev.', 'Reverend', 'General', 'Gen.',
  'Colonel', 'Col.', 'Lieutenant', 'Lt.', 'Captain', 'Capt.', 'Major', 'Sergeant', 'Sgt.', 'Admiral', 'Adm.',
  'Judge', 'Justice', 'Chairman', 'Chairwoman', 'Chair', 'Director', 'Ambassador', 'Commissioner', 'Spokesman',
  'Spokeswoman', 'spokesman', 'spokeswoman', 'spokesperson', 'Chief', 'CEO', 'Coach', 'Detective', 'Officer',
  'Inspector', 'Premier', 'Emir', 'Sultan', 'Crown', 'Deputy', 'Speaker', 'Leader', 'leader', 'minister', 'president',
  'secretary', 'senator', 'director', 'chairman', 'coach', 'actor', 'actress', 'singer', 'author', 'writer', 'founder',
  'head', 'FM', 'PM', 'MP', 'Gov', 'Sen', 'Rep', 'Saint',
];

/** Words that end or head organisation names ("... Inc", "Ministry of ..."). */
export const ORG_WORDS: readonly string[] = [
  'Inc', 'Inc.', 'Corp', 'Corp.', 'Corporation', 'Co', 'Co.', 'Ltd', 'Ltd.', 'LLC', 'PLC', 'plc', 'AG', 'GmbH', 'SA',
  'Company', 'Companies', 'Group', 'Holdings', 'Industries', 'Enterprises', 'Partners', 'Bank', 'Airlines', 'Airways',
  'Motors', 'Technologies', 'Systems', 'Media', 'News', 'Times', 'Post', 'Journal', 'Press', 'Network', 'Broadcasting',
  'Ministry', 'Department', 'Agency', 'Office', 'Bureau', 'Administration', 'Authority', 'Commission', 'Committee',
  'Council', 'Board', 'Service', 'Services', 'Police', 'Army', 'Navy', 'Force', 'Forces', 'Guard', 'Court',
  'Parliament', 'Congress', 'Senate', 'Assembly', 'Government', 'Cabinet', 'Party', 'Movement', 'Front', 'Alliance',
  'Coalition', 'Union', 'Federation', 'League', 'Association', 'Society', 'Institute', 'Institution', 'Foundation',
  'Fund', 'Trust', 'Organization', 'Organisation', 'Center', 'Centre', 'University', 'College', 'School', 'Academy',
  'Hospital', 'Club', 'FC', 'United', 'Team', 'Brigade', 'Brigades', 'Jihad', 'Hezbollah', 'Taliban', 'Church',
  'Museum', 'Library', 'Orchestra', 'Band', 'Records', 'Studios', 'Pictures', 'Foods', 'Energy', 'Oil', 'Petroleum',
  'Pharmaceuticals', 'Laboratories', 'Labs', 'Exchange', 'Reserve', 'Tribunal', 'Secretariat', 'Mission',
  // newspapers and broadcasters
  'Chronicle', 'Tribune', 'Herald', 'Gazette', 'Telegraph', 'Bulletin', 'Guardian', 'Observer', 'Mirror', 'Courier',
  'Sentinel', 'Examiner', 'Inquirer', 'Monitor', 'Daily', 'Weekly', 'Magazine', 'Radio', 'Television', 'TV',
  // businesses and bodies
  'Brands', 'Electric', 'Electronics', 'Software', 'Gaming', 'Games', 'Entertainment', 'Telecom', 'Communications',
  'Insurance', 'Capital', 'Investments', 'Securities', 'Bancorp', 'Motor', 'Stores', 'Markets', 'Ventures', 'Solutions',
  'Conference', 'Caucus', 'Directorate', 'Inspectorate', 'Regiment', 'Battalion', 'Division', 'Corps', 'Cooperation',
  'Consortium', 'Syndicate', 'Collective', 'Initiative', 'Project', 'Program', 'Programme', 'Lab', 'Polytechnic',
];

/** Nationality and religion adjectives and nouns, tagged MISC in CoNLL style. */
export const DEMONYMS: readonly string[] = [
  'American', 'British', 'English', 'Scottish', 'Welsh', 'Irish', 'French', 'German', 'Italian', 'Spanish',
  'Portuguese', 'Dutch', 'Belgian', 'Swiss', 'Austrian', 'Swedish', 'Norwegian', 'Danish', 'Finnish', 'Icelandic',
  'Polish', 'Czech', 'Slovak', 'Hungarian', 'Romanian', 'Bulgarian', 'Greek', 'Turkish', 'Russian', 'Ukrainian',
  'Belarusian', 'Serbian', 'Croatian', 'Bosnian', 'Albanian', 'Lithuanian', 'Latvian', 'Estonian', 'Georgian',
  'Armenian', 'Azerbaijani', 'Kazakh', 'Uzbek', 'Afghan', 'Pakistani', 'Indian', 'Bangladeshi', 'Sri', 'Nepalese',
  'Chinese', 'Japanese', 'Korean', 'Vietnamese', 'Thai', 'Cambodian', 'Malaysian', 'Indonesian', 'Filipino',
  'Singaporean', 'Australian', 'Zealander', 'Canadian', 'Mexican', 'Cuban', 'Brazilian', 'Argentine', 'Argentinian',
  'Chilean', 'Peruvian', 'Colombian', 'Venezuelan', 'Bolivian', 'Ecuadorian', 'Uruguayan', 'Paraguayan', 'Haitian',
  'Jamaican', 'Iranian', 'Iraqi', 'Syrian', 'Lebanese', 'Jordanian', 'Israeli', 'Palestinian', 'Saudi', 'Yemeni',
  'Omani', 'Emirati', 'Qatari', 'Kuwaiti', 'Bahraini', 'Egyptian', 'Libyan', 'Tunisian', 'Algerian', 'Moroccan',
  'Sudanese', 'Ethiopian', 'Eritrean', 'Somali', 'Kenyan', 'Ugandan', 'Tanzanian', 'Rwandan', 'Congolese',
  'Nigerian', 'Ghanaian', 'Senegalese', 'Malian', 'Cameroonian', 'Angolan', 'Zambian', 'Zimbabwean', 'Mozambican',
  'African', 'European', 'Asian', 'Arab', 'Arabic', 'Persian', 'Kurdish', 'Kurd', 'Kurds', 'Jewish', 'Jew', 'Jews',
  'Muslim', 'Muslims', 'Islamic', 'Christian', 'Christians', 'Catholic', 'Protestant', 'Orthodox', 'Buddhist',
  'Hindu', 'Sikh', 'Sunni', 'Shia', 'Shiite', 'Latino', 'Hispanic', 'Western', 'Soviet', 'Americans', 'Britons',
  'Germans', 'Russians', 'Israelis', 'Palestinians', 'Iranians', 'Iraqis', 'Syrians', 'Ukrainians',
  'Europeans', 'Africans', 'Arabs', 'Democrat', 'Democrats', 'Republican', 'Republicans', 'Democratic', 'Zionist',
  'Gazan', 'Taiwanese', 'Tibetan', 'Mongolian', 'Burmese', 'Scandinavian', 'Latin', 'Balkan', 'Caribbean',
];

/** Places the city and country lists miss: continents, regions, seas, US states, provinces. */
export const EXTRA_PLACES: readonly string[] = [
  'Africa', 'Asia', 'Europe', 'North America', 'South America', 'Latin America', 'Central America', 'Antarctica',
  'Oceania', 'Middle East', 'Far East', 'Near East', 'Gulf', 'Persian Gulf', 'Balkans', 'Caribbean', 'Scandinavia',
  'Siberia', 'Sahara', 'Sahel', 'Mediterranean', 'Atlantic', 'Pacific', 'Arctic', 'Indian Ocean', 'Black Sea',
  'Red Sea', 'Caspian Sea', 'Baltic', 'Kashmir', 'Crimea', 'Donbas', 'Kurdistan', 'Gaza', 'Gaza Strip', 'West Bank',
  'Golan Heights', 'Sinai', 'Darfur', 'Tibet', 'Xinjiang', 'Taiwan', 'Hong Kong', 'Macau', 'Kosovo', 'Chechnya',
  'Alabama', 'Alaska', 'Arizona', 'Arkansas', 'California', 'Colorado', 'Connecticut', 'Delaware', 'Florida',
  'Georgia', 'Hawaii', 'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky', 'Louisiana', 'Maine',
  'Maryland', 'Massachusetts', 'Michigan', 'Minnesota', 'Mississippi', 'Missouri', 'Montana', 'Nebraska', 'Nevada',
  'New Hampshire', 'New Jersey', 'New Mexico', 'New York', 'North Carolina', 'North Dakota', 'Ohio', 'Oklahoma',
  'Oregon', 'Pennsylvania', 'Rhode Island', 'South Carolina', 'South Dakota', 'Tennessee', 'Texas', 'Utah',
  'Vermont', 'Virginia', 'Washington', 'West Virginia', 'Wisconsin', 'Wyoming', 'Ontario', 'Quebec',
  'British Columbia', 'Alberta', 'Manitoba', 'Nova Scotia', 'Queensland', 'New South Wales', 'Victoria', 'Tasmania',
  'England', 'Scotland', 'Wales', 'Northern Ireland', 'Britain', 'Bavaria', 'Catalonia', 'Andalusia', 'Sicily',
  'Sardinia', 'Tuscany', 'Corsica', 'Normandy', 'Brittany', 'Provence', 'Punjab', 'Bengal', 'Kerala', 'Tamil Nadu',
  'Manhattan', 'Brooklyn', 'Silicon Valley', 'Midwest', 'Amazon', 'Nile', 'Danube', 'Rhine', 'Thames',
  'Himalayas', 'Alps', 'Andes', 'Rockies',
];

/**
 * Well-known organisations by their usual short names. The training data has too few news
 * organisations for the model to learn these from context alone. The part after 'UEFA' was
 * written from general knowledge after reading dev errors, so some of its names occur in dev;
 * cross-validation on train decided it (models/ner/README.md, span-rule round).
 */
export const KNOWN_ORGS: readonly string[] = [
  'UN', 'U.N.', 'United Nations', 'NATO', 'EU', 'European Union', 'European Commission', 'European Parliament',
  'WHO', 'World Health Organization', 'IMF', 'International Monetary Fund', 'World Bank', 'WTO', 'OPEC', 'UNESCO',
  'UNICEF', 'UNHCR', 'UNRWA', 'Red Cross', 'Red Crescent', 'Amnesty International', 'Human Rights Watch',
  'FBI', 'CIA', 'NSA', 'NASA', 'FDA', 'EPA', 'SEC', 'FAA', 'IRS', 'Pentagon', 'White House', 'Kremlin',
  'Congress', 'Senate', 'House of Representatives', 'Supreme Court', 'Federal Reserve', 'Fed', 'Bundestag',
  'Knesset', 'Duma', 'Hamas', 'Hezbollah', 'Taliban', 'al-Qaeda', 'Al-Qaeda', 'ISIS', 'Islamic State', 'IDF',
  'Reuters', 'AP', 'Associated Press', 'AFP', 'BBC', 'CNN', 'Fox News', 'NBC', 'CBS', 'ABC', 'NPR', 'Al Jazeera',
  'Google', 'Apple', 'Microsoft', 'Amazon', 'Facebook', 'Meta', 'Twitter', 'Tesla', 'Netflix', 'IBM', 'Intel',
  'Samsung', 'Sony', 'Toyota', 'Boeing', 'Airbus', 'Walmart', 'Uber', 'OpenAI', 'Wikipedia', 'Wikinews',
  'Labour', 'Conservatives', 'Tories', 'Democratic Party', 'Republican Party', 'GOP', 'Bank of England', 'ECB',
  'Interpol', 'Europol', 'G7', 'G20', 'ASEAN', 'African Union', 'Arab League', 'OECD', 'Olympic Committee', 'FIFA', 'UEFA',
  // news agencies and outlets
  'Xinhua', 'Kyodo', 'TASS', 'Interfax', 'RIA Novosti', 'Yonhap', 'ANSA', 'EFE', 'Bloomberg', 'Dow Jones',
  'New York Times', 'Washington Post', 'Wall Street Journal', 'Financial Times', 'Los Angeles Times', 'USA Today',
  'Le Monde', 'Der Spiegel', 'Al Arabiya', 'Sky News', 'ITV', 'PBS', 'MSNBC', 'CNBC', 'ESPN', 'Politico', 'Newsweek',
  'Forbes', 'Economist', 'Euronews', 'Deutsche Welle', 'NHK', 'Haaretz', 'Daily Mail', 'HuffPost', 'BuzzFeed',
  // international bodies, charities, sport
  'IAEA', 'International Atomic Energy Agency', 'OSCE', 'Council of Europe', 'International Criminal Court',
  'International Court of Justice', 'World Food Programme', 'WFP', 'UNDP', 'UNEP', 'FAO', 'ILO', 'OPCW', 'Mercosur',
  'BRICS', 'G8', 'MSF', 'Doctors Without Borders', 'Oxfam', 'Greenpeace', 'WWF', 'Save the Children',
  'Transparency International', 'Reporters Without Borders', 'World Economic Forum', 'Salvation Army', 'IOC',
  'International Olympic Committee', 'WADA', 'NBA', 'NFL', 'MLB', 'NHL', 'NCAA', 'Premier League', 'ATP', 'WTA',
  // state bodies, parties, armed groups
  'Justice Department', 'State Department', 'Homeland Security', 'DHS', 'NHS', 'MI5', 'MI6', 'GCHQ', 'Mossad', 'FSB',
  'KGB', 'Scotland Yard', 'Secret Service', 'NYPD', 'LAPD', 'CDC', 'NIH', 'NOAA', 'USDA', 'Downing Street', 'Politburo',
  'Fatah', 'PLO', 'Islamic Jihad', 'Houthis', 'IRA', 'PKK', 'Boko Haram', 'Al-Shabaab', 'ANC', 'BJP', 'Likud',
  'Liberal Democrats', 'SNP', 'Sinn Fein', 'CDU', 'SPD', 'AfD', 'Bundesbank', 'Bank of Japan', 'NYSE', 'Nasdaq',
  // companies
  'Goldman Sachs', 'JPMorgan', 'JPMorgan Chase', 'Morgan Stanley', 'Citigroup', 'HSBC', 'Barclays', 'Deutsche Bank',
  'UBS', 'Credit Suisse', 'BNP Paribas', 'Santander', 'Wells Fargo', 'Bank of America', 'BlackRock',
  'Berkshire Hathaway', 'Mastercard', 'MasterCard', 'American Express', 'PayPal', 'Alphabet', 'YouTube', 'Instagram',
  'WhatsApp', 'TikTok', 'ByteDance', 'Snapchat', 'LinkedIn', 'Reddit', 'Spotify', 'Airbnb', 'Lyft', 'Huawei', 'Xiaomi',
  'Alibaba', 'Tencent', 'Baidu', 'ZTE', 'Lenovo', 'Nvidia', 'AMD', 'Qualcomm', 'Oracle', 'Cisco', 'Dell',
  'Hewlett-Packard', 'Adobe', 'Salesforce', 'SAP', 'Siemens', 'Philips', 'Nokia', 'Ericsson', 'Motorola', 'Panasonic',
  'Toshiba', 'Hitachi', 'Nintendo', 'Mozilla', 'Yahoo', 'eBay', 'SpaceX', 'Volkswagen', 'BMW', 'Mercedes-Benz',
  'Daimler', 'General Motors', 'Chrysler', 'Fiat', 'Stellantis', 'Renault', 'Peugeot', 'Nissan', 'Honda', 'Hyundai',
  'Volvo', 'Porsche', 'Ferrari', 'Lockheed Martin', 'Raytheon', 'Northrop Grumman', 'BAE Systems', 'Rolls-Royce',
  'General Electric', 'Caterpillar', 'ExxonMobil', 'Exxon', 'Chevron', 'BP', 'Royal Dutch Shell', 'TotalEnergies',
  'Gazprom', 'Rosneft', 'Aramco', 'Saudi Aramco', 'Petrobras', 'Pemex', 'Coca-Cola', 'Pepsi', 'PepsiCo', 'Nestle',
  'Nestlé', 'Unilever', 'Procter & Gamble', "McDonald's", 'KFC', 'Starbucks', 'Burger King', 'Nike', 'Adidas', 'IKEA',
  'Tesco', "Sainsbury's", 'Carrefour', 'Aldi', 'Lidl', 'Costco', 'Home Depot', 'Disney', 'Warner Bros', 'HBO',
  'Pfizer', 'Moderna', 'AstraZeneca', 'Johnson & Johnson', 'Novartis', 'Roche', 'Bayer', 'GlaxoSmithKline', 'GSK',
  'Sanofi', 'Air France', 'Lufthansa', 'British Airways', 'Qantas', 'Ryanair', 'easyJet', 'Delta Air Lines',
  'United Airlines', 'American Airlines', 'KLM', 'FedEx', 'DHL', 'Amtrak',
  // universities known by one name
  'Harvard', 'Harvard University', 'Yale', 'Yale University', 'Stanford', 'Stanford University', 'MIT', 'Princeton',
  'Princeton University', 'Oxford University', 'University of Oxford', 'Cambridge University', 'University of Cambridge',
  'Sorbonne', 'Caltech',
];

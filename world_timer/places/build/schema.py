"""The gazetteer's SQLite schema (written by the build, read by world_timer/places/gazetteer.py)."""

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE countries(
    code TEXT PRIMARY KEY, iso3 TEXT NOT NULL, name TEXT NOT NULL, population INTEGER NOT NULL
) WITHOUT ROWID;
-- GeoNames admin1 areas (code `08`, `TX`), ISO 3166-2 name and the letters of its ISO code.
CREATE TABLE admin1(
    country_code TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, abbreviation TEXT NOT NULL,
    PRIMARY KEY(country_code, code)
) WITHOUT ROWID;
-- geonameid < 0: the city of a tz zone that GeoNames lists under 500 people (from zone.tab).
-- capital: 1 = the country's capital (GeoNames countryInfo), 2 = a US state's capital (the `us`
-- package), else 0; zone_city: the city a tz zone key or CLDR zone id is named after;
-- shows_admin1: the label names the admin1.
CREATE TABLE places(
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, asciiname TEXT NOT NULL,
    country_code TEXT NOT NULL, admin1_code TEXT NOT NULL, population INTEGER NOT NULL,
    timezone TEXT NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL,
    alternatenames TEXT NOT NULL, capital INTEGER NOT NULL, zone_city INTEGER NOT NULL,
    shows_admin1 INTEGER NOT NULL
);
-- kind: 0 = the GeoNames name, 1 = its ASCII form, 2 = a CLDR exemplar city or the city of a
-- tz zone key, 3 = a GeoNames alternate name (any script). See world_timer/places/rank.py.
CREATE TABLE names(
    key TEXT NOT NULL, geonameid INTEGER NOT NULL, kind INTEGER NOT NULL,
    PRIMARY KEY(key, geonameid)
) WITHOUT ROWID;
-- One row per distinct own-name key, for typo suggestions (most populous place of that key).
CREATE TABLE suggestions(key TEXT NOT NULL, label TEXT NOT NULL, population INTEGER NOT NULL);
-- The same keys in rowid order as one newline-joined text: a miss reads one row, not 30,000.
CREATE TABLE suggestion_keys(keys TEXT NOT NULL);
-- What may follow a comma, or be typed alone: a country (admin1_code '') or an admin1 area.
-- kind: 0 = an English name (GeoNames, CLDR en, ISO 3166-2 and GeoNames for regions),
-- 1 = a code or short form, good as a qualifier only (`TX`, `DEU`, `Antigua`),
-- 2 = a country's name in another CLDR locale (`Frankreich`, `Japon`).
CREATE TABLE qualifiers(
    key TEXT NOT NULL, country_code TEXT NOT NULL, admin1_code TEXT NOT NULL, kind INTEGER NOT NULL,
    PRIMARY KEY(key, country_code, admin1_code)
) WITHOUT ROWID;
-- People of the gazetteer's places per country and zone (a country typed alone: its zones).
CREATE TABLE country_zones(
    country_code TEXT NOT NULL, timezone TEXT NOT NULL, population INTEGER NOT NULL,
    PRIMARY KEY(country_code, timezone)
) WITHOUT ROWID;
-- People of the gazetteer's places per admin1 area and zone (which zone a region typed alone is).
CREATE TABLE region_zones(
    country_code TEXT NOT NULL, admin1_code TEXT NOT NULL, timezone TEXT NOT NULL,
    population INTEGER NOT NULL, PRIMARY KEY(country_code, admin1_code, timezone)
) WITHOUT ROWID;
-- The zone at a point: quadtrees of web-mercator tiles (world_timer/places/zone_tiles.py).
CREATE TABLE tile_zones(id INTEGER PRIMARY KEY, zone TEXT NOT NULL);
CREATE TABLE zone_tiles(tile INTEGER PRIMARY KEY, tree BLOB NOT NULL);
"""

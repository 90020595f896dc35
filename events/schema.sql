-- Event Atlas storage. One row per article, one row per event record
-- (EVENTS.md section 3). Created idempotently by events.store.Store.
CREATE TABLE IF NOT EXISTS articles (
    doc_id       VARCHAR PRIMARY KEY,
    title        VARCHAR,
    url          VARCHAR,
    published    VARCHAR,
    source       VARCHAR,
    text         VARCHAR NOT NULL,
    text_hash    VARCHAR NOT NULL,
    extracted_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
    event_id        VARCHAR PRIMARY KEY,
    doc_id          VARCHAR NOT NULL,
    doc_title       VARCHAR,
    sentence        VARCHAR NOT NULL,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL,
    trigger         VARCHAR NOT NULL,
    type            VARCHAR NOT NULL,
    mode            VARCHAR,
    actors          VARCHAR[] NOT NULL,
    targets         VARCHAR[] NOT NULL,
    actor_countries VARCHAR[] NOT NULL,
    actor_sectors   VARCHAR[] NOT NULL,
    killed          INTEGER,
    injured         INTEGER,
    date            VARCHAR,
    date_end        VARCHAR,
    date_precision  VARCHAR NOT NULL,
    date_text       VARCHAR,
    place           VARCHAR,
    country         VARCHAR,
    admin1          VARCHAR,
    lat             DOUBLE,
    lon             DOUBLE,
    geo_precision   VARCHAR NOT NULL,
    place_basis     VARCHAR,
    geonames_id     BIGINT,
    status          VARCHAR NOT NULL,
    confidence      DOUBLE NOT NULL,
    cluster_id      VARCHAR,
    -- derived for the read side: first day of the event's date, for binning
    day             DATE
);

-- Databases made before these fields existed gain them (rows are inserted by name).
ALTER TABLE events ADD COLUMN IF NOT EXISTS actor_sectors VARCHAR[] DEFAULT [];
ALTER TABLE events ADD COLUMN IF NOT EXISTS killed INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS injured INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_basis VARCHAR;

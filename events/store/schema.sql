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

-- Analyst corrections (events/corrections.py): one row per fix, kept when undone.
-- The events row holds the corrected values; `extracted` keeps the extractor's
-- (JSON) so an undo restores them, `corrected` names the fields changed, and
-- `not_event` hides a record an analyst judged no event (it is never deleted).
CREATE SEQUENCE IF NOT EXISTS correction_ids;
CREATE TABLE IF NOT EXISTS corrections (
    correction_id BIGINT PRIMARY KEY DEFAULT nextval('correction_ids'),
    event_id      VARCHAR NOT NULL,
    field         VARCHAR NOT NULL,
    old_value     VARCHAR NOT NULL,
    new_value     VARCHAR NOT NULL,
    author        VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    note          VARCHAR,
    undone_at     TIMESTAMP,
    undone_by     VARCHAR
);
ALTER TABLE events ADD COLUMN IF NOT EXISTS not_event BOOLEAN DEFAULT FALSE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS corrected VARCHAR[];
ALTER TABLE events ADD COLUMN IF NOT EXISTS extracted VARCHAR;

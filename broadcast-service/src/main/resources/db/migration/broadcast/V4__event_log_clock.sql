-- The event log's clock, as hub_change_clock is the entity changes': every batch a log
-- writer inserts takes this row's lock for its transaction and stamps its rows' logged_at
-- after the previous stamp (and no earlier than the rows' own ts), so logged_at is unique
-- and increases in commit order. The timestamp sync reads "logged after T": a batch that
-- committed late is never skipped, and the last event a reader got is never sent again.
CREATE TABLE hub_event_clock (
    id           INT           PRIMARY KEY,
    last_ts      TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO hub_event_clock (id, last_ts)
    SELECT 1, COALESCE(MAX(logged_at), TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00') FROM hub_event;

-- Sync pages read in (logged_at, id) order; rows logged before this version share their
-- transaction's start time, the id orders them.
CREATE INDEX hub_event_logged ON hub_event (logged_at, id);

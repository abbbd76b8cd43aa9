-- Records of searches, written by the statement that loads the search's page (so they commit with it, before the
-- response), waiting to be sealed onto the read chain by the appender: numbered, hashed and moved into
-- audit.event, normally within a fraction of a second (PendingReads, decision 12). No index: the appender takes
-- them all, oldest first, and the table stays small.
create table audit.read_pending (
    id       bigint generated always as identity,
    body     text not null,  -- the event's facts, without the patients the page held
    patients text            -- every patient the event names, comma-separated; null when none
);

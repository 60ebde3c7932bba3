-- Deliveries retried by time, not by count; permanent failures wait for a named person or chat;
-- what a multi-part send already delivered; public posts caught mid-send by a crash.
ALTER TABLE outbox ADD COLUMN next_at TEXT;
ALTER TABLE outbox ADD COLUMN waiting_chat INTEGER;
ALTER TABLE outbox ADD COLUMN waiting_reason TEXT;
ALTER TABLE outbox ADD COLUMN waiting_since TEXT;
ALTER TABLE outbox ADD COLUMN progress TEXT NOT NULL DEFAULT '{}';
ALTER TABLE outbox ADD COLUMN sending_at TEXT;
-- How a settled item ended: sent (or no longer needed), or given up (with last_error).
ALTER TABLE outbox ADD COLUMN outcome TEXT;
CREATE INDEX outbox_waiting ON outbox (waiting_chat) WHERE done_at IS NULL;

-- The admins hear of a chat that cannot be reached once per cause, until it is reached again.
CREATE TABLE outbox_alerts (
    chat_id     INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    PRIMARY KEY (chat_id, reason)
);

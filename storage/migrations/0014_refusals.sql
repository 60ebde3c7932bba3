-- Refused attempts are audited, at most a few per person per minute; the rest of a flood is
-- counted here, in one row per person and minute, so a flood cannot fill the disk.
CREATE TABLE refusal_windows (
    actor_id     INTEGER NOT NULL,
    window_start TEXT    NOT NULL,
    recorded     INTEGER NOT NULL DEFAULT 0,
    suppressed   INTEGER NOT NULL DEFAULT 0,
    last_at      TEXT    NOT NULL,
    last_action  TEXT    NOT NULL,
    PRIMARY KEY (actor_id, window_start)
);

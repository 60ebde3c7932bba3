-- Account-change notices (article 16): filed at least seven working days before they take effect.
-- Dates (notice_on, effective_on) are local calendar days in the union's time zone (YYYY-MM-DD);
-- moments (filed_at, cancelled_at) are UTC ISO text like every other stored time.

CREATE TABLE account_changes (
    id              INTEGER PRIMARY KEY,
    account         TEXT    NOT NULL,
    change          TEXT    NOT NULL CHECK (change IN ('name', 'managers', 'close', 'other')),
    detail          TEXT    NOT NULL DEFAULT '',
    effective_on    TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    filed_by        INTEGER NOT NULL,
    filed_at        TEXT    NOT NULL,
    -- The day the notice counts from (the filing day, local).
    notice_on       TEXT    NOT NULL,
    -- How many working days lie strictly between notice_on and effective_on when filed.
    working_days    INTEGER NOT NULL,
    -- 1 when a year in the span had no holiday data, so only weekends were days off.
    weekends_only   INTEGER NOT NULL DEFAULT 0 CHECK (weekends_only IN (0, 1)),
    state           TEXT    NOT NULL DEFAULT 'accepted'
                    CHECK (state IN ('accepted', 'cancelled')),
    cancelled_by    INTEGER,
    cancelled_at    TEXT,
    cancel_reason   TEXT,
    CHECK (effective_on > notice_on)
);
CREATE INDEX account_changes_effective ON account_changes (effective_on);

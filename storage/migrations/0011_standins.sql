-- Stand-ins (代审): a reviewer who is away names someone to decide their tiers for a span of
-- local days. The stand-in needs no role of their own: the delegation is what lets them
-- decide, and only while it is in force. A span ended early keeps its row (cancelled_at), so
-- the listing and the audit agree on what was arranged.
CREATE TABLE standins (
    id            INTEGER PRIMARY KEY,
    reviewer_id   INTEGER NOT NULL REFERENCES users (user_id),
    standin_id    INTEGER NOT NULL REFERENCES users (user_id),
    starts_at     TEXT    NOT NULL,
    ends_at       TEXT    NOT NULL,
    set_by        INTEGER NOT NULL,
    set_at        TEXT    NOT NULL,
    cancelled_at  TEXT,
    cancelled_by  INTEGER,
    CHECK (reviewer_id <> standin_id),
    CHECK (starts_at < ends_at)
);
CREATE INDEX standins_reviewer ON standins (reviewer_id, ends_at);
CREATE INDEX standins_standin ON standins (standin_id, ends_at);

-- An admin hands one version's pending tier to one person: their card, their nudges. A second
-- handover of the same tier replaces the first (both are in the audit trail).
CREATE TABLE handovers (
    draft_id   INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    tier       INTEGER NOT NULL CHECK (tier IN (1, 2, 3)),
    user_id    INTEGER NOT NULL REFERENCES users (user_id),
    by         INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    PRIMARY KEY (draft_id, version, tier)
);

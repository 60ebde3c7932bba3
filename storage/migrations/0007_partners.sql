-- Partner college accounts (article 17): their chats get every published post with a
-- 已转载 button; each offer is one row, so the weekly digest knows what is outstanding.

CREATE TABLE partners (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    added_by    INTEGER,
    added_at    TEXT    NOT NULL,
    removed_at  TEXT,
    -- When the admins were told the bot cannot reach this chat; cleared by the next message
    -- that gets through (or by adding the partner again), so each outage is reported once.
    unreachable_at TEXT
);

CREATE TABLE reposts (
    id           INTEGER PRIMARY KEY,
    partner_id   INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    draft_id     INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    state        TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'offered', 'reposted', 'failed')),
    offered_at   TEXT    NOT NULL,
    chat_id      INTEGER,
    message_id   INTEGER,
    reposted_at  TEXT,
    reposted_by  INTEGER,
    reposted_by_name TEXT,
    detail       TEXT,
    -- offered_at is when the offer was queued (the publication); sent_at when it went out.
    sent_at      TEXT,
    -- The copy of the post sent ahead of the button message, so a retry does not repeat it.
    post_message_id INTEGER,
    UNIQUE (partner_id, draft_id)
);
CREATE INDEX reposts_state ON reposts (state, offered_at);
CREATE INDEX reposts_message ON reposts (chat_id, message_id);

-- Reminders: every one a row with a unique key, so start-up can re-arm them all and a restart
-- never sends one twice. Meeting agenda topics, and chats the bot could not reach.

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    key         TEXT    NOT NULL UNIQUE,
    due_at      TEXT    NOT NULL,
    draft_id    INTEGER REFERENCES drafts (id) ON DELETE CASCADE,
    payload     TEXT    NOT NULL DEFAULT '{}',
    state       TEXT    NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'sent', 'skipped', 'failed', 'interrupted')),
    settled_at  TEXT,
    detail      TEXT
);
CREATE INDEX reminders_pending ON reminders (due_at) WHERE state = 'pending';
CREATE INDEX reminders_sending ON reminders (id) WHERE state = 'sending';

CREATE TABLE agenda (
    id           INTEGER PRIMARY KEY,
    meeting_date TEXT    NOT NULL,
    author_id    INTEGER,
    topic        TEXT    NOT NULL,
    added_at     TEXT    NOT NULL
);
CREATE INDEX agenda_meeting ON agenda (meeting_date, id);

CREATE TABLE unreachable_chats (
    chat_id     INTEGER PRIMARY KEY,
    error       TEXT    NOT NULL,
    told_at     TEXT    NOT NULL
);

-- Content reports (article 24, 举报): a member points at a message in a union group; the
-- admins are told with a link, and the report stays open until an admin marks it handled.
-- The excerpt is kept as evidence: the reported message may be deleted before anyone looks.

CREATE TABLE content_reports (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    chat_title      TEXT    NOT NULL DEFAULT '',
    message_id      INTEGER NOT NULL,
    link            TEXT,
    author_id       INTEGER,
    author_name     TEXT    NOT NULL DEFAULT '',
    excerpt         TEXT    NOT NULL DEFAULT '',
    reason          TEXT    NOT NULL DEFAULT '',
    reported_by     INTEGER NOT NULL,
    reported_at     TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'handled')),
    handled_by      INTEGER,
    handled_at      TEXT,
    note            TEXT,
    UNIQUE (chat_id, message_id, reported_by)
);
CREATE INDEX content_reports_open ON content_reports (state, reported_at);

-- Where each report's card went (the admins' chat, or each admin privately), so a retried
-- delivery skips the chats that already have it and marking handled edits every copy.
CREATE TABLE content_report_cards (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES content_reports (id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    sent_at     TEXT    NOT NULL,
    UNIQUE (report_id, chat_id)
);

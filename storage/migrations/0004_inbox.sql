-- The audience inbox (article 15, 有问必答): students' questions, every message of each thread,
-- who answered and when, and the reply deadline promised to the student.

CREATE TABLE questions (
    id              INTEGER PRIMARY KEY,
    student_id      INTEGER NOT NULL,
    student_name    TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'answered', 'resolved')),
    claimed_by      INTEGER,
    asked_at        TEXT    NOT NULL,
    promised_by     TEXT,
    first_reply_at  TEXT,
    first_reply_by  INTEGER,
    settled_at      TEXT,
    settled_by      INTEGER
);
CREATE INDEX questions_student ON questions (student_id, state);
CREATE INDEX questions_open ON questions (state, asked_at);

CREATE TABLE question_messages (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    direction   TEXT    NOT NULL CHECK (direction IN ('asked', 'card', 'relayed', 'answer')),
    author_id   INTEGER,
    body        TEXT    NOT NULL DEFAULT '',
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    at          TEXT    NOT NULL,
    UNIQUE (chat_id, message_id)
);

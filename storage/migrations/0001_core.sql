-- Core pipeline: people and roles, drafts with numbered versions, tiered decisions,
-- publications, cards and prompts the bot has sent, the outbox of pending deliveries,
-- and the append-only audit trail.

CREATE TABLE users (
    user_id     INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    username    TEXT,
    team        TEXT,
    seen_at     TEXT    NOT NULL
);
CREATE INDEX users_username ON users (lower(username));

CREATE TABLE member_roles (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role        TEXT    NOT NULL CHECK (role IN
                    ('admin', 'officer', 'editor', 'reviewer1', 'reviewer2', 'reviewer3')),
    granted_by  INTEGER,
    granted_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE drafts (
    id              INTEGER PRIMARY KEY,
    submitter_id    INTEGER NOT NULL REFERENCES users (user_id),
    editor_id       INTEGER REFERENCES users (user_id),
    title           TEXT    NOT NULL,
    category        TEXT,
    attribution     TEXT CHECK (attribution IN ('school', 'college', 'repost')),
    college         TEXT,
    source          TEXT,
    original        INTEGER CHECK (original IN (0, 1)),
    state           TEXT    NOT NULL CHECK (state IN
                        ('intake', 'editing', 'review_1', 'review_2', 'review_3', 'approved',
                         'publishing', 'published', 'rejected', 'withdrawn', 'blocked')),
    version         INTEGER NOT NULL DEFAULT 1,
    origin_chat_id  INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX drafts_state ON drafts (state);
CREATE INDEX drafts_submitter ON drafts (submitter_id);

CREATE TABLE versions (
    draft_id        INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    author_id       INTEGER NOT NULL REFERENCES users (user_id),
    body            TEXT    NOT NULL,
    note            TEXT    NOT NULL DEFAULT '',
    file_id         TEXT,
    file_unique_id  TEXT,
    file_name       TEXT,
    file_kind       TEXT CHECK (file_kind IN ('document', 'photo')),
    mime_type       TEXT,
    file_size       INTEGER,
    file_sha256     TEXT,
    content_hash    TEXT    NOT NULL,
    source_chat_id  INTEGER,
    source_msg_id   INTEGER,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (draft_id, number)
);
-- One message becomes at most one version, even when Telegram delivers its update twice.
CREATE UNIQUE INDEX versions_source ON versions (source_chat_id, source_msg_id)
    WHERE source_msg_id IS NOT NULL;

CREATE TABLE decisions (
    id              INTEGER PRIMARY KEY,
    draft_id        INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    tier            INTEGER NOT NULL CHECK (tier IN (1, 2, 3)),
    content_hash    TEXT    NOT NULL,
    reviewer_id     INTEGER NOT NULL REFERENCES users (user_id),
    outcome         TEXT    NOT NULL CHECK (outcome IN ('approve', 'reject')),
    criteria        TEXT    NOT NULL DEFAULT '',
    reason          TEXT    NOT NULL DEFAULT '',
    decided_at      TEXT    NOT NULL,
    UNIQUE (draft_id, version, tier),
    FOREIGN KEY (draft_id, version) REFERENCES versions (draft_id, number)
);

-- A decision must be for the version's real content: no approval of a hash the version lacks.
CREATE TRIGGER decisions_match_version BEFORE INSERT ON decisions
WHEN NEW.content_hash IS NOT (SELECT content_hash FROM versions
                              WHERE draft_id = NEW.draft_id AND number = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'decision content hash does not match the version');
END;

CREATE TABLE publications (
    draft_id        INTEGER PRIMARY KEY REFERENCES drafts (id),
    version         INTEGER NOT NULL,
    content_hash    TEXT    NOT NULL,
    chat_id         INTEGER,
    message_id      INTEGER,
    published_by    INTEGER,
    started_at      TEXT    NOT NULL,
    published_at    TEXT,
    FOREIGN KEY (draft_id, version) REFERENCES versions (draft_id, number)
);

-- 先审后发, enforced where no code path can skip it: a publication needs approvals by all three
-- tiers of exactly this version and content hash.
CREATE TRIGGER publications_need_three_approvals BEFORE INSERT ON publications
WHEN NEW.content_hash IS NOT (SELECT content_hash FROM versions
                              WHERE draft_id = NEW.draft_id AND number = NEW.version)
  OR (SELECT COUNT(DISTINCT tier) FROM decisions
      WHERE draft_id = NEW.draft_id AND version = NEW.version
        AND content_hash = NEW.content_hash AND outcome = 'approve') < 3
BEGIN
    SELECT RAISE(ABORT, 'publication lacks approvals of all three tiers for this version');
END;

CREATE TRIGGER drafts_publish_needs_publication BEFORE UPDATE OF state ON drafts
WHEN NEW.state IN ('publishing', 'published')
 AND NOT EXISTS (SELECT 1 FROM publications
                 WHERE draft_id = NEW.id AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'draft cannot be published without its publication record');
END;

CREATE TRIGGER drafts_approved_needs_three_approvals BEFORE UPDATE OF state ON drafts
WHEN NEW.state = 'approved'
 AND (SELECT COUNT(DISTINCT d.tier) FROM decisions d JOIN versions v
        ON v.draft_id = d.draft_id AND v.number = d.version AND v.content_hash = d.content_hash
      WHERE d.draft_id = NEW.id AND d.version = NEW.version AND d.outcome = 'approve') < 3
BEGIN
    SELECT RAISE(ABORT, 'draft cannot be approved without approvals of all three tiers');
END;

-- Messages the bot sent that carry buttons or stand for a stage of a draft.
CREATE TABLE cards (
    id          INTEGER PRIMARY KEY,
    draft_id    INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    stage       TEXT    NOT NULL,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    rendered    TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    UNIQUE (chat_id, message_id)
);
CREATE INDEX cards_draft ON cards (draft_id, version, stage);

-- Questions the bot asked and expects a reply to (a reply to the prompt message answers it).
CREATE TABLE prompts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    user_id     INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER,
    draft_id    INTEGER REFERENCES drafts (id) ON DELETE CASCADE,
    version     INTEGER,
    tier        INTEGER,
    data        TEXT    NOT NULL DEFAULT '{}',
    created_at  TEXT    NOT NULL,
    closed_at   TEXT
);
CREATE INDEX prompts_message ON prompts (chat_id, message_id);

-- Deliveries decided together with a state change and sent after it commits, so a crash between
-- the two loses nothing: start-up sends whatever is still pending.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    draft_id    INTEGER REFERENCES drafts (id) ON DELETE CASCADE,
    payload     TEXT    NOT NULL DEFAULT '{}',
    created_at  TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    done_at     TEXT
);
CREATE INDEX outbox_pending ON outbox (id) WHERE done_at IS NULL;

CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor_id    INTEGER,
    action      TEXT    NOT NULL,
    draft_id    INTEGER,
    version     INTEGER,
    detail      TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_draft ON audit (draft_id, id);

CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

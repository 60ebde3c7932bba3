-- Where an approved version really went out (公众号, 微博, 抖音 or another union account), and
-- whether the published 公众号 article says what the three tiers approved.
CREATE TABLE publication_links (
    id           INTEGER PRIMARY KEY,
    draft_id     INTEGER NOT NULL REFERENCES drafts (id),
    version      INTEGER NOT NULL,
    content_hash TEXT    NOT NULL,
    platform     TEXT    NOT NULL,
    account      TEXT    NOT NULL DEFAULT '',
    url          TEXT    NOT NULL,
    recorded_by  INTEGER NOT NULL,
    recorded_at  TEXT    NOT NULL,
    -- none (not a 公众号 article), pending, verified, differs, unavailable
    check_state  TEXT    NOT NULL DEFAULT 'none',
    checked_at   TEXT,
    UNIQUE (draft_id, url)
);
CREATE INDEX publication_links_draft ON publication_links (draft_id);

-- A link names the version it records and that version's approved hash, once.
CREATE TRIGGER publication_links_fixed BEFORE UPDATE ON publication_links
WHEN NEW.draft_id IS NOT OLD.draft_id OR NEW.version IS NOT OLD.version
  OR NEW.content_hash IS NOT OLD.content_hash OR NEW.url IS NOT OLD.url
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.recorded_at IS NOT OLD.recorded_at
BEGIN
    SELECT RAISE(ABORT, 'a publication link cannot be repointed');
END;

-- Only the version all three tiers approved (its exact hash) may be recorded as published.
CREATE TRIGGER publication_links_need_approval BEFORE INSERT ON publication_links
WHEN (SELECT COUNT(DISTINCT tier) FROM decisions
      WHERE draft_id = NEW.draft_id AND version = NEW.version
        AND content_hash = NEW.content_hash AND outcome = 'approve' AND tier IN (1, 2, 3)) < 3
BEGIN
    SELECT RAISE(ABORT, 'a publication link needs the approvals of all three tiers');
END;

-- The 公众号 draft box: the media id WeChat returned for an approved version.
CREATE TABLE wechat_drafts (
    draft_id     INTEGER NOT NULL REFERENCES drafts (id),
    version      INTEGER NOT NULL,
    media_id     TEXT    NOT NULL,
    pushed_at    TEXT    NOT NULL,
    PRIMARY KEY (draft_id, version)
);

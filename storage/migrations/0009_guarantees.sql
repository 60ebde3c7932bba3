-- Guarantees held by the database, not only by the code: what reviewers approved cannot change
-- under them, a decision is one of three different people none of whom wrote or laid out the
-- draft, and a publication can only be the version all three of them approved.

-- A version (its text and its file: id, name, kind, type, size, sha256) and its content hash
-- are written once. Nothing in the bot updates or deletes one; a new text is a new version.
CREATE TRIGGER versions_immutable_update BEFORE UPDATE ON versions
BEGIN
    SELECT RAISE(ABORT, 'a version is immutable once written');
END;
CREATE TRIGGER versions_immutable_delete BEFORE DELETE ON versions
BEGIN
    SELECT RAISE(ABORT, 'a version is immutable once written');
END;

-- A decision is written once, like the audit trail.
CREATE TRIGGER decisions_immutable_update BEFORE UPDATE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'a decision is immutable once written');
END;
CREATE TRIGGER decisions_immutable_delete BEFORE DELETE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'a decision is immutable once written');
END;

-- Nobody reviews a draft they submitted or laid out.
CREATE TRIGGER decisions_not_by_author BEFORE INSERT ON decisions
WHEN EXISTS (SELECT 1 FROM drafts
             WHERE id = NEW.draft_id
               AND (submitter_id = NEW.reviewer_id OR editor_id IS NEW.reviewer_id))
BEGIN
    SELECT RAISE(ABORT, 'a reviewer cannot decide a draft they submitted or laid out');
END;

-- Article 13: three tiers are three people. One person decides at most one tier of a version.
CREATE TRIGGER decisions_one_tier_per_person BEFORE INSERT ON decisions
WHEN EXISTS (SELECT 1 FROM decisions
             WHERE draft_id = NEW.draft_id AND version = NEW.version
               AND reviewer_id = NEW.reviewer_id AND tier != NEW.tier)
BEGIN
    SELECT RAISE(ABORT, 'one person cannot decide two tiers of the same version');
END;

-- Who submitted a draft never changes, and its layout editor is set once.
CREATE TRIGGER drafts_submitter_fixed BEFORE UPDATE OF submitter_id ON drafts
WHEN NEW.submitter_id IS NOT OLD.submitter_id
BEGIN
    SELECT RAISE(ABORT, 'the submitter of a draft cannot change');
END;
CREATE TRIGGER drafts_editor_set_once BEFORE UPDATE OF editor_id ON drafts
WHEN OLD.editor_id IS NOT NULL AND NEW.editor_id IS NOT OLD.editor_id
BEGIN
    SELECT RAISE(ABORT, 'the layout editor of a draft is set once');
END;

-- A publication is the draft's current version, approved at all three tiers of exactly its
-- content hash by three different people, none of them its submitter or layout editor
-- (decisions written before this migration are held to the same rule here).
CREATE TRIGGER publications_need_three_reviewers BEFORE INSERT ON publications
WHEN NEW.version IS NOT (SELECT version FROM drafts WHERE id = NEW.draft_id)
  OR (SELECT COUNT(DISTINCT d.reviewer_id) FROM decisions d JOIN drafts r ON r.id = d.draft_id
      WHERE d.draft_id = NEW.draft_id AND d.version = NEW.version
        AND d.content_hash = NEW.content_hash AND d.outcome = 'approve'
        AND d.tier IN (1, 2, 3)
        AND d.reviewer_id != r.submitter_id AND d.reviewer_id IS NOT r.editor_id) < 3
BEGIN
    SELECT RAISE(ABORT, 'publication lacks approvals of all three tiers by three reviewers');
END;

-- Once started, a publication names the same draft, version, hash, publisher and start; only
-- the channel message and its time are filled in, once.
CREATE TRIGGER publications_fixed BEFORE UPDATE ON publications
WHEN NEW.draft_id IS NOT OLD.draft_id
  OR NEW.version IS NOT OLD.version
  OR NEW.content_hash IS NOT OLD.content_hash
  OR NEW.published_by IS NOT OLD.published_by
  OR NEW.started_at IS NOT OLD.started_at
  OR OLD.published_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a publication cannot be repointed or rewritten');
END;
CREATE TRIGGER publications_no_delete BEFORE DELETE ON publications
BEGIN
    SELECT RAISE(ABORT, 'a publication cannot be deleted');
END;

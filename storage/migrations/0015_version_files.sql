-- A version carries any number of files (an album of photos, several documents), in order; the
-- content hash reviewers approve covers every one of them.
--
-- The single-file columns of ``versions`` (file_id ... file_sha256) are copied here as each
-- version's first file and are no longer read or written: they stay in the table because
-- dropping a column rebuilds the table, and ``versions`` carries the immutability triggers and
-- the foreign keys of decisions and publications.
CREATE TABLE version_files (
    draft_id        INTEGER NOT NULL,
    number          INTEGER NOT NULL,
    position        INTEGER NOT NULL CHECK (position BETWEEN 0 AND 9),
    file_kind       TEXT    NOT NULL CHECK (file_kind IN ('document', 'photo')),
    file_id         TEXT    NOT NULL,
    file_unique_id  TEXT    NOT NULL,
    file_name       TEXT,
    mime_type       TEXT,
    file_size       INTEGER,
    file_sha256     TEXT,
    -- The album (Telegram's media_group_id) the file came in, so its other items find the draft.
    media_group_id  TEXT,
    PRIMARY KEY (draft_id, number, position),
    FOREIGN KEY (draft_id, number) REFERENCES versions (draft_id, number) ON DELETE CASCADE
);
CREATE INDEX version_files_album ON version_files (media_group_id)
    WHERE media_group_id IS NOT NULL;

INSERT INTO version_files (draft_id, number, position, file_kind, file_id, file_unique_id,
                           file_name, mime_type, file_size, file_sha256)
SELECT draft_id, number, 0, file_kind, file_id, COALESCE(file_unique_id, file_id),
       file_name, mime_type, file_size, file_sha256
FROM versions WHERE file_kind IS NOT NULL AND file_id IS NOT NULL;

-- Like the version they belong to, a version's files are written once.
CREATE TRIGGER version_files_immutable_update BEFORE UPDATE ON version_files
BEGIN
    SELECT RAISE(ABORT, 'a version is immutable once written');
END;
CREATE TRIGGER version_files_immutable_delete BEFORE DELETE ON version_files
BEGIN
    SELECT RAISE(ABORT, 'a version is immutable once written');
END;
-- Nor does an approved version gain a file: once a tier decided on it, its files are fixed.
CREATE TRIGGER version_files_fixed_once_decided BEFORE INSERT ON version_files
WHEN EXISTS (SELECT 1 FROM decisions WHERE draft_id = NEW.draft_id AND version = NEW.number)
BEGIN
    SELECT RAISE(ABORT, 'a version is immutable once written');
END;

-- Urgent drafts (article 10) and volunteers whose role ends on a date (article 12).
-- SQLite cannot change a CHECK constraint, so member_roles is rebuilt; nothing references it.

ALTER TABLE drafts ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1));
-- Sent in by a volunteer: attributed to the union itself, whatever the event (article 12).
ALTER TABLE drafts ADD COLUMN by_volunteer INTEGER NOT NULL DEFAULT 0
    CHECK (by_volunteer IN (0, 1));

CREATE TABLE member_roles_new (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role        TEXT    NOT NULL CHECK (role IN
                    ('admin', 'officer', 'editor', 'reviewer1', 'reviewer2', 'reviewer3',
                     'volunteer')),
    granted_by  INTEGER,
    granted_at  TEXT    NOT NULL,
    -- The moment the role ends (UTC, like every stored time): the start of the day after its
    -- last day in the union's time zone. NULL: no end.
    expires_at  TEXT,
    PRIMARY KEY (user_id, role)
);
INSERT INTO member_roles_new (user_id, role, granted_by, granted_at)
    SELECT user_id, role, granted_by, granted_at FROM member_roles;
DROP TABLE member_roles;
ALTER TABLE member_roles_new RENAME TO member_roles;

-- Keyword screening: the union's lexicon and whitelist, managed in chat, and the verdict
-- each version got. A blocked draft remembers where it was headed, to resume once fixed.

CREATE TABLE lexicon_terms (
    term        TEXT    PRIMARY KEY,
    severity    TEXT    NOT NULL CHECK (severity IN ('block', 'warn')),
    category    TEXT    NOT NULL,
    anywhere    INTEGER NOT NULL DEFAULT 0 CHECK (anywhere IN (0, 1)),
    added_by    INTEGER,
    added_at    TEXT    NOT NULL
);

CREATE TABLE lexicon_whitelist (
    term        TEXT    PRIMARY KEY,
    added_by    INTEGER,
    added_at    TEXT    NOT NULL
);

CREATE TABLE screenings (
    draft_id    INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    stage       TEXT    NOT NULL CHECK (stage IN ('submit', 'publish')),
    verdict     TEXT    NOT NULL CHECK (verdict IN ('pass', 'warn', 'block')),
    hits        TEXT    NOT NULL DEFAULT '[]',
    screened_at TEXT    NOT NULL,
    PRIMARY KEY (draft_id, version, stage)
);

ALTER TABLE drafts ADD COLUMN resume_state TEXT;

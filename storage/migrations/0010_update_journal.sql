-- The update journal: every update the bot receives is written here before Telegram is told it
-- arrived (polling: the next getUpdates offset; webhook: the 200 answer), and marked handled once
-- its handlers ran. Updates found waiting at start-up are handled then, in update_id order,
-- except one whose action had committed: ``acted_at`` is set inside the first transaction its
-- handlers commit, so an action and the fact that it happened are never apart.
-- ``replays`` counts the times a start-up began handling the update again, so one whose handling
-- keeps killing the bot is given up ('abandoned') instead of being retried forever. Handled rows are pruned after
-- some days (Telegram keeps an unconfirmed update for 24 hours at most).

CREATE TABLE update_journal (
    update_id   INTEGER PRIMARY KEY,
    payload     TEXT    NOT NULL CHECK (json_valid(payload)),
    received_at TEXT    NOT NULL,
    acted_at    TEXT,
    replays     INTEGER NOT NULL DEFAULT 0 CHECK (replays >= 0),
    handled_at  TEXT,
    outcome     TEXT    CHECK (outcome IN ('handled', 'abandoned')),
    CHECK ((handled_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX update_journal_waiting ON update_journal (update_id) WHERE handled_at IS NULL;
CREATE INDEX update_journal_handled ON update_journal (handled_at) WHERE handled_at IS NOT NULL;

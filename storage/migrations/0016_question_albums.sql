-- A student's album (several screenshots sent together) is one question: each message of a
-- thread remembers the album it came in, so the album's later items find the question.
ALTER TABLE question_messages ADD COLUMN media_group_id TEXT;
CREATE INDEX question_messages_album ON question_messages (chat_id, media_group_id)
    WHERE media_group_id IS NOT NULL;

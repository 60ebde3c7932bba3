-- Reserved: migration 0010 belongs to another branch. This branch needs 0011, and migrations
-- are numbered without gaps, so this empty file holds the number until that branch is merged;
-- the merge keeps the other branch's 0010 and drops this file.
SELECT 1;

-- 1 while the question's basis was proposed by the basis suggester (`questions import
-- --suggest-basis`) and no editor has confirmed it. Such a question waits in the review
-- queue (needs_review = 1) and cannot be approved; confirming, picking another candidate or
-- saving an edit clears it.
alter table question add column basis_suggested integer not null default 0;

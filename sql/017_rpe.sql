-- Effort on the usual scale (issue 15.7): RPE 1 very easy .. 10 maximal,
-- instead of workout_feedback.feel, 1 very hard .. 5 very easy.  Each old
-- answer becomes the RPE with the same words (domain/load.c,
-- load_rpe_from_feel, is the same table): very easy 1, easy 2, moderate 4,
-- hard 7, very hard 8.
ALTER TABLE workout_feedback
    ADD COLUMN rpe SMALLINT CHECK (rpe BETWEEN 1 AND 10);
UPDATE workout_feedback
   SET rpe = CASE feel WHEN 5 THEN 1 WHEN 4 THEN 2 WHEN 3 THEN 4
                       WHEN 2 THEN 7 WHEN 1 THEN 8 END
 WHERE feel IS NOT NULL;
ALTER TABLE workout_feedback DROP COLUMN feel;

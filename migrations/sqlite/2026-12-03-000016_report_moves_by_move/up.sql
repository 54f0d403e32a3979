-- Each cell of the reports page counts the cases of one kind of move (into a state, from some
-- states, with an outcome) in a year. Led by the effective day, the index made every cell read
-- every move of the year (40 cells × 40,000 moves at 100,000 cases); led by the state moved
-- into and the outcome, each cell reads only its own moves.
CREATE INDEX report_moves_move ON report_moves (t, o, effective, f, case_id);

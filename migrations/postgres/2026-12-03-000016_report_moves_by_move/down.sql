DROP INDEX report_moves_move;

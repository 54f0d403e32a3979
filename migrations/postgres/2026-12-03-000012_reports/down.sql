DROP INDEX events_others_at;
DROP INDEX events_moves_effective;

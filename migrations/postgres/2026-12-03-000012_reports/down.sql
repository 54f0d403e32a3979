DROP INDEX events_kind_at;
DROP INDEX events_moves_effective;

DROP INDEX watch_decisions_entry;
DROP INDEX cases_location;
DROP INDEX parties_name_key;
ALTER TABLE parties DROP COLUMN name_key;
DELETE FROM counters WHERE name = 'party-key-format';

DROP TABLE export_keys;

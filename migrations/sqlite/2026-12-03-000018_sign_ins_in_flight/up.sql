-- A sign-in attempt is written down before its password is weighed, so that attempts at the same
-- moment each see the ones before them. `weighing` tells an attempt still being weighed from a
-- failure: colleagues signing in together from one address wait for each other instead of being
-- refused, and only failures count towards a refusal.
ALTER TABLE login_failures ADD COLUMN weighing BOOLEAN NOT NULL DEFAULT 0;

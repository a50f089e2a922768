-- The citizen's name from the registers (issue 17), folded for a search that ignores case and diacritics.
-- Cases imported before names were recorded have none.
ALTER TABLE cases ADD COLUMN name_key TEXT NOT NULL DEFAULT '';

-- +goose Up
-- What a logbook search looks in when the reader may not see every asset an entry names.
-- search_text holds the names of the assets an entry names as they were written; a reader from
-- whom an asset's details are withheld is shown it by number only, and must not find the entry
-- by a word of its name either, or the finding would tell the name. public_text is search_text
-- with each asset named by its number alone, and such a reader looks in it for the entries that
-- name an asset withheld from them (decided on the asset as it is now, logbook/list.go).
--
-- public_text is '' when the entry names no asset: its search_text is public. It is NULL for
-- the entries written before this migration that name anything (a member of staff, an asset, a
-- department): which of their fields were assets is the pack's to say, not the database's, so
-- their public text cannot be written here. A search of a reader from whom an asset such an
-- entry names is withheld does not find it by any word; everyone else finds it as before.
--
-- Every word found in public_text is found in search_text, so the text index on search_text
-- (00012) still finds the candidates of both.
ALTER TABLE logbook_entries ADD COLUMN public_text TEXT;
UPDATE logbook_entries SET public_text = '' WHERE display_json = '{}';

-- +goose Down
ALTER TABLE logbook_entries DROP COLUMN public_text;

-- +goose Up
-- The register listed and searched fast at a million assets (issue 4).
--
-- Filters and orders: each order of the list (number, name, updated, rank) has an index that
-- gives it directly, so the first pages need not sort the whole register; the department filter,
-- the one staff always have, keeps the number order too, and the state filter (what is lent,
-- taken out, in repair) is mostly asked with a kind. asset_levels is read by asset for the
-- level filter, whose EXISTS probe the new index answers without touching the table.
DROP INDEX assets_department;
CREATE INDEX assets_department ON assets (org_id, department_id, number);
DROP INDEX assets_state;
CREATE INDEX assets_state ON assets (org_id, state, kind);
CREATE INDEX assets_name ON assets (org_id, name, number);
CREATE INDEX assets_updated ON assets (org_id, updated_at DESC, number);
CREATE INDEX assets_rank ON assets (org_id, top_rank DESC, number);
CREATE INDEX asset_levels_asset ON asset_levels (asset_id, axis, level);

-- Search: a word is found in the number, name, location, system or note of an asset: the
-- listing tests it with LIKE on those columns joined by spaces, and asks a text index first
-- for the assets that can hold it, through store.DB.TextCandidates. Both indexes also serve
-- two-character words (端末, 媒体), which a plain trigram index cannot.
--
-- SQLite: an FTS5 table with the trigram tokenizer. Its text is read from a view of the assets
-- (external content: the text is not stored twice) and triggers keep its index. A word of three
-- characters or more is looked up by its trigrams; a shorter one by the trigrams that begin
-- with it, found in the index's vocabulary (asset_search_terms). The text ends in two spaces so
-- that every character of it begins a trigram.
-- +mamori sqlite
CREATE VIEW asset_search_text AS
    SELECT id, number || ' ' || name || ' ' || location || ' ' || system_ref || ' ' || note || '  ' AS doc FROM assets;
CREATE VIRTUAL TABLE asset_search USING fts5(doc, content='asset_search_text', content_rowid='id', tokenize='trigram', detail=none);
CREATE VIRTUAL TABLE asset_search_terms USING fts5vocab(asset_search, 'row');
INSERT INTO asset_search (asset_search) VALUES ('rebuild');
-- +goose StatementBegin
CREATE TRIGGER asset_search_insert AFTER INSERT ON assets BEGIN
    INSERT INTO asset_search (rowid, doc)
        VALUES (new.id, new.number || ' ' || new.name || ' ' || new.location || ' ' || new.system_ref || ' ' || new.note || '  ');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER asset_search_update AFTER UPDATE OF number, name, location, system_ref, note ON assets BEGIN
    INSERT INTO asset_search (asset_search, rowid, doc)
        VALUES ('delete', old.id, old.number || ' ' || old.name || ' ' || old.location || ' ' || old.system_ref || ' ' || old.note || '  ');
    INSERT INTO asset_search (rowid, doc)
        VALUES (new.id, new.number || ' ' || new.name || ' ' || new.location || ' ' || new.system_ref || ' ' || new.note || '  ');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER asset_search_delete AFTER DELETE ON assets BEGIN
    INSERT INTO asset_search (asset_search, rowid, doc)
        VALUES ('delete', old.id, old.number || ' ' || old.name || ' ' || old.location || ' ' || old.system_ref || ' ' || old.note || '  ');
END;
-- +goose StatementEnd

-- SQLite plans from statistics, and without them it takes the organisation column for a
-- selective one and scans a whole register to find the few assets a search or a department
-- names. Nothing runs ANALYZE as the register grows, so the register's tables get statistics of
-- a large one here (a million assets, a hundred thousand per organisation, a thousand per
-- department): the plans they lead to are right for a large register and harmless for a small
-- one. A later ANALYZE replaces them with measured ones.
ANALYZE asset_levels;
DELETE FROM sqlite_stat1 WHERE tbl IN ('assets', 'asset_levels');
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('assets', 'sqlite_autoindex_assets_1', '1000000 100000 1'),
    ('assets', 'assets_department', '1000000 100000 1000 1'),
    ('assets', 'assets_kind', '1000000 100000 15000'),
    ('assets', 'assets_state', '1000000 100000 30000 5000'),
    ('assets', 'assets_name', '1000000 100000 50 1'),
    ('assets', 'assets_updated', '1000000 100000 2 1'),
    ('assets', 'assets_rank', '1000000 100000 30000 1'),
    ('asset_levels', 'sqlite_autoindex_asset_levels_1', '1500000 2 1'),
    ('asset_levels', 'asset_levels_filter', '1500000 150000 100000 30000'),
    ('asset_levels', 'asset_levels_asset', '1500000 2 1 1');
ANALYZE sqlite_schema;
-- +mamori end

-- PostgreSQL: a GIN index on the set of two-character pieces (bigrams) of the lower-cased text.
-- A word is looked up by its bigrams, so two characters suffice, and LIKE then confirms it. It
-- needs no extension (pg_trgm would not find words of two characters, and a database user may
-- not be allowed to create it); the function is plain SQL.
-- +mamori postgres
-- +goose StatementBegin
CREATE FUNCTION asset_search_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i)
$$;
-- +goose StatementEnd
CREATE INDEX asset_search ON assets USING gin
    (asset_search_bigrams(lower(number || ' ' || name || ' ' || location || ' ' || system_ref || ' ' || note)));
-- +mamori end

-- +goose Down
-- +mamori sqlite
DROP TRIGGER asset_search_delete;
DROP TRIGGER asset_search_update;
DROP TRIGGER asset_search_insert;
DROP TABLE asset_search_terms;
DROP TABLE asset_search;
DROP VIEW asset_search_text;
DELETE FROM sqlite_stat1 WHERE tbl IN ('assets', 'asset_levels');
-- +mamori end
-- +mamori postgres
DROP INDEX asset_search;
DROP FUNCTION asset_search_bigrams(text);
-- +mamori end
DROP INDEX asset_levels_asset;
DROP INDEX assets_rank;
DROP INDEX assets_updated;
DROP INDEX assets_name;
DROP INDEX assets_department;
CREATE INDEX assets_department ON assets (org_id, department_id);
DROP INDEX assets_state;
CREATE INDEX assets_state ON assets (org_id, state);

-- +goose Up
-- 記録簿: entries of the logbooks a pack defines (入退室管理簿, 記録媒体処理簿, 作業記録, 障害記録 …).
-- The pack's fields are kept as JSON (fields_json) with the names of the staff, assets and
-- departments they referred to when written (display_json), so that a printed ledger reads as
-- it did on the day. What the list filters on has columns of its own.
--
-- An entry is never changed: a correction is a new entry that supersedes it (supersedes_id),
-- and the old entry only learns by whom it was superseded (superseded_by_id). Confirmation by a
-- second person (上毛町 6(1)④ウ) fills the confirmed_* columns once; status is '' for a logbook
-- that needs none, 'pending' (未確認) until a different user confirms, then 'confirmed'.
CREATE TABLE logbook_entries (
    id                   {{id}},
    org_id               BIGINT NOT NULL REFERENCES organizations(id),
    logbook              TEXT NOT NULL,
    department_id        BIGINT NOT NULL REFERENCES departments(id),
    occurred_at          {{ts}} NOT NULL,
    fields_json          TEXT NOT NULL DEFAULT '{}',
    display_json         TEXT NOT NULL DEFAULT '{}',
    search_text          TEXT NOT NULL DEFAULT '',
    visitor              BOOLEAN NOT NULL DEFAULT FALSE,
    escort_staff_id      BIGINT REFERENCES staff(id),
    status               TEXT NOT NULL DEFAULT '',
    written_by_user_id   BIGINT,
    written_by_staff_id  BIGINT,
    written_by           TEXT NOT NULL,
    written_by_name      TEXT NOT NULL DEFAULT '',
    created_at           {{ts}} NOT NULL,
    confirmed_by_user_id BIGINT,
    confirmed_by         TEXT NOT NULL DEFAULT '',
    confirmed_by_name    TEXT NOT NULL DEFAULT '',
    confirmed_at         {{ts}},
    supersedes_id        BIGINT REFERENCES logbook_entries(id),
    superseded_by_id     BIGINT REFERENCES logbook_entries(id)
);
-- A logbook's current entries (not superseded) newest first, whole or for one department; the
-- unconfirmed ones; every logbook at once. superseded_by_id IS NULL is an equality to the
-- index, so a page is read in order and a total is counted from the index alone.
CREATE INDEX logbook_entries_list ON logbook_entries (org_id, logbook, superseded_by_id, occurred_at DESC, id DESC);
CREATE INDEX logbook_entries_department ON logbook_entries (org_id, logbook, department_id, superseded_by_id, occurred_at DESC, id DESC);
CREATE INDEX logbook_entries_status ON logbook_entries (org_id, logbook, status, superseded_by_id, occurred_at DESC, id DESC);
CREATE INDEX logbook_entries_all ON logbook_entries (org_id, occurred_at DESC, id DESC);
CREATE UNIQUE INDEX logbook_entries_supersedes ON logbook_entries (supersedes_id);

-- Search: words are looked for in search_text (the entry's values and names, lower-cased and
-- NFKC-folded when written), with a text index asked first as for the asset register (00008).
-- +mamori sqlite
CREATE VIRTUAL TABLE logbook_search USING fts5(search_text, content='logbook_entries', content_rowid='id', tokenize='trigram', detail=none);
CREATE VIRTUAL TABLE logbook_search_terms USING fts5vocab(logbook_search, 'row');
-- +goose StatementBegin
CREATE TRIGGER logbook_search_insert AFTER INSERT ON logbook_entries BEGIN
    INSERT INTO logbook_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER logbook_search_delete AFTER DELETE ON logbook_entries BEGIN
    INSERT INTO logbook_search (logbook_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
-- +goose StatementEnd
-- +mamori end
-- +mamori postgres
-- +goose StatementBegin
CREATE FUNCTION logbook_search_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i)
$$;
-- +goose StatementEnd
CREATE INDEX logbook_search ON logbook_entries USING gin (logbook_search_bigrams(search_text));
-- +mamori end

-- +goose Down
-- +mamori sqlite
DROP TRIGGER logbook_search_delete;
DROP TRIGGER logbook_search_insert;
DROP TABLE logbook_search_terms;
DROP TABLE logbook_search;
-- +mamori end
DROP TABLE logbook_entries;
-- +mamori postgres
DROP FUNCTION logbook_search_bigrams(text);
-- +mamori end

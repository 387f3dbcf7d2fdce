package store

import "strings"

// JSON fields of a TEXT column holding a JSON object (assets.attrs_json): SQLite reads them
// with json_extract and a path, PostgreSQL with ->> on the value cast to jsonb. Each helper
// returns an SQL expression with ? where an argument goes, and the arguments in order.

// JSONText is the field key of the object in column as text: JSON true and false as 'true'
// and 'false', a number as its digits, a string as itself; NULL when the field is absent.
func (db *DB) JSONText(column, key string) (string, []any) {
	if db.Engine == Postgres {
		return "(" + column + "::jsonb ->> ?)", []any{key}
	}
	path := jsonPath(key)
	// json_extract gives 1 and 0 for true and false; json_type tells them from numbers.
	return "(CASE json_type(" + column + ", ?) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(" +
		column + ", ?) AS TEXT) END)", []any{path, path}
}

// JSONNumber is the field key of the object in column as a number, NULL when the field is
// absent or not a number.
func (db *DB) JSONNumber(column, key string) (string, []any) {
	if db.Engine == Postgres {
		return "(CASE WHEN jsonb_typeof(" + column + "::jsonb -> ?) = 'number' THEN (" + column + "::jsonb ->> ?)::numeric END)",
			[]any{key, key}
	}
	path := jsonPath(key)
	return "(CASE WHEN json_type(" + column + ", ?) IN ('integer', 'real') THEN json_extract(" + column + ", ?) END)",
		[]any{path, path}
}

// jsonPath is SQLite's path to a top-level field, quoted so that any key is taken literally.
func jsonPath(key string) string {
	return `$."` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(key) + `"`
}

// Package assetio takes a municipality's existing asset sheets (.xlsx, or .csv in UTF-8 or
// Shift_JIS) into the register and writes the register back out as a sheet: the column
// mapping that understands the Japanese headers 課 use, a dry run that reports every bad row,
// an import that applies all rows or only the valid ones, and an export safe to open in Excel.
package assetio

import (
	"mamori/internal/asset"
	"mamori/internal/sheet"
	"mamori/internal/store"
)

// Format is a file format of an export.
type Format string

const (
	XLSX    Format = "xlsx"
	CSV     Format = "csv"      // UTF-8 with BOM, as Excel opens it without asking
	CSVSJIS Format = "csv-sjis" // Shift_JIS (CP932), for older tools
)

// ParseFormat reads a format name as a user types it.
func ParseFormat(s string) (Format, bool) {
	switch Format(s) {
	case XLSX, CSV, CSVSJIS:
		return Format(s), true
	case "sjis", "shift_jis", "csv_sjis":
		return CSVSJIS, true
	}
	return "", false
}

// RowError is one problem with one row of an imported file, as the user sees the sheet: the
// row number Excel shows and the column's header.
type RowError struct {
	Row       int    `json:"row"`
	Column    string `json:"column"`
	Kind      string `json:"kind"`    // what is wrong, as a catalog key (import.error.department …)
	Message   string `json:"message"` // Japanese
	MessageEn string `json:"message_en"`
}

// Report is what an import found and did.
type Report struct {
	Rows    int `json:"rows"`    // data rows read (blank rows are not counted)
	Valid   int `json:"valid"`   // rows without a problem
	Created int `json:"created"` // assets registered
	// With Options.Update: the valid rows that register a new asset, change one or say what the
	// register says, and the assets no row names that are marked as disposed of (with
	// DisposeMissing); after an apply, the assets changed and those marked as disposed of.
	New       int               `json:"new"`
	Changed   int               `json:"changed"`
	Unchanged int               `json:"unchanged"`
	Missing   int               `json:"missing"`
	Updated   int               `json:"updated"`
	Disposed  int               `json:"disposed"`
	Outcomes  []RowOutcome      `json:"outcomes"`               // the new, changed and missing, at most MaxOutcomes
	Cut       bool              `json:"outcomes_cut,omitempty"` // more than MaxOutcomes
	Errors    []RowError        `json:"errors"`                 // every problem, by row
	Summary   []ErrorCount      `json:"summary"`                // the problems by kind and column, most first
	Mapping   map[string]string `json:"mapping"`                // header → field id ("" for a column not imported)
	Applied   bool              `json:"applied"`                // whether anything was written
	// What was read: the header row in column order (for a mapping step), the row it is on,
	// the sheet of a workbook, and the file's encoding (xlsx, utf-8, utf-8-bom, utf-16,
	// shift_jis).
	Headers   []string `json:"headers"`
	HeaderRow int      `json:"header_row"`
	Sheet     string   `json:"sheet,omitempty"`
	Encoding  string   `json:"encoding"`
	// Up to three values of each column, in the order of Headers, and the distinct values of
	// the columns whose values may be mapped (see valuemap.go).
	Samples      [][]string    `json:"samples"`
	ValueColumns []ValueColumn `json:"value_columns"`
}

// Options steer an import.
type Options struct {
	DryRun    bool              // check every row and change nothing
	ValidOnly bool              // apply the valid rows and skip the bad ones (which Rejected returns)
	Mapping   map[string]string // header → field id, overriding the guess; "" leaves a column out
	// Update: a row whose 管理番号 is in the register changes that asset, if the importer may
	// change it; without it such a row is an error. DisposeMissing (with Update): the assets of
	// the departments the file's rows name, not disposed of, that the importer may change and
	// that no row names, are marked as disposed of on the day of the import.
	Update         bool
	DisposeMissing bool
	// Values maps cells of value columns to the pack's or the organisation's values: field id →
	// cell as written → level id, kind id or department code ("" to read the cell as it is).
	Values map[string]map[string]string
	// Progress, when set, is called every thousand rows: stage "check" while the file is read
	// and checked (total 0 until known), "apply" while assets are written.
	Progress func(stage string, done, total int)
}

// Importer takes files into the register.
type Importer struct {
	Assets   *asset.Service
	DB       *store.DB
	MaxBytes int64 // largest file accepted; 0 means DefaultMaxBytes
}

// Limits on what an import reads.
const (
	DefaultMaxBytes     = 50 << 20 // a file larger than this is refused
	MaxUnzippedBytes    = sheet.MaxUnzippedBytes
	MaxRows             = sheet.MaxRows
	maxHeaderSearchRows = 20 // title rows above the header row that are skipped
)

func (im *Importer) maxBytes() int64 {
	if im.MaxBytes > 0 {
		return im.MaxBytes
	}
	return DefaultMaxBytes
}

// Field is a field a column can be mapped to.
type Field struct {
	ID       string `json:"id"`    // number, name, class.importance, attrs.mfa …
	Label    string `json:"label"` // the Japanese header an export writes
	LabelEn  string `json:"label_en"`
	Required bool   `json:"required"`
}

// fixed are the fields every pack has, in the order an export writes them; the pack's axes
// follow the manager and its attributes come last.
var fixed = []Field{
	{"number", "管理番号", "Management number", true},
	{"name", "名称", "Name", true},
	{"kind", "種別", "Kind", true},
	{"department", "所属", "Department", true},
	{"department_code", "所属コード", "Department code", false},
	{"manager", "管理責任者", "Responsible manager", false},
	{"segment", "ネットワーク区分", "Network segment", false},
	{"zone", "セキュリティ区画", "Security zone", false},
	{"location", "設置場所", "Location", false},
	{"system_ref", "関連システム", "Related system", false},
	{"quantity", "数量", "Quantity", false},
	{"copies", "複製の保管場所", "Where copies are kept", false},
	{"state", "状態", "State", false},
	{"acquired_on", "取得日", "Acquired on", false},
	{"disposed_on", "廃棄日", "Disposed on", false},
	{"note", "備考", "Note", false},
}

// Fields returns the fields every organisation can import, with their Japanese headers. The
// pack's classification axes (class.AXIS) and attributes (attrs.ID) come on top: see
// FieldsFor.
func Fields() []Field { return append([]Field(nil), fixed...) }

func fixedField(id string) (Field, bool) {
	for _, f := range fixed {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

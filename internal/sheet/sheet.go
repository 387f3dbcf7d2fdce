// Package sheet reads an uploaded spreadsheet — an .xlsx workbook, or a CSV in UTF-8, UTF-16 or
// Shift_JIS as Excel for Japanese Windows saves it — row by row, refusing what is no sheet (a
// PDF, a photo, an .xls, a zip bomb) with a message that says so. Every import reads through it:
// the register, training attendance, account lists, the 人事異動 list.
package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"mamori/internal/apperr"
)

// Sheet is an uploaded sheet, read row by row as often as an import needs.
type Sheet interface {
	// Each calls fn with every row and its number as a spreadsheet shows it (from 1).
	Each(ctx context.Context, fn func(row int, cells []string) error) error
	// Encoding names what the file was: xlsx, utf-8, utf-8-bom, utf-16 or shift_jis.
	Encoding() string
	// Sheets lists a workbook's sheets in order; a CSV has one, named "".
	Sheets() []string
	// Use chooses the sheet Each reads ("" for the first).
	Use(name string)
	Close()
}

// Limits on what is read.
const (
	MaxUnzippedBytes = 200 << 20 // an .xlsx whose parts add up to more is refused (zip bomb)
	MaxRows          = 200_000   // data rows in one file
	MaxColumns       = 512
)

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // .xls, or an encrypted .xlsx
	utf8BOM  = []byte{0xEF, 0xBB, 0xBF}
)

// Open reads an uploaded file (at most max bytes) and recognises it from its content: a zip
// is an .xlsx, anything else a CSV in UTF-8 (with or without BOM), UTF-16 with BOM, or
// Shift_JIS.
func Open(filename string, r io.Reader, max int64) (Sheet, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, apperr.Wrap(err, "read upload")
	}
	if int64(len(data)) > max {
		return nil, apperr.New(apperr.TooLarge, "import.error.too_large", max>>20)
	}
	ext := strings.ToLower(filepath.Ext(filename))
	switch {
	case len(bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))) == 0:
		return nil, apperr.New(apperr.Invalid, "import.error.empty")
	case bytes.HasPrefix(data, zipMagic) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return openXLSX(data)
	case bytes.HasPrefix(data, oleMagic):
		return nil, apperr.New(apperr.Invalid, "import.error.xls")
	case ext == ".xlsx" || ext == ".xlsm":
		return nil, apperr.New(apperr.Invalid, "import.error.not_xlsx")
	}
	if kind := foreignKind(data); kind != "" {
		return nil, apperr.New(apperr.Invalid, "import.error.type", kind)
	}
	return openCSV(data)
}

// foreignMagic are the beginnings of files people choose by mistake instead of the register: a
// scanned or printed register, a photo of it.
var foreignMagic = []struct {
	magic, kind string
}{
	{"%PDF-", "PDF"},
	{"\x89PNG", "PNG"},
	{"\xFF\xD8\xFF", "JPEG"},
	{"GIF8", "GIF"},
	{"{\\rtf", "RTF"},
}

// foreignKind names the kind of a file that is plainly no sheet, or returns "".
func foreignKind(data []byte) string {
	for _, m := range foreignMagic {
		if bytes.HasPrefix(data, []byte(m.magic)) {
			return m.kind
		}
	}
	return ""
}

// openXLSX checks the zip's directory before anything is unpacked: parts that would unpack
// to more than MaxUnzippedBytes (a zip bomb) are refused, as is a zip that is not a workbook.
func openXLSX(data []byte) (Sheet, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "import.error.xlsx_broken")
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > MaxUnzippedBytes || len(zr.File) > 10_000 {
			return nil, apperr.New(apperr.TooLarge, "import.error.zip_bomb", MaxUnzippedBytes>>20)
		}
		if strings.EqualFold(f.Name, "xl/workbook.xml") {
			workbook = true
		}
	}
	if !workbook {
		return nil, apperr.New(apperr.Invalid, "import.error.not_xlsx")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: MaxUnzippedBytes,
		// Sheets and the shared strings larger than this are unpacked to temporary files and read
		// from there as the rows need them, instead of being decoded into memory whole.
		UnzipXMLSizeLimit: 1 << 20,
	})
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "import.error.xlsx_broken")
	}
	return &xlsxSource{f: f}, nil
}

type xlsxSource struct {
	f     *excelize.File
	sheet string // chosen by the import: the first sheet with a header row it recognises
}

func (x *xlsxSource) Encoding() string { return "xlsx" }
func (x *xlsxSource) Close()           { x.f.Close() }
func (x *xlsxSource) Sheets() []string { return x.f.GetSheetList() }
func (x *xlsxSource) Use(name string)  { x.sheet = name }

func (x *xlsxSource) Each(ctx context.Context, fn func(int, []string) error) error {
	sheet := x.sheet
	if sheet == "" {
		sheet = x.f.GetSheetName(0)
	}
	rows, err := x.f.Rows(sheet)
	if err != nil {
		return apperr.New(apperr.Invalid, "import.error.xlsx_broken")
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		// Raw values: a date is its serial day number whatever format shows it (excelize would
		// show the built-in short date as 04-01-26), a yes/no cell 1 or 0.
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return apperr.New(apperr.Invalid, "import.error.xlsx_broken")
		}
		if len(cells) > MaxColumns {
			cells = cells[:MaxColumns]
		}
		if err := fn(n, cells); err != nil {
			return err
		}
	}
	if errors.Is(rows.Error(), excelize.ErrMaxRows) {
		return apperr.New(apperr.TooLarge, "import.error.too_many_rows", MaxRows)
	}
	if rows.Error() != nil {
		return apperr.New(apperr.Invalid, "import.error.xlsx_broken")
	}
	return nil
}

// csvSource is a CSV held as uploaded and decoded on each pass, so that a Shift_JIS file is
// never held twice in memory.
type csvSource struct {
	data  []byte
	enc   string // utf-8, utf-8-bom, utf-16, shift_jis
	comma rune
}

func (c *csvSource) Encoding() string { return c.enc }
func (c *csvSource) Close()           {}
func (c *csvSource) Sheets() []string { return []string{""} }
func (c *csvSource) Use(string)       {}

func openCSV(data []byte) (Sheet, error) {
	c := &csvSource{data: data, enc: "utf-8"}
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		c.data, c.enc = data[len(utf8BOM):], "utf-8-bom"
		if !utf8.Valid(c.data) {
			return nil, undecodable(c.data)
		}
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		// Excel's "Unicode テキスト": UTF-16 with BOM, tab-separated.
		u, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(u, utf8.RuneError) {
			return nil, apperr.New(apperr.Invalid, "import.error.encoding")
		}
		c.data, c.enc = u, "utf-16"
	case bytes.IndexByte(data, 0) >= 0:
		return nil, apperr.New(apperr.Invalid, "import.error.encoding")
	case utf8.Valid(data):
	default:
		if err := undecodable(data); apperr.As(err).Key == "import.error.truncated" {
			return nil, err
		}
		// Not UTF-8: Shift_JIS (CP932) as Excel for Japanese Windows saves a CSV. A byte
		// sequence it cannot decode either makes the file unreadable as a whole.
		c.enc = "shift_jis"
		if replaced(c.reader()) {
			return nil, apperr.New(apperr.Invalid, "import.error.encoding")
		}
	}
	c.comma = sniffComma(c.head())
	return c, nil
}

// undecodable explains a file that is not valid UTF-8: cut off in the middle of a character
// at its end (a truncated upload), or in some other encoding.
func undecodable(data []byte) error {
	for cut := 1; cut <= 3 && cut < len(data); cut++ {
		if utf8.Valid(data[:len(data)-cut]) && !utf8.FullRune(data[len(data)-cut:]) {
			return apperr.New(apperr.Invalid, "import.error.truncated")
		}
	}
	return apperr.New(apperr.Invalid, "import.error.encoding")
}

// replaced reports whether a decoded stream holds U+FFFD, which the decoder puts for bytes it
// cannot read.
func replaced(r io.Reader) bool {
	mark := []byte(string(utf8.RuneError))
	buf := make([]byte, 64<<10)
	keep := 0
	for {
		n, err := r.Read(buf[keep:])
		if bytes.Contains(buf[:keep+n], mark) {
			return true
		}
		if err != nil {
			return err != io.EOF
		}
		// Keep the last bytes, in case the mark straddles two reads.
		if end := keep + n; end >= len(mark)-1 {
			keep = copy(buf, buf[end-(len(mark)-1):end])
		} else {
			keep = end
		}
	}
}

// head is the first line of the file, decoded.
func (c *csvSource) head() string {
	r := c.reader()
	buf := make([]byte, 4096)
	n, _ := io.ReadFull(r, buf)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	return line
}

func (c *csvSource) reader() io.Reader {
	var r io.Reader = bytes.NewReader(c.data)
	if c.enc == "shift_jis" {
		r = transform.NewReader(r, japanese.ShiftJIS.NewDecoder())
	}
	return r
}

// sniffComma tells a tab-separated file from a comma-separated one by its header line.
func sniffComma(line string) rune {
	if strings.Count(line, "\t") > strings.Count(line, ",") {
		return '\t'
	}
	return ','
}

func (c *csvSource) Each(ctx context.Context, fn func(int, []string) error) error {
	cr := csv.NewReader(c.reader())
	cr.Comma = c.comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	// Rows are numbered as a spreadsheet shows the file: a blank line is a row (encoding/csv
	// skips it), a quoted cell spanning lines is one.
	row, nextLine := 0, 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return apperr.New(apperr.Invalid, "import.error.csv", pe.StartLine)
		}
		if err != nil {
			return apperr.Wrap(err, "read csv")
		}
		line, _ := cr.FieldPos(0)
		row += 1 + line - nextLine
		nextLine = line + 1
		for _, f := range rec {
			nextLine += strings.Count(f, "\n")
		}
		if row%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if len(rec) > MaxColumns {
			rec = rec[:MaxColumns]
		}
		if err := fn(row, rec); err != nil {
			return err
		}
	}
}

package assetio

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/policy"
)

// exportPage is how many assets an export reads from the register at a time.
const exportPage = 500

// SheetName is the name of the worksheet an export writes.
const SheetName = "情報資産管理台帳"

// Export writes the assets the actor may read that match the filter, with Japanese headers
// that Import reads back, streaming them to w page by page. Text that a spreadsheet would take
// for a formula is neutralised.
func Export(ctx context.Context, s *asset.Service, who access.Actor, f asset.Filter, format Format, w io.Writer) error {
	p, _, err := s.Policy.Active(ctx, who.OrgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	if err != nil {
		return err
	}
	var out rowWriter
	switch format {
	case XLSX:
		out, err = newXLSXWriter(w)
	case CSV:
		out = newCSVWriter(w, false)
	case CSVSJIS:
		out = newCSVWriter(w, true)
	default:
		return apperr.InvalidField("format", "export.error.format")
	}
	if err != nil {
		return err
	}
	defer out.abort()
	codes, err := departmentCodes(ctx, s, who.OrgID)
	if err != nil {
		return err
	}
	cols := fieldsOf(p)
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.Label
	}
	if err := out.header(header); err != nil {
		return err
	}
	row := make([]any, len(cols))
	f.Limit = exportPage
	for f.Offset = 0; ; f.Offset += exportPage {
		list, total, err := s.List(ctx, who, f)
		if err != nil {
			return err
		}
		for _, a := range list {
			for i, c := range cols {
				row[i] = cell(p, codes, a, c.ID)
			}
			if err := out.row(row); err != nil {
				return err
			}
		}
		if len(list) < exportPage || f.Offset+len(list) >= total {
			break
		}
	}
	return out.finish()
}

// departmentCodes maps the organisation's department ids to their codes.
func departmentCodes(ctx context.Context, s *asset.Service, orgID int64) (map[int64]string, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id, code FROM departments WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "department codes")
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, apperr.Wrap(err, "department codes")
		}
		out[id] = code
	}
	return out, rows.Err()
}

// cell is what an export writes for one field of an asset: Japanese words for kinds, states,
// segments and zones, level ids, ○ and × for yes and no.
func cell(p *policy.Compiled, codes map[int64]string, a asset.Asset, field string) any {
	switch field {
	case "number":
		return a.Number
	case "name":
		return a.Name
	case "kind":
		return kindLabel(a.Kind)
	case "department":
		return a.DepartmentName
	case "department_code":
		return codes[a.DepartmentID]
	case "manager":
		return a.ManagerName
	case "segment":
		for _, s := range p.Segments {
			if s.ID == a.Segment {
				return s.Name
			}
		}
		return a.Segment
	case "zone":
		for _, z := range p.Zones {
			if z.ID == a.Zone {
				return z.Name
			}
		}
		return a.Zone
	case "location":
		return a.Location
	case "system_ref":
		return a.SystemRef
	case "quantity":
		return a.Quantity
	case "copies":
		return a.Copies
	case "state":
		return stateLabel(a.State)
	case "acquired_on":
		return a.AcquiredOn
	case "disposed_on":
		return a.DisposedOn
	case "note":
		return a.Note
	}
	if axis, ok := strings.CutPrefix(field, "class."); ok {
		return a.Class[axis]
	}
	if attr, ok := strings.CutPrefix(field, "attrs."); ok {
		switch v := a.Attrs[attr].(type) {
		case nil:
			return ""
		case bool:
			if v {
				return "○"
			}
			return "×"
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		default:
			return fmt.Sprint(v)
		}
	}
	return ""
}

// rowWriter writes an export in one format.
type rowWriter interface {
	header([]any) error
	row([]any) error
	finish() error
	abort() // releases what an unfinished export holds; harmless after finish
}

// text renders a cell as text, neutralised against formula injection.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return neutralize(x)
	case int:
		return strconv.Itoa(x)
	}
	return neutralize(fmt.Sprint(v))
}

type csvWriter struct {
	enc  io.WriteCloser // the Shift_JIS encoder, which must be closed to write its last bytes
	buf  *bufio.Writer
	csv  *csv.Writer
	sjis bool
	rec  []string
	ok   map[rune]bool // runes Shift_JIS can or cannot hold
}

// newCSVWriter writes CSV with CRLF line ends as Excel does: UTF-8 with a BOM, or Shift_JIS,
// in which a character it has no code for is written as 〓 (下駄記号), as Japanese systems do.
func newCSVWriter(w io.Writer, sjis bool) *csvWriter {
	c := &csvWriter{sjis: sjis, ok: map[rune]bool{}}
	if sjis {
		c.enc = transform.NewWriter(w, japanese.ShiftJIS.NewEncoder())
		w = c.enc
	}
	c.buf = bufio.NewWriterSize(w, 64<<10)
	if !sjis {
		c.buf.Write([]byte{0xEF, 0xBB, 0xBF}) // BOM: Excel then reads the file as UTF-8
	}
	c.csv = csv.NewWriter(c.buf)
	c.csv.UseCRLF = true
	return c
}

func (c *csvWriter) header(cells []any) error { return c.row(cells) }

func (c *csvWriter) row(cells []any) error {
	c.rec = c.rec[:0]
	for _, v := range cells {
		s := text(v)
		if c.sjis {
			s = c.encodable(s)
		}
		c.rec = append(c.rec, s)
	}
	return c.csv.Write(c.rec)
}

// encodable replaces the characters Shift_JIS cannot hold.
func (c *csvWriter) encodable(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			return r
		}
		ok, known := c.ok[r]
		if !known {
			_, err := japanese.ShiftJIS.NewEncoder().String(string(r))
			ok = err == nil
			c.ok[r] = ok
		}
		if !ok {
			return '〓'
		}
		return r
	}, s)
}

func (c *csvWriter) finish() error {
	c.csv.Flush()
	if err := c.csv.Error(); err != nil {
		return err
	}
	if err := c.buf.Flush(); err != nil {
		return err
	}
	if c.enc != nil {
		return c.enc.Close()
	}
	return nil
}

func (c *csvWriter) abort() {}

type xlsxWriter struct {
	w    io.Writer
	f    *excelize.File
	sw   *excelize.StreamWriter
	n    int
	bold int // style of the header row
}

// newXLSXWriter streams the sheet to a temporary file (excelize keeps only a small buffer in
// memory) and zips it into w at the end.
func newXLSXWriter(w io.Writer) (*xlsxWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		f.Close()
		return nil, apperr.Wrap(err, "xlsx sheet")
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		f.Close()
		return nil, apperr.Wrap(err, "xlsx stream")
	}
	style, err := f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	if err != nil {
		f.Close()
		return nil, apperr.Wrap(err, "xlsx style")
	}
	return &xlsxWriter{w: w, f: f, sw: sw, bold: style}, nil
}

func (x *xlsxWriter) header(cells []any) error {
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return apperr.Wrap(err, "xlsx panes")
	}
	for i, c := range cells {
		width := float64(utf8.RuneCountInString(fmt.Sprint(c)))*2 + 2
		if err := x.sw.SetColWidth(i+1, i+1, min(max(width, 10), 40)); err != nil {
			return apperr.Wrap(err, "xlsx width")
		}
	}
	return x.write(cells, excelize.RowOpts{StyleID: x.bold})
}

func (x *xlsxWriter) row(cells []any) error { return x.write(cells) }

func (x *xlsxWriter) write(cells []any, opts ...excelize.RowOpts) error {
	x.n++
	vals := make([]any, len(cells))
	for i, v := range cells {
		if n, ok := v.(int); ok {
			vals[i] = n
		} else {
			vals[i] = text(v)
		}
	}
	name, _ := excelize.CoordinatesToCellName(1, x.n)
	if err := x.sw.SetRow(name, vals, opts...); err != nil {
		return apperr.Wrap(err, "xlsx row")
	}
	return nil
}

func (x *xlsxWriter) finish() error {
	if err := x.sw.Flush(); err != nil {
		return apperr.Wrap(err, "xlsx flush")
	}
	if err := x.f.Write(x.w); err != nil {
		return apperr.Wrap(err, "xlsx write")
	}
	return x.f.Close()
}

func (x *xlsxWriter) abort() { x.f.Close() }

package assetio

import (
	"context"
	"io"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/sheet"
)

// Rejected headers: the columns Rejected adds after the file's own, which Import leaves out.
const (
	RejectedRowHeader   = "元の行番号"
	RejectedErrorHeader = "エラー内容"
)

// Rejected writes the rows of an imported file that the report found bad, as a CSV (UTF-8 with
// BOM) that Excel opens: the file's header row, then each bad row as it was, with two more
// columns — its row number in the original file and what is wrong with it. A user fixes the
// rows and imports the file as it is. r must be the file the report was made from.
func (im *Importer) Rejected(rep Report, filename string, r io.Reader, w io.Writer) error {
	msgs := map[int][]string{}
	for _, e := range rep.Errors {
		msgs[e.Row] = append(msgs[e.Row], "列「"+e.Column+"」: "+e.Message)
	}
	src, err := sheet.Open(filename, r, im.maxBytes())
	if err != nil {
		return err
	}
	defer src.Close()
	src.Use(rep.Sheet)
	out := newCSVWriter(w, false)
	width := len(rep.Headers)
	header := make([]any, 0, width+2)
	for _, h := range rep.Headers {
		header = append(header, h)
	}
	if err := out.header(append(header, RejectedRowHeader, RejectedErrorHeader)); err != nil {
		return err
	}
	ctx := context.Background()
	err = src.Each(ctx, func(row int, cells []string) error {
		m, bad := msgs[row]
		if !bad || row <= rep.HeaderRow {
			return nil
		}
		rec := make([]any, width, width+2)
		for i := range min(len(cells), width) {
			rec[i] = cells[i]
		}
		for i := len(cells); i < width; i++ {
			rec[i] = ""
		}
		return out.row(append(rec, strconv.Itoa(row), strings.Join(m, " / ")))
	})
	if err != nil {
		return apperr.As(err)
	}
	return out.finish()
}

// WriteErrors writes every problem of a report as a CSV (UTF-8 with BOM) that Excel opens: the
// row, the column and what is wrong, in Japanese or, with english, in English. It is the whole
// report of a file too large to show on one page.
func WriteErrors(rep Report, english bool, w io.Writer) error {
	out := newCSVWriter(w, false)
	header := []any{"行", "列", "エラー内容"}
	if english {
		header = []any{"Row", "Column", "Problem"}
	}
	if err := out.header(header); err != nil {
		return err
	}
	for _, e := range rep.Errors {
		msg := e.Message
		if english && e.MessageEn != "" {
			msg = e.MessageEn
		}
		if err := out.row([]any{e.Row, e.Column, msg}); err != nil {
			return err
		}
	}
	return out.finish()
}

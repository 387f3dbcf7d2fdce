package transfer

import (
	"bytes"
	"context"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/sheet"
)

// The columns of a 人事異動 list.
const (
	FieldEmployeeNo  = "employee_no"
	FieldName        = "name"
	FieldKind        = "kind"
	FieldFrom        = "from_department"
	FieldTo          = "to_department"
	FieldTitle       = "title"
	FieldDate        = "effective_on"
	FieldEmployment  = "employment"
	FieldDestination = "destination"
)

// Fields are the columns a list may have, in the order the mapping step shows them; the first
// four are required.
var Fields = []string{FieldEmployeeNo, FieldName, FieldKind, FieldDate, FieldFrom, FieldTo, FieldTitle, FieldEmployment, FieldDestination}

// Required reports whether every list must have the field.
func Required(field string) bool {
	switch field {
	case FieldEmployeeNo, FieldName, FieldKind, FieldDate:
		return true
	}
	return false
}

// headings are the usual Japanese column names of a 人事異動 list (発令一覧) for each field.
var headings = map[string][]string{
	FieldEmployeeNo:  {"職員番号", "職員コード", "職員no", "職員no.", "職員id", "職番", "社員番号", "個人コード", "番号", "employee_no", "employeeno"},
	FieldName:        {"氏名", "職員氏名", "職員名", "名前", "氏名(漢字)", "name"},
	FieldKind:        {"異動区分", "発令区分", "区分", "種別", "異動種別", "異動の種類", "発令種別", "kind"},
	FieldFrom:        {"旧所属", "現所属", "異動前所属", "前所属", "旧所属名", "旧配属", "異動前", "所属(旧)", "from", "from_department"},
	FieldTo:          {"新所属", "異動後所属", "異動先", "配属先", "新所属名", "新配属", "異動後", "所属(新)", "所属", "to", "to_department"},
	FieldTitle:       {"新職名", "職名", "新役職", "役職", "異動後職名", "職(新)", "新職", "title"},
	FieldDate:        {"発令日", "異動日", "発令年月日", "異動年月日", "効力発生日", "発令日付", "日付", "年月日", "effective_on", "date"},
	FieldEmployment:  {"職員区分", "任用区分", "雇用区分", "任用形態", "employment"},
	FieldDestination: {"出向先", "派遣先", "destination"},
}

var headingOf = func() map[string]string {
	out := map[string]string{}
	for f, words := range headings {
		for _, w := range words {
			out[assetio.HeaderKey(w)] = f
		}
	}
	return out
}()

// MaxBytes is the largest list accepted.
const MaxBytes = 10 << 20

// storedRow is a data row of the sheet as read: its number in the sheet and its cells.
type storedRow struct {
	N int      `json:"n"`
	C []string `json:"c"`
}

// readSheet reads the list: the heading row (the first of the first ten rows in which at least
// two headings are recognised; the first row otherwise), its headings and the data rows after
// it, blank rows left out.
func readSheet(ctx context.Context, filename string, data []byte) (enc string, headerRow int, headers []string, rows []storedRow, err error) {
	sh, err := sheet.Open(filename, bytes.NewReader(data), MaxBytes)
	if err != nil {
		return "", 0, nil, nil, err
	}
	defer sh.Close()
	var all []storedRow
	err = sh.Each(ctx, func(n int, cells []string) error {
		c := make([]string, len(cells))
		blank := true
		for i, v := range cells {
			c[i] = strings.TrimSpace(v)
			if c[i] != "" {
				blank = false
			}
		}
		if !blank {
			all = append(all, storedRow{N: n, C: c})
		}
		return nil
	})
	if err != nil {
		return "", 0, nil, nil, err
	}
	if len(all) == 0 {
		return "", 0, nil, nil, apperr.New(apperr.Invalid, "import.error.empty")
	}
	at := 0
	for i := 0; i < len(all) && i < 10; i++ {
		known := 0
		for _, h := range all[i].C {
			if _, ok := headingOf[assetio.HeaderKey(h)]; ok {
				known++
			}
		}
		if known >= 2 {
			at = i
			break
		}
	}
	return sh.Encoding(), all[at].N, all[at].C, all[at+1:], nil
}

// guessMapping names the field of each column: the organisation's choice in an earlier list
// with the same heading first, then the usual names. A field is given to one column only.
func guessMapping(headers []string, remembered map[string]string) []string {
	out := make([]string, len(headers))
	taken := map[string]bool{}
	for pass := 0; pass < 2; pass++ {
		for i, h := range headers {
			if out[i] != "" {
				continue
			}
			k := assetio.HeaderKey(h)
			f, ok := remembered[k]
			if pass == 1 {
				f, ok = headingOf[k]
			}
			if ok && f != "" && f != "-" && !taken[f] {
				out[i], taken[f] = f, true
			}
		}
	}
	return out
}

// checkMapping refuses a mapping that names a field twice or leaves a required field out.
func checkMapping(mapping []string) error {
	var v apperr.Validation
	seen := map[string]bool{}
	for _, f := range mapping {
		if f == "" {
			continue
		}
		if !contains(Fields, f) {
			v.Add("mapping", "transfer.error.field", f)
			continue
		}
		if seen[f] {
			v.Add(f, "transfer.error.mapped_twice")
		}
		seen[f] = true
	}
	for _, f := range Fields {
		if Required(f) && !seen[f] {
			v.Add(f, "transfer.error.column_missing")
		}
	}
	return v.Err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

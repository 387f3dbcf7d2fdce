package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/compliance"
)

// checkFailed is check's exit status when high or critical findings are open, or a rule of the
// pack cannot be evaluated: a scheduled job sees that something needs attention.
const checkFailed = 3

// checkCmd is `mamori check`: a full sweep of each organisation's register (or of --org CODE)
// against its pack's rules, the open findings printed in Japanese, and exit status 3 when high
// or critical findings are open or a rule is broken.
func checkCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, d := newFlagSet("check", stderr)
	orgCode := fs.String("org", "", "only the organisation with this code")
	all := fs.Bool("all", false, "print findings of every severity (default: medium and above)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	orgs, err := checkOrgs(ctx, s, strings.TrimSpace(*orgCode))
	if err != nil {
		return err
	}
	failed := false
	for _, o := range orgs {
		bad, err := checkOrg(ctx, s, o, *all, stdout)
		if err != nil {
			return err
		}
		failed = failed || bad
	}
	if failed {
		return &exitError{code: checkFailed, err: errors.New("重大度「高」以上の指摘事項又は評価できないルールがあります / high or critical findings are open, or a rule is broken")}
	}
	return nil
}

type checkedOrg struct {
	id         int64
	code, name string
}

func checkOrgs(ctx context.Context, s *app.Services, code string) ([]checkedOrg, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id, code, name FROM organizations WHERE pack_id <> '' AND ($1 = '' OR code = $1) ORDER BY id`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []checkedOrg
	for rows.Next() {
		var o checkedOrg
		if err := rows.Scan(&o.id, &o.code, &o.name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 && code != "" {
		return nil, fmt.Errorf("団体コード「%s」の団体（ポリシーパック適用済み）はありません / no organisation with code %q and a pack", code, code)
	}
	return out, nil
}

// checkOrg sweeps one organisation and prints what is open; it reports whether anything high,
// critical or broken is.
func checkOrg(ctx context.Context, s *app.Services, o checkedOrg, all bool, w io.Writer) (bool, error) {
	sys := access.System(o.id, "check")
	sw, err := s.Compliance.Run(ctx, sys)
	if err != nil {
		return false, fmt.Errorf("%s: %w", o.name, err)
	}
	f := compliance.Filter{MinSeverity: "medium", Limit: 500}
	if all {
		f.MinSeverity = ""
	}
	fmt.Fprintf(w, "■ %s（%s）: 情報資産 %d 件を点検、未対応の指摘事項 %d 件（重大 %d・高 %d・中 %d・低 %d）、例外措置により保留 %d 件\n",
		o.name, o.code, sw.Assets, sw.Open.Total(), sw.Open.Critical, sw.Open.High, sw.Open.Medium, sw.Open.Low, sw.Open.Suppressed)
	for offset := 0; ; offset += f.Limit {
		f.Offset = offset
		list, total, err := s.Compliance.Findings(ctx, sys, f)
		if err != nil {
			return false, err
		}
		for _, x := range list {
			fmt.Fprintf(w, "[%s] %s %s（%s）\n    資産 %s　所属 %s　値 %s\n", severityJa[x.Severity], x.RuleID, x.Title, x.Article,
				x.AssetNumber, orDash(x.DepartmentName), valuesText(x.Values))
		}
		if offset+len(list) >= total || len(list) == 0 {
			break
		}
	}
	broken, err := brokenRules(ctx, s.DB.SQL, o.id)
	if err != nil {
		return false, err
	}
	for _, b := range broken {
		fmt.Fprintf(w, "[評価不能] ルール %s は実行時に評価できません: %s\n", b[0], b[1])
	}
	return sw.Open.High+sw.Open.Critical > 0 || len(broken) > 0, nil
}

var severityJa = map[string]string{"low": "低", "medium": "中", "high": "高", "critical": "重大"}

func orDash(s string) string {
	if s == "" {
		return "－"
	}
	return s
}

// valuesText shows a finding's values as path=value, a missing value as 未設定.
func valuesText(v map[string]any) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		val := "未設定"
		if v[k] != nil {
			b, _ := json.Marshal(v[k])
			val = strings.Trim(string(b), `"`)
		}
		parts = append(parts, k+"="+val)
	}
	return strings.Join(parts, " ")
}

func brokenRules(ctx context.Context, db *sql.DB, orgID int64) ([][2]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT rule_id, error FROM compliance_rule_status WHERE org_id = $1 AND broken ORDER BY rule_id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var b [2]string
		if err := rows.Scan(&b[0], &b[1]); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

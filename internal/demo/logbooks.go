package demo

import (
	"fmt"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/i18n"
	"mamori/internal/logbook"
	"mamori/internal/policy"
)

// The demo logbooks: each logbook of the pack filled with a few weeks of invented entries,
// written by the people who keep it — the holder of its kept_by role, or a member of the
// department that runs the systems — through logbook.Service, so that each entry is checked
// against the pack and audited like one a user writes. Room access logs have visitors with
// their escort; in logbooks that need a second person, a colleague has confirmed all but the
// latest entries, which wait 未確認.

// logbookEntries is how many entries each demo logbook gets.
const logbookEntries = 8

func (b *builder) logbooks(p *policy.Compiled) error {
	today := time.Now()
	if b.s.Logbooks.Now != nil {
		today = b.s.Logbooks.Now()
	}
	for _, lb := range p.Logbooks {
		writer, checker := b.keepers(lb)
		if writer == nil {
			continue
		}
		dept := b.depts[writer.dept]
		var assets []int64
		rows, err := b.s.DB.SQL.QueryContext(b.ctx, `SELECT id FROM assets WHERE org_id = $1 AND department_id = $2 ORDER BY id LIMIT 20`, b.sys.OrgID, dept)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			assets = append(assets, id)
		}
		rows.Close()
		if len(assets) == 0 {
			var any int64
			if b.s.DB.SQL.QueryRowContext(b.ctx, `SELECT id FROM assets WHERE org_id = $1 ORDER BY id LIMIT 1`, b.sys.OrgID).Scan(&any) == nil {
				assets = append(assets, any)
			}
		}
		w := b.actorOf(writer)
		for i := range logbookEntries {
			at := workingTime(today, logbookEntries-i, i)
			in := logbook.Input{Logbook: lb.ID, DepartmentID: dept, Fields: map[string]any{}}
			for _, f := range lb.Fields {
				if v := demoValue(f, i, at, writer, checker, assets); v != nil {
					in.Fields[f.ID] = v
				}
			}
			if logbook.IsRoomAccess(lb) && i%3 == 1 {
				in.Visitor = true
				for _, f := range lb.Fields {
					if f.Type == "text" && (f.ID == "person" || f.ID == "name") {
						in.Fields[f.ID] = visitors[i%len(visitors)]
					}
				}
				if _, own := in.Fields["escort"]; own || hasField(lb, "escort") {
					in.Fields["escort"] = writer.id
				} else {
					in.EscortStaffID = writer.id
				}
			}
			e, err := b.s.Logbooks.Create(b.ctx, w, in)
			if err != nil {
				return fmt.Errorf("demo logbook %s: %w", lb.ID, err)
			}
			if e.Status == logbook.Pending && i < logbookEntries-2 {
				if _, err := b.s.Logbooks.Confirm(b.ctx, b.actorOf(checker), e.ID); err != nil {
					return fmt.Errorf("demo logbook %s confirmation: %w", lb.ID, err)
				}
			}
		}
	}
	return nil
}

// workingTime is when the entry back days ago (two weekdays apart per entry) was written: a
// weekday, within office hours (8:30–17:15), so that a stay of an hour and a half ends by 17:00.
func workingTime(today time.Time, back, i int) time.Time {
	d := today.In(i18n.Tokyo)
	for n := 0; n < 2*back; {
		d = d.AddDate(0, 0, -1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	starts := []struct{ h, m int }{{9, 0}, {10, 30}, {13, 15}, {14, 0}, {15, 30}, {8, 45}}
	st := starts[i%len(starts)]
	return time.Date(d.Year(), d.Month(), d.Day(), st.h, st.m, 0, 0, i18n.Tokyo)
}

func hasField(lb policy.Logbook, id string) bool {
	for _, f := range lb.Fields {
		if f.ID == id {
			return true
		}
	}
	return false
}

// keepers are who writes a demo logbook and who confirms it: the holder of its kept_by role
// (or, for a logbook kept by no role, a member of the department that holds the most roles)
// and a colleague of the same department.
func (b *builder) keepers(lb policy.Logbook) (writer, checker *member) {
	for _, m := range b.members {
		for _, r := range m.roles {
			if r == lb.KeptBy && m.dept != "" && writer == nil {
				writer = m
			}
		}
	}
	if writer == nil {
		for _, m := range b.members {
			if m.dept != "" && len(m.roles) > 0 && (writer == nil || len(m.roles) > len(writer.roles)) {
				writer = m
			}
		}
	}
	if writer == nil {
		return nil, nil
	}
	for _, m := range b.members {
		if m != writer && m.dept == writer.dept {
			return writer, m
		}
	}
	return writer, writer
}

// actorOf acts as a demo member: their staff record and department, with the system's right to
// write everywhere (their accounts are made after the data).
func (b *builder) actorOf(m *member) access.Actor {
	return access.Actor{OrgID: b.sys.OrgID, StaffID: m.id, DepartmentID: b.depts[m.dept], Login: "demo-" + m.name, Name: m.name, PlatformAdmin: true}
}

var visitors = []string{"株式会社みらい情報サービス 保守担当 田中", "日本ネットワーク工業 技術員 高橋", "県情報政策課 職員 伊藤"}

var demoTexts = map[string][]string{
	"reason":  {"サーバの定期保守", "バックアップ媒体の交換", "ネットワーク機器の点検", "空調設備の点検"},
	"work":    {"基幹系サーバのセキュリティパッチを適用し、再起動後の動作を確認した。", "バックアップテープを交換し、前日分の取得を確認した。", "ファイアウォールのログを確認し、異常のないことを確かめた。", "端末のウイルス対策ソフトの定義ファイル更新状況を確認した。"},
	"cause":   {"電源ユニットの経年劣化", "アップデート適用後の設定不整合", "回線事業者側の設備障害"},
	"default": {"定期点検を実施し、異常のないことを確認した。", "手順書に従い処理を行い、結果を確認した。", "担当者間で内容を確認し、記録した。"},
	"place":   {"本庁舎3階 サーバ室", "財務会計システム", "庁内LAN 基幹スイッチ"},
	"short":   {"定期作業", "臨時対応", "点検"},
}

func pick(key string, i int) string {
	list, ok := demoTexts[key]
	if !ok {
		list = demoTexts["default"]
	}
	return list[i%len(list)]
}

// demoValue is a plausible value of a field for the i-th entry.
func demoValue(f policy.Field, i int, at time.Time, writer, checker *member, assets []int64) any {
	id := strings.ToLower(f.ID)
	switch f.Type {
	case "datetime":
		if strings.Contains(id, "left") || strings.Contains(id, "exit") || strings.Contains(id, "logout") || strings.Contains(id, "recovered") {
			return at.Add(90 * time.Minute).Format(time.RFC3339)
		}
		return at.Format(time.RFC3339)
	case "date":
		if strings.Contains(id, "return") && i%2 == 0 {
			return nil
		}
		return at.Format(time.DateOnly)
	case "enum":
		return f.Values[i%len(f.Values)]
	case "bool":
		return i%2 == 0
	case "number":
		return i + 1
	case "staff":
		if strings.Contains(id, "confirm") {
			return checker.id
		}
		return writer.id
	case "asset":
		if len(assets) == 0 {
			return nil
		}
		return assets[i%len(assets)]
	case "department":
		return nil
	case "textarea":
		switch {
		case strings.Contains(id, "cause"):
			return pick("cause", i)
		case strings.Contains(id, "work") || strings.Contains(id, "content") || strings.Contains(id, "details") || strings.Contains(id, "change"):
			return pick("work", i)
		}
		return pick("default", i)
	}
	switch {
	case id == "person" || id == "name":
		return writer.name
	case strings.Contains(id, "reason"):
		return pick("reason", i)
	case strings.Contains(id, "place") || strings.Contains(id, "location"):
		return pick("place", i)
	case strings.Contains(id, "user_id"):
		return fmt.Sprintf("u%04d", 100+i)
	case strings.Contains(id, "terminal"):
		return fmt.Sprintf("PC-%03d", 10+i)
	case strings.Contains(id, "affiliation"):
		return "情報政策担当"
	case strings.Contains(id, "incident"):
		return "不審メールの受信（第" + fmt.Sprint(i+1) + "報）"
	}
	return pick("short", i)
}

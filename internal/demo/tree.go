package demo

import "mamori/internal/policy"

type dept struct {
	name, kind string
	children   []dept
}

// treeFor is the fictional organisation chart the demo starts from: a town hall for
// municipalities and prefectures, a board of education with its schools for a board.
func treeFor(p *policy.Compiled) []dept {
	if p.Kind == "board_of_education" {
		return []dept{{"教育委員会", "board", []dept{
			{"教育総務課", "section", []dept{{"学校教育係", "unit", nil}}},
			{"デモ町立第一小学校", "school", nil},
			{"デモ町立第二小学校", "school", nil},
			{"デモ町立中学校", "school", nil},
		}}}
	}
	return []dept{
		{"総務部", "division", []dept{
			{"総務課", "section", []dept{{"人事係", "unit", nil}}},
			{"財政課", "section", nil},
		}},
		{"住民福祉部", "division", []dept{
			{"住民課", "section", []dept{{"窓口係", "unit", nil}}},
			{"税務課", "section", nil},
			{"福祉課", "section", nil},
		}},
		{"建設部", "division", []dept{{"建設課", "section", nil}}},
		{"会計課", "section", nil},
	}
}

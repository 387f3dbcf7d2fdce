package demo

import "mamori/internal/policy"

type dept struct {
	name, kind string
	noHead     bool // a department without a head of its own (the office of the 町長)
	children   []dept
}

// treeFor is the fictional organisation chart of a pack without a shape (shape.go): a town
// hall for municipalities and prefectures, a board of education with its schools for a board.
func treeFor(p *policy.Compiled) []dept {
	if p.Kind == "board_of_education" {
		return []dept{{name: "教育委員会", kind: "board", children: []dept{
			sec("教育総務課", unitOf("学校教育係")),
			schoolOf("デモ町立第一小学校"),
			schoolOf("デモ町立第二小学校"),
			schoolOf("デモ町立中学校"),
		}}}
	}
	return []dept{
		div("総務部", sec("総務課", unitOf("人事係")), sec("財政課")),
		div("住民福祉部", sec("住民課", unitOf("窓口係")), sec("税務課"), sec("福祉課")),
		div("建設部", sec("建設課")),
		sec("会計課"),
	}
}

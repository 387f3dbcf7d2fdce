package asset

import (
	"sort"

	"mamori/internal/policy"
)

// The details of an asset of the highest class (最高分類) are seen only by the owning
// department's staff, the security roles and auditors (reach).
//
// Highest class: an asset is of the highest class when, on any axis of the pack, its level is
// one of the levels of that axis's highest rank — 上毛町 I; 岸和田市, 安平町 and the base pack
// A; 山形県 and 土岐市 機密性3, 完全性2 or 可用性2. Any axis, not the confidentiality axis alone: a pack
// does not say which of its axes is about secrecy, and where the assets whose tampering or
// loss would hurt most are kept, and how, is worth as much to an attacker as the secrets; the
// rule errs on the side of hiding.
//
// Security roles: the roles the pack marks `security: true` (policy.Role.Security), which an
// actor's grants carry (access.Grant.Security). Organisation-wide, they see every asset's
// details; department-wide, the details of that department's assets. The shipped packs mark:
//
//	base          ciso, chief_security_officer, csirt (organisation); security_officer (department)
//	koge          ciso, chief, security_manager (organisation in 上毛町), poc (統一的な窓口)
//	toki          those of base
//	abira-kyoiku  cio (最高情報統括責任者, CISO of the board); security_manager (department)
//	kishiwada     ciso, ciso_assistant, csirt_lead, incident_handler, csirt_member (organisation);
//	              security_manager, security_officer, security_admin (department)
//	yamagata      ciso, chief, deputy_chief, csirt_head, csirt_deputy, csirt_manager
//	              (organisation); security_officer, security_manager (department)
//
// Not security roles: ネットワーク管理者 and the 情報システム管理者 and their staff (they
// run networks and systems, not the classification of what is on them); committees, councils
// and 本部 (bodies that deliberate, not people who handle assets); advisers and the
// ＣＳＩＲＴ要員 called in only when needed (財政, 法務, 広報); 報道監; facility managers;
// social-media owners; the 職員等 role everyone holds (marked `all_staff: true`, which widens
// nothing). Audit roles are auditors (read all, change nothing) whatever their marks.

// topLevels is, for each axis of a pack, the levels of the axis's highest rank.
type topLevels map[string][]string

func topLevelsOf(p *policy.Compiled) topLevels {
	out := topLevels{}
	if p == nil {
		return out
	}
	for _, axis := range p.Classification.Axes {
		hi, ids := 0, []string(nil)
		for i, l := range axis.Levels {
			switch {
			case i == 0 || l.Rank > hi:
				hi, ids = l.Rank, []string{l.ID}
			case l.Rank == hi:
				ids = append(ids, l.ID)
			}
		}
		if len(ids) > 0 {
			out[axis.ID] = ids
		}
	}
	return out
}

// highest reports whether a classification is of the highest class.
func (t topLevels) highest(class map[string]string) bool {
	for axis, level := range class {
		for _, id := range t[axis] {
			if id == level {
				return true
			}
		}
	}
	return false
}

// axes returns the axis ids in order, so that conditions built from them read the same each
// time.
func (t topLevels) axes() []string {
	out := make([]string, 0, len(t))
	for a := range t {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// HighestOf returns the test of whether a classification is of the highest class under the
// pack, for a service that groups assets it reads elsewhere (the risk analysis).
func HighestOf(p *policy.Compiled) func(class map[string]string) bool {
	return topLevelsOf(p).highest
}

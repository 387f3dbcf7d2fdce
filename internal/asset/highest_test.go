package asset

import (
	"reflect"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/packs"
)

func TestHighestClassOfEachPack(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pack    string
		want    topLevels
		highest []map[string]string
		not     []map[string]string
	}{
		{"koge", topLevels{"importance": {"I"}}, []map[string]string{{"importance": "I"}}, []map[string]string{{"importance": "II"}}},
		{"kishiwada", topLevels{"importance": {"A"}}, []map[string]string{{"importance": "A"}}, []map[string]string{{"importance": "B"}}},
		{"abira-kyoiku", topLevels{"importance": {"A"}}, nil, nil},
		// 土岐市 6(2) classifies on 機密性・完全性・可用性; the levels are the common standard's.
		{"toki", topLevels{"confidentiality": {"3"}, "integrity": {"2"}, "availability": {"2"}},
			[]map[string]string{
				{"confidentiality": "3", "integrity": "1", "availability": "1"},
				{"confidentiality": "1", "integrity": "2", "availability": "1"},
				{"confidentiality": "2", "integrity": "1", "availability": "2"},
			},
			[]map[string]string{{"confidentiality": "2", "integrity": "1", "availability": "1"}, {"importance": "A"}}},
		{"yamagata", topLevels{"confidentiality": {"3"}, "integrity": {"2"}, "availability": {"2"}},
			[]map[string]string{
				{"confidentiality": "3", "integrity": "1", "availability": "1"},
				{"confidentiality": "1", "integrity": "2", "availability": "1"},
				{"confidentiality": "1", "integrity": "1", "availability": "2"},
			},
			[]map[string]string{{"confidentiality": "2", "integrity": "1", "availability": "1"}}},
	} {
		t.Run(c.pack, func(t *testing.T) {
			p, ok := lib.Get(c.pack)
			if !ok {
				t.Fatalf("no pack %s", c.pack)
			}
			top := topLevelsOf(p)
			if !reflect.DeepEqual(top, c.want) {
				t.Fatalf("highest levels = %v, want %v", top, c.want)
			}
			for _, class := range c.highest {
				if !top.highest(class) {
					t.Errorf("%v is not of the highest class", class)
				}
			}
			for _, class := range c.not {
				if top.highest(class) {
					t.Errorf("%v is of the highest class", class)
				}
			}
		})
	}
}

// TestPacksMarkTheirSecurityRoles: the roles each shipped pack marks as security roles and as
// the role every member of staff holds, as the comment on reach lists them.
func TestPacksMarkTheirSecurityRoles(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	for pack, want := range map[string]struct{ security, allStaff string }{
		"koge":         {"ciso chief security_manager poc", "staff"},
		"toki":         {"ciso chief_security_officer security_officer csirt", ""},
		"abira-kyoiku": {"cio security_manager", "staff"},
		"kishiwada":    {"ciso ciso_assistant security_manager security_officer csirt_lead incident_handler csirt_member security_admin", "staff"},
		"yamagata":     {"ciso chief deputy_chief security_officer security_manager csirt_head csirt_deputy csirt_manager", "staff"},
	} {
		p, ok := lib.Get(pack)
		if !ok {
			t.Fatalf("no pack %s", pack)
		}
		var security, allStaff []string
		for _, r := range p.Roles {
			if r.Security {
				security = append(security, r.ID)
			}
			if r.AllStaff {
				allStaff = append(allStaff, r.ID)
			}
		}
		if got := strings.Join(security, " "); got != want.security {
			t.Errorf("%s: security roles %q, want %q", pack, got, want.security)
		}
		if got := strings.Join(allStaff, " "); got != want.allStaff {
			t.Errorf("%s: all-staff roles %q, want %q", pack, got, want.allStaff)
		}
	}
}

func TestReach(t *testing.T) {
	const own, other = 10, 20
	staff := access.Actor{OrgID: 1, UserID: 5, DepartmentID: own}
	with := func(a access.Actor, g ...access.Grant) access.Actor { a.Roles = g; return a }
	admin := access.Actor{OrgID: 1, UserID: 1, PlatformAdmin: true}
	for _, c := range []struct {
		name                              string
		who                               access.Actor
		readOther, writeOther, seesOther  bool
		readOwn, writeOwn, seesOwnDetails bool
	}{
		{"staff", staff, false, false, false, true, false, true},
		{"the 職員等 role everyone holds", with(staff, access.Grant{RoleID: "staff", Scope: "organization", AllStaff: true}), false, false, false, true, false, true},
		{"CISO", with(staff, access.Grant{RoleID: "ciso", Scope: "organization", Security: true}), true, true, true, true, true, true},
		{"auditor", with(staff, access.Grant{RoleID: "audit_chief", Scope: "organization", Auditor: true}), true, false, true, true, false, true},
		{"情報セキュリティ管理者 of the other department", with(staff, access.Grant{RoleID: "security_manager", Scope: "department", DepartmentID: other, Security: true}),
			true, true, true, true, false, true},
		{"a non-security department role", with(staff, access.Grant{RoleID: "facility_manager", Scope: "department", DepartmentID: other}),
			true, true, false, true, false, true},
		{"ネットワーク管理者", with(staff, access.Grant{RoleID: "network_admin", Scope: "organization"}), true, true, false, true, true, true},
		{"platform administrator", admin, true, true, false, true, true, false},
		{"the system", access.System(1, "cli"), true, true, true, true, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := reachOf(c.who)
			got := []bool{r.canRead(other, ""), r.canWrite(other, ""), r.seesDetails(other, ""), r.canRead(own, ""), r.canWrite(own, ""), r.seesDetails(own, "")}
			want := []bool{c.readOther, c.writeOther, c.seesOther, c.readOwn, c.writeOwn, c.seesOwnDetails}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("read/write/details of the other department, then of their own = %v, want %v", got, want)
			}
		})
	}
}

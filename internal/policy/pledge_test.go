package policy

import (
	"os"
	"strings"
	"testing"
)

const townPledge = `
pledges:
  - id: consent
    title: 同意書
    signers: {employment: [part_time], roles: [manager]}
    when: [hire, policy_change]
    text: 遵守します。
    cite: {article: "5(1)", quote: "同意書への署名を求める"}
`

func TestPledgesAreValidated(t *testing.T) {
	base, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Replace(string(base), "\nrules:", townPledge+"rules:", 1)
	p, err := loadOne(t, good)
	if err != nil {
		t.Fatalf("a good pledge is refused: %v", err)
	}
	x, ok := p.Pledge("consent")
	if !ok || !x.Binds("part_time", nil) || !x.Binds("regular", []string{"manager"}) || x.Binds("regular", nil) {
		t.Fatalf("pledge %+v binds the wrong people", x)
	}
	if !x.On(PledgeOnHire) || x.On(PledgeOnContractStart) || len(x.TextSHA256()) != 64 {
		t.Fatalf("pledge %+v: events or hash wrong", x)
	}
	for _, c := range []struct{ from, to, path, message string }{
		{"employment: [part_time]", "employment: [temp]", "pledges[consent].signers.employment[0]", `employment "temp"`},
		{"roles: [manager]", "roles: [boss]", "pledges[consent].signers.roles[0]", `unknown role "boss"`},
		{"when: [hire, policy_change]", "when: [yearly]", "pledges[consent].when[0]", `event "yearly"`},
		{"text: 遵守します。", "text: ''", "pledges[consent].text", "text"},
		{"signers: {employment: [part_time], roles: [manager]}", "signers: {}", "pledges[consent].signers", "who must sign"},
	} {
		_, err := loadOne(t, strings.Replace(good, c.from, c.to, 1))
		if err == nil || !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.message) {
			t.Errorf("%s → %s: error %v, want %s: %s", c.from, c.to, err, c.path, c.message)
		}
	}
}

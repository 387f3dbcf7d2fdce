package policy

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

const townRisk = `
risk:
  cite: {article: "8", origin: added, reason: 原典は尺度を定めない}
  likelihood:
    - {id: rare, name: まれ}
    - {id: likely, name: 起こりうる}
  impact:
    - {id: small, name: 小, classes: ["importance:III"]}
    - {id: large, name: 大, classes: ["importance:I", "importance:II"]}
  levels:
    - {id: low, name: 低}
    - {id: high, name: 高}
  matrix:
    - {likelihood: rare, cells: [low, low]}
    - {likelihood: likely, cells: [low, high]}
  treatments:
    - {id: reduce, name: 低減}
    - {id: accept, name: 受容}
  accepted_by: ciso
  accept_days: 365
`

func townWithRisk(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + townRisk
}

func TestRiskMatrixOfAPack(t *testing.T) {
	c, err := loadOne(t, townWithRisk(t))
	if err != nil {
		t.Fatal(err)
	}
	r := c.Risk
	if got := r.LevelOf("likely", "large"); got != "high" {
		t.Errorf("likely × large = %q, want high", got)
	}
	if got := r.LevelOf("rare", "large"); got != "low" {
		t.Errorf("rare × large = %q, want low", got)
	}
	if got := r.LevelOf("never", "large"); got != "" {
		t.Errorf("unknown likelihood gave %q", got)
	}
	if got := r.ImpactOf(map[string]string{"importance": "II"}); got != "large" {
		t.Errorf("impact of II = %q", got)
	}
	if got := r.ImpactOf(map[string]string{}); got != "small" {
		t.Errorf("impact of an unclassified asset = %q, want the lowest", got)
	}
	if _, ok := r.Treatment("accept"); !ok {
		t.Error("treatment accept not found")
	}
}

func TestRiskProblemsNameTheElement(t *testing.T) {
	for _, c := range []struct{ name, from, to, path, message string }{
		{"unknown risk level in a cell", "cells: [low, high]", "cells: [low, severe]", "risk.matrix[1].cells[1]", `unknown risk level "severe"`},
		{"a row too short", "cells: [low, high]", "cells: [low]", "risk.matrix[1].cells", "one per impact level"},
		{"a level falling with likelihood", "- {likelihood: rare, cells: [low, low]}", "- {likelihood: rare, cells: [high, high]}", "risk.matrix[1].cells[0]", "lower likelihood"},
		{"rows out of order", "- {likelihood: likely, cells: [low, high]}", "- {likelihood: rare, cells: [low, high]}", "risk.matrix[1].likelihood", "follow the likelihood scale"},
		{"unknown classification level", `"importance:III"`, `"importance:V"`, "risk.impact[small].classes[0]", `no level "V"`},
		{"unknown axis", `"importance:III"`, `"secrecy:III"`, "risk.impact[small].classes[0]", "axis:level"},
		{"unknown treatment", "{id: accept, name: 受容}", "{id: ignore, name: 無視}", "risk.treatments[ignore].id", `"ignore" is not one of`},
		{"unknown accepting role", "accepted_by: ciso", "accepted_by: mayor", "risk.accepted_by", `unknown role "mayor"`},
		{"no expiry", "accept_days: 365", "accept_days: 0", "risk.accept_days", "1–1098"},
		{"added without a reason", "origin: added, reason: 原典は尺度を定めない", "origin: added", "risk.cite.reason", "reason"},
		{"one-level scale", "    - {id: likely, name: 起こりうる}\n", "", "risk.likelihood", "at least two"},
	} {
		t.Run(c.name, func(t *testing.T) {
			y := townWithRisk(t)
			if !strings.Contains(y, c.from) {
				t.Fatalf("fixture lacks %q", c.from)
			}
			_, err := loadOne(t, strings.Replace(y, c.from, c.to, 1))
			if err == nil {
				t.Fatal("loaded without a problem")
			}
			found := false
			for _, line := range strings.Split(err.Error(), "\n") {
				if strings.Contains(line, c.path) && strings.Contains(line, c.message) && strings.Contains(line, "t.yaml") {
					found = true
				}
			}
			if !found {
				t.Fatalf("no problem at %s mentioning %q in:\n%v", c.path, c.message, err)
			}
		})
	}
}

func TestRiskIsInheritedPartByPart(t *testing.T) {
	child := `id: village
name: テスト村
organization: テスト村
kind: municipality
version: "1"
source: village.txt
extends: town
risk:
  impact:
    - {id: small, name: 小}
    - {id: large, name: 大, classes: ["importance:I"]}
`
	lib, err := LoadFS(fstest.MapFS{"town.yaml": {Data: []byte(townWithRisk(t))}, "village.yaml": {Data: []byte(child)}}, ".")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := lib.Get("village")
	if v.Risk.LevelOf("likely", "large") != "high" || v.Risk.AcceptedBy != "ciso" || !v.Inherited["risk/matrix"] || v.Inherited["risk/impact"] {
		t.Fatalf("risk = %+v, inherited %v", v.Risk, v.Inherited)
	}
	if v.Risk.ImpactOf(map[string]string{"importance": "II"}) != "small" {
		t.Fatal("the child's own impact scale was not used")
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/review"
	"mamori/internal/store"
)

// TestReviewCommands (岸和田市, SQLite): the ネットワーク管理者 registers a procedure with its
// file; a clerk's list does not show it; a file of the wrong type is refused in Japanese and
// English; the CISO's review is listed and reported with its proposal.
func TestReviewCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := store.Config{DataDir: dir}
	flags := []string{"--data", dir}
	registerData(t, cfg)
	s := services(t, cfg)
	ctx := t.Context()
	o, err := s.Org.First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sys := access.System(o.ID, "test")
	tree, err := s.Org.Tree(ctx, sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ login, role string }{{"net", "network_admin"}, {"ciso", "ciso"}, {"clerk", ""}} {
		st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: tree[0].ID, EmployeeNo: "E-" + p.login, Name: p.login,
			Employment: "regular", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if p.role != "" {
			if _, err := s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: p.role, Scope: "organization", HolderStaffID: st.ID}); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: p.login, DisplayName: p.login, StaffID: st.ID}); err != nil {
			t.Fatal(err)
		}
	}
	doc := filepath.Join(t.TempDir(), "手順.pdf")
	exe := filepath.Join(t.TempDir(), "手順.exe")
	if os.WriteFile(doc, []byte("%PDF-1.4\n手順"), 0o600) != nil || os.WriteFile(exe, []byte("MZ\x90"), 0o600) != nil {
		t.Fatal("write files")
	}
	add := []string{"procedure", "add", "--title", "ネットワーク運用手順", "--version", "第1版", "--owner", "network_admin",
		"--article", "第2章 5(1)①", "--review-on", "2030-03-31", "--as", "net"}
	_, _, err = cli(t, append(append(add, "--file", exe), flags...)...)
	if err == nil || !strings.Contains(err.Error(), "登録できない種類") || !strings.Contains(err.Error(), " / ") {
		t.Fatalf("a program as a procedure: %v", err)
	}
	if out := mustCLI(t, append(append(add, "--file", doc), flags...)...); !strings.Contains(out, "を登録しました") {
		t.Fatalf("add:\n%s", out)
	}
	if out := mustCLI(t, append([]string{"procedure", "list", "--as", "net"}, flags...)...); !strings.Contains(out, "ネットワーク運用手順") {
		t.Fatalf("the owner's list:\n%s", out)
	}
	if out := mustCLI(t, append([]string{"procedure", "list", "--as", "clerk"}, flags...)...); !strings.Contains(out, "全 0 件") {
		t.Fatalf("a clerk's list:\n%s", out)
	}

	ciso, err := s.Auth.ActAs(ctx, "ciso")
	if err != nil {
		t.Fatal(err)
	}
	rv, err := s.Reviews.Open(ctx, ciso, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reviews.Propose(ctx, ciso, rv.ID, review.ProposalInput{Article: "第2章 5(1)①", Kind: review.Amend, Text: "対策ソフトの更新頻度を定める"}); err != nil {
		t.Fatal(err)
	}
	if out := mustCLI(t, append([]string{"review", "list", "--as", "ciso"}, flags...)...); !strings.Contains(out, "提案受付中") {
		t.Fatalf("review list:\n%s", out)
	}
	out := mustCLI(t, append([]string{"review", "report", "1", "--as", "ciso"}, flags...)...)
	if !strings.Contains(out, "第2章 5(1)①") || !strings.Contains(out, "対策ソフトの更新頻度を定める") {
		t.Fatalf("review report:\n%s", out)
	}
	if _, _, err := cli(t, append([]string{"review", "report", "1", "--as", "clerk"}, flags...)...); err == nil {
		t.Fatal("a clerk reads the review")
	}
}

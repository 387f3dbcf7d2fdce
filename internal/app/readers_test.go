package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryAuditedKindHasAReader: every kind of record a service writes to the audit log has
// its rule for who reads the entries in full. A kind without one is withheld from every reader
// (auditlog.Readers), so a new kind missed here would hide its entries, not show them; this
// test makes the choice explicit.
func TestEveryAuditedKindHasAReader(t *testing.T) {
	readers := auditReaders(nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)
	kind := regexp.MustCompile(`Entity:\s*"([a-z_]+)"`)
	found := map[string]string{}
	for _, root := range []string{"..", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range kind.FindAllStringSubmatch(string(b), -1) {
				found[m[1]] = path
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(found) < 10 {
		t.Fatalf("found only %v: the search no longer sees the services", found)
	}
	for k, path := range found {
		if readers[k] == nil {
			t.Errorf("%s writes audit entries of kind %q, which has no reader in auditReaders", path, k)
		}
	}
}

package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"mamori/internal/i18n"
	"mamori/internal/org"
)

// TestTemplateKeysExistInBothCatalogs fails when a template names a catalog key that either
// language lacks, including the keys built from domain values (department kinds, employment).
func TestTemplateKeysExistInBothCatalogs(t *testing.T) {
	keyRe := regexp.MustCompile(`\.T "([a-z0-9_.]+)"|\(arr [^)]*"[a-z_]+" "([a-z0-9_.]+)"`)
	var keys []string
	err := fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFiles.ReadFile(path)
		for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1]+m[2])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range org.DepartmentKinds {
		keys = append(keys, "departments.kind."+k)
	}
	for _, k := range org.EmploymentTypes {
		keys = append(keys, "staff.employment."+k)
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the pattern no longer matches the templates", len(keys))
	}
	for _, k := range keys {
		for _, lang := range i18n.Langs() {
			if !i18n.Has(lang, k) {
				t.Errorf("key %q used by a template is missing from the %s catalog", k, lang)
			}
		}
	}
}

// TestTemplatesHaveNoInlineScriptOrStyle keeps the pages within a CSP that forbids inline code.
func TestTemplatesHaveNoInlineScriptOrStyle(t *testing.T) {
	bad := []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`), // a script with a body
		regexp.MustCompile(`\sstyle="`),
		regexp.MustCompile(`<style`),
		regexp.MustCompile(`\son[a-z]+="`),
		regexp.MustCompile(`https?://`),
	}
	fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFiles.ReadFile(path)
		s := string(b)
		for _, re := range bad {
			if loc := re.FindStringIndex(s); loc != nil {
				t.Errorf("%s: %q is not allowed (inline code or outside address)", path, s[loc[0]:min(loc[1]+20, len(s))])
			}
		}
		for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(s, -1) {
			if !strings.Contains(tag, "src=") {
				t.Errorf("%s: inline script %q", path, tag)
			}
		}
		return nil
	})
}

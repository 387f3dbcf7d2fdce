package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"mamori/internal/incident"
)

// reportFlags are the flags of `mamori incident report`: the title, when the incident was
// detected, the pack's report items as id=value, files as evidence (item=PATH answers a file
// item such as 記録), and for a report from outside (住民等) who made it and how to reach them.
type reportFlags struct {
	title, detected, reporter, contact string
	items, files                       listFlag
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func (rf *reportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&rf.title, "title", "", "report: what happened, in a line")
	fs.StringVar(&rf.detected, "detected", "", "report: when it was detected (YYYY-MM-DD HH:MM in Japan time, or RFC 3339)")
	fs.Var(&rf.items, "item", "report: a report item of the pack as id=value (repeatable)")
	fs.Var(&rf.files, "file", "report: a file kept as evidence, PATH or item=PATH for a file item of the pack (repeatable)")
	fs.StringVar(&rf.reporter, "outside-reporter", "", "report: a report from outside (住民等): who made it")
	fs.StringVar(&rf.contact, "outside-contact", "", "report: how to reach the outside reporter")
}

// input builds the report; the service checks it against the pack.
func (rf *reportFlags) input() (incident.ReportInput, error) {
	in := incident.ReportInput{Title: rf.title, Items: map[string]any{}}
	if rf.detected != "" {
		t, err := parseWhen(rf.detected)
		if err != nil {
			return in, fmt.Errorf("--detected: %w", err)
		}
		in.DetectedAt = t
	}
	for _, it := range rf.items {
		k, v, ok := strings.Cut(it, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return in, fmt.Errorf("--item「%s」は 項目ID=値 で書いてください / write --item %q as id=value", it, it)
		}
		in.Items[strings.TrimSpace(k)] = v
	}
	for _, f := range rf.files {
		item, path := "", f
		if k, v, ok := strings.Cut(f, "="); ok && !strings.ContainsAny(k, `/\.`) {
			item, path = k, v
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return in, fmt.Errorf("--file: ファイル「%s」を読めません / cannot read %q: %v", path, path, err)
		}
		in.Evidence = append(in.Evidence, incident.NewEvidence{Field: item, Name: filepath.Base(path), ContentType: evidenceType(path), Body: body})
	}
	if rf.reporter != "" || rf.contact != "" {
		in.Outside = &incident.OutsideReport{Reporter: rf.reporter, Contact: rf.contact}
	}
	return in, nil
}

// evidenceType is the type a file is declared as by its extension; the service checks that its
// content agrees.
func evidenceType(path string) string {
	t, ok := map[string]string{".txt": "text/plain", ".log": "text/plain", ".csv": "text/csv", ".json": "application/json",
		".eml": "message/rfc822", ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
		".gif": "image/gif", ".zip": "application/zip", ".pcap": "application/vnd.tcpdump.pcap"}[strings.ToLower(filepath.Ext(path))]
	if !ok {
		return "application/octet-stream"
	}
	return t
}

package auditlog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Filed is a checkpoint as read from a file: where it stands, and why it could not be read
// when it could not.
type Filed struct {
	Checkpoint
	File      string `json:"file"`
	Line      int    `json:"line"`
	Malformed string `json:"malformed,omitempty"` // why the line is not a checkpoint
}

// AppendCheckpoint adds a checkpoint to the end of a checkpoint file, creating it when there is
// none, and waits until it is on disk. The file is opened for appending only, and the line is
// written with one call, so lines of several writers do not interleave.
func AppendCheckpoint(path string, c Checkpoint) error {
	_, statErr := os.Stat(path)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("checkpoint file folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("checkpoint file: %w", err)
	}
	if _, err := f.Write(c.Line()); err != nil {
		f.Close()
		return fmt.Errorf("checkpoint file %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("checkpoint file %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("checkpoint file %s: %w", path, err)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		syncDir(filepath.Dir(path))
	}
	return nil
}

// ReadCheckpoints reads every line of a checkpoint file. A file that does not exist has no
// checkpoints; a line that is not a checkpoint comes back with Malformed set, so that the
// checker can name it.
func ReadCheckpoints(path string) ([]Filed, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoint file: %w", err)
	}
	var out []Filed
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		f := Filed{File: path, Line: n}
		c, err := parseCheckpoint(line)
		if err != nil {
			f.Malformed = err.Error()
		} else {
			f.Checkpoint = c
		}
		out = append(out, f)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("checkpoint file %s: %w", path, err)
	}
	return out, nil
}

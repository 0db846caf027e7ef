// Package blob keeps uploaded files content-addressed in a data folder: a file is
// named by the SHA-256 of its bytes, so the same photo uploaded twice is stored
// once and a stored file can never be changed under its name.
package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// Store is a folder of content-addressed files.
type Store struct {
	dir string
}

// Open uses dir (created when missing) as the folder of files.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("media folder %s: %w", dir, err)
	}
	return &Store{dir: dir}, nil
}

// ErrTooLarge is returned when a file is over the limit given to Put.
var ErrTooLarge = errors.New("file too large")

// Put stores at most max bytes from r and returns their SHA-256 in hex and their size.
// The file is written under a temporary name and renamed into place, so a reader
// never sees half a file and a failed upload leaves nothing behind.
func (s *Store) Put(r io.Reader, max int64) (sum string, size int64, err error) {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "upload-*")
	if err != nil {
		return "", 0, err
	}
	defer func() {
		tmp.Close()
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, max+1))
	if err != nil {
		return "", 0, err
	}
	if size > max {
		return "", 0, ErrTooLarge
	}
	if err = tmp.Sync(); err != nil {
		return "", 0, err
	}
	sum = hex.EncodeToString(h.Sum(nil))
	final := s.path(sum)
	if err = os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return "", 0, err
	}
	if err = os.Rename(tmp.Name(), final); err != nil {
		return "", 0, err
	}
	return sum, size, nil
}

// PutBytes stores b under its SHA-256 (thumbnails).
func (s *Store) PutBytes(b []byte) (string, error) {
	sum, _, err := s.Put(bytesReader(b), int64(len(b)))
	return sum, err
}

var hexSum = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Open returns the file stored under sum.
func (s *Store) Open(sum string) (*os.File, error) {
	if !hexSum.MatchString(sum) {
		return nil, os.ErrNotExist
	}
	return os.Open(s.path(sum))
}

// path spreads files over 256 folders by their first two hex digits.
func (s *Store) path(sum string) string {
	return filepath.Join(s.dir, sum[:2], sum)
}

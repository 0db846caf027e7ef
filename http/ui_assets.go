package http

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

// asset is one embedded static file, read once at start-up.
type asset struct {
	name  string // path below static/, e.g. "vendor/echarts.common.min.js"
	url   string // /static/<hash>/<name>
	ctype string
	body  []byte
	gz    []byte // gzip of body, nil when it does not pay
}

// assets are the UI's static files addressed by content hash: a new build gives
// a new URL, so a browser may keep each one for a year and never sees a stale file.
type assets struct {
	byName map[string]*asset
	byURL  map[string]*asset
}

// loadAssets reads every file under dir of fsys, hashing and compressing it.
func loadAssets(fsys fs.FS, dir string) (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byURL: map[string]*asset{}}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := strings.TrimPrefix(p, dir+"/")
		if strings.HasSuffix(name, ".md") {
			return nil // VENDOR.md documents the files; it is not served
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			return fmt.Errorf("static/%s: unknown content type", name)
		}
		x := &asset{name: name, url: "/static/" + hex.EncodeToString(sum[:6]) + "/" + name, ctype: ctype, body: body}
		if compressible(ctype) {
			x.gz = gzipped(body)
		}
		a.byName[name], a.byURL[x.url] = x, x
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(a.byName) == 0 {
		return nil, fmt.Errorf("no static files under %s", dir)
	}
	return a, nil
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") || strings.Contains(ctype, "svg")
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	if buf.Len() >= len(b) {
		return nil
	}
	return buf.Bytes()
}

// url returns the hashed URL of a static file; templates call it as {{asset "app.css"}}.
// An unknown name is an error, so a typo fails the start-up check, not a page.
func (a *assets) url(name string) (string, error) {
	x, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return x.url, nil
}

// serve answers /static/<hash>/<name>. A URL whose hash is not the current one is
// not found: serving new content under an old hash would break the promise of
// the long cache header.
func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	x, ok := a.byURL["/static/"+chi.URLParam(r, "hash")+"/"+chi.URLParam(r, "*")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", x.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Vary", "Accept-Encoding")
	body := x.body
	if x.gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = x.gz
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

package http

import (
	"encoding/json"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/go-chi/chi/v5"

	"bayu/workflow"
)

// TestUIStartupCheck builds the UI from the embedded files: every template
// parses and renders its empty view in both languages.
func TestUIStartupCheck(t *testing.T) {
	u, err := newUI(uiFiles)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.sortedPages(); len(got) != len(emptyViews()) {
		t.Fatalf("pages %v, views %d", got, len(emptyViews()))
	}
}

// brokenFS is the embedded UI with one file replaced.
func brokenFS(t *testing.T, name, content string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(uiFiles, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(uiFiles, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m[name] = &fstest.MapFile{Data: []byte(content)}
	return m
}

// TestBrokenUIStopsTheServer: a template that does not parse, one that names a
// field its view lacks, a missing asset and a missing translation each fail
// the start-up check, and mounting such a UI panics before anything listens.
func TestBrokenUIStopsTheServer(t *testing.T) {
	for name, c := range map[string]struct{ file, content, want string }{
		"syntax":        {"templates/error.html", `{{define "content"}}{{if}}{{end}}`, "error.html"},
		"unknown field": {"templates/error.html", `{{define "content"}}{{.NoSuchField}}{{end}}`, "NoSuchField"},
		"unknown asset": {"templates/error.html", `{{define "content"}}{{asset "nope.css"}}{{end}}`, "nope.css"},
		"unknown key":   {"templates/error.html", `{{define "content"}}{{t "no.such.key"}}{{end}}`, "no.such.key"},
		"locale gap":    {"locales/en.json", `{"app.name": "Bayu"}`, "differ"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := newUI(brokenFS(t, c.file, c.content))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error naming %q, got %v", c.want, err)
			}
			defer func() {
				if recover() == nil {
					t.Fatal("mounting a broken UI did not panic")
				}
			}()
			(&Server{}).mountBuiltUI(chi.NewRouter(), nil, err)
		})
	}
}

// TestLocalesHaveTheSameKeys: each key in one locale file is in the other, and
// no message is empty.
func TestLocalesHaveTheSameKeys(t *testing.T) {
	read := func(l string) map[string]any {
		b, err := fs.ReadFile(uiFiles, "locales/"+l+".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		return m
	}
	zh, en := read(langZH), read(langEN)
	for k, v := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %s", k)
		}
		if v == "" {
			t.Errorf("zh-CN.json: %s is empty", k)
		}
	}
	for k, v := range en {
		if _, ok := zh[k]; !ok {
			t.Errorf("zh-CN.json lacks %s", k)
		}
		if v == "" {
			t.Errorf("en.json: %s is empty", k)
		}
	}
}

// TestTemplatesUseKnownKeys reads every literal t "key" in the templates: each
// must be in the locale files (keys built at run time are checked by the page
// tests, which fail on any key rendered raw).
func TestTemplatesUseKnownKeys(t *testing.T) {
	u, err := newUI(uiFiles)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\bt "([a-z_.]+)"`)
	files, _ := fs.Glob(uiFiles, "templates/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(uiFiles, f)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if !u.tr.has(m[1]) {
				t.Errorf("%s uses %q, which no locale file has", f, m[1])
			}
		}
	}
}

// TestEveryEventDatumHasAnInput: each data key any event can ask for, for any
// method, has an input kind and a label in both languages.
func TestEveryEventDatumHasAnInput(t *testing.T) {
	u, err := newUI(uiFiles)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range workflow.Events() {
		for _, m := range workflow.Methods {
			for _, k := range workflow.Needs(&workflow.Exhibit{Fields: workflow.Fields{Method: m}}, ev).Data {
				if _, ok := dataKinds[k]; !ok {
					t.Errorf("%s needs %q, which has no input kind", ev, k)
				}
				if !u.tr.has("data." + k) {
					t.Errorf("%s needs %q, which has no label", ev, k)
				}
			}
		}
	}
}

// TestDiagramDrawsTheWorkflow: the labelled Mermaid text has exactly the edges
// of workflow.Diagram("mmd"), the current state marked.
func TestDiagramDrawsTheWorkflow(t *testing.T) {
	plain, err := workflow.Diagram("mmd")
	if err != nil {
		t.Fatal(err)
	}
	edge := regexp.MustCompile(`(?m)^\s*(\S+) --> (\S+?):`)
	edges := func(s string) []string {
		var out []string
		for _, m := range edge.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1]+">"+m[2])
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	ours := mermaidSource("zh", workflow.Stored)
	if got, want := edges(ours), edges(plain); !slices.Equal(got, want) {
		t.Fatalf("edges differ:\nours %v\nwant %v", got, want)
	}
	for _, want := range []string{`state "已入库" as stored`, "class stored current", "stored --> on_display: 展出"} {
		if !strings.Contains(ours, want) {
			t.Errorf("diagram lacks %q:\n%s", want, ours)
		}
	}
}

// TestAssetsAreHashedAndCached: a static file is served under its content
// hash with a year-long cache and gzip when asked; an old hash is not found.
func TestAssetsAreHashedAndCached(t *testing.T) {
	u, err := embeddedUI()
	if err != nil {
		t.Fatal(err)
	}
	r := chi.NewRouter()
	r.Get("/static/{hash}/*", u.assets.serve)
	url, err := u.assets.url("app.css")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^/static/[0-9a-f]{12}/app\.css$`).MatchString(url) {
		t.Fatalf("url %s", url)
	}
	req := httptest.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	h := rec.Result().Header
	if rec.Code != http.StatusOK || !strings.Contains(h.Get("Cache-Control"), "max-age=31536000") ||
		h.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(h.Get("Content-Type"), "text/css") {
		t.Fatalf("%d %v", rec.Code, h)
	}
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/static/000000000000/app.css", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("an old hash answered %d", rec.Code)
	}
	if names := slices.Collect(maps.Keys(u.assets.byName)); !slices.Contains(names, "vendor/mermaid.min.js") ||
		!slices.Contains(names, "vendor/echarts.common.min.js") || slices.Contains(names, "VENDOR.md") {
		t.Fatalf("assets %v", names)
	}
}

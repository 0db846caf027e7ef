package http

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"
)

// uiFiles are the UI's templates, static files and translations, built into the
// binary: the machines that run bayu may be offline, and a binary cannot lose them.
//
//go:embed templates locales static
var uiFiles embed.FS

// ui holds the parsed templates, the hashed assets and the translations. Each
// page template is parsed with the layout and the partials into its own set;
// the sets are never executed themselves, only clones of them with the
// request's language bound to the t function.
type ui struct {
	pages  map[string]*template.Template
	assets *assets
	tr     *translator
}

// uiServer is the Server with its UI: the pages' handlers are its methods.
type uiServer struct {
	*Server
	ui *ui
}

// pageView is what every page's view struct embeds: the layout's part.
type pageView interface{ base() *page }

// page is the layout's part of a view: who is signed in, where, in which language.
type page struct {
	Lang     string
	Title    string // a locale key, translated by the layout
	Nav      string // the highlighted menu entry
	User     *uiUser
	Path     string // the request path and query without lang, for the language switch
	Flash    string // a translated one-line confirmation, e.g. after an event fired
	FlashBad bool   // the flash reports a failure
}

func (p *page) base() *page { return p }

// uiUser is the signed-in user as the layout shows them.
type uiUser struct {
	Name     string
	Role     string // workflow.Role value
	District string // unit code; empty but for district users
}

// newUI parses every template, loads every asset and translation, and renders
// each page once with its empty view: a template that does not parse, names an
// asset that does not exist, uses a missing translation or a field its view
// lacks fails here, at start-up, not in front of a user.
func newUI(fsys fs.FS) (*ui, error) {
	u := &ui{pages: map[string]*template.Template{}}
	var err error
	if u.assets, err = loadAssets(fsys, "static"); err != nil {
		return nil, err
	}
	if u.tr, err = loadTranslator(fsys); err != nil {
		return nil, err
	}
	partials, err := fs.Glob(fsys, "templates/partial_*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if strings.HasPrefix(name, "partial_") || name == "layout" {
			continue
		}
		t := template.New(name).Funcs(u.funcs(langZH))
		if name != "diagram" { // the diagram frame is a document of its own, without the layout
			partials := append([]string{"templates/layout.html"}, partials...)
			if t, err = t.ParseFS(fsys, partials...); err != nil {
				return nil, fmt.Errorf("templates: %w", err)
			}
		}
		if t, err = t.ParseFS(fsys, f); err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		u.pages[name] = t
	}
	for name, v := range emptyViews() {
		if _, ok := u.pages[name]; !ok {
			return nil, fmt.Errorf("templates: no template for page %q", name)
		}
		for _, l := range uiLangs {
			v.base().Lang = l
			if err := u.execute(io.Discard, name, v); err != nil {
				return nil, fmt.Errorf("templates: page %s: %w", name, err)
			}
		}
	}
	if missing := u.tr.missingKeys(); len(missing) > 0 {
		return nil, fmt.Errorf("templates use translations no locale file has: %s", strings.Join(missing, ", "))
	}
	for name := range u.pages {
		if _, ok := emptyViews()[name]; !ok {
			return nil, fmt.Errorf("templates: page %q has no view in emptyViews", name)
		}
	}
	return u, nil
}

// execute renders page name with v in v's language.
func (u *ui) execute(w io.Writer, name string, v pageView) error {
	base, ok := u.pages[name]
	if !ok {
		return fmt.Errorf("no page %q", name)
	}
	t, err := base.Clone()
	if err != nil {
		return err
	}
	entry := "layout"
	if name == "diagram" {
		entry = name
	}
	return t.Funcs(u.funcs(v.base().Lang)).ExecuteTemplate(w, entry, v)
}

// render writes a page with status, filling the layout's part from the request.
// The page is rendered into a buffer first, so a failure is a clean error page.
func (s *uiServer) render(w http.ResponseWriter, r *http.Request, status int, name string, v pageView) {
	p := v.base()
	p.Lang = langOf(r)
	if a := actorOf(r); a.Name != "" {
		p.User = &uiUser{Name: a.Name, Role: string(a.Role), District: a.District}
	}
	p.Path = pathWithoutLang(r)
	var buf bytes.Buffer
	if err := s.ui.execute(&buf, name, v); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pathWithoutLang is the request's path and query without lang=, the target of
// the language switch.
func pathWithoutLang(r *http.Request) string {
	q := r.URL.Query()
	q.Del("lang")
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

type uiLangKey struct{}

// withLang picks the request's language once and keeps it in the context.
func withLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := uiLang(w, r)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), uiLangKey{}, l)))
	})
}

// langOf is the request's UI language.
func langOf(r *http.Request) string {
	if l, ok := r.Context().Value(uiLangKey{}).(string); ok {
		return l
	}
	return langZH
}

// t translates a key for the request's language; handlers use it for flashes.
func (s *uiServer) t(r *http.Request, key string, kv ...any) string {
	return s.ui.tr.text(langOf(r), key, pairs(kv))
}

// embeddedUI is the UI built from the embedded files. It is built once per
// process: the files cannot change, and compressing the assets takes a moment
// that every test server would otherwise pay again.
var embeddedUI = sync.OnceValues(func() (*ui, error) { return newUI(uiFiles) })

// mountUI adds the web UI to the router. A broken template stops the server
// here, before it listens.
func (s *Server) mountUI(r chi.Router) {
	u, err := embeddedUI()
	s.mountBuiltUI(r, u, err)
}

func (s *Server) mountBuiltUI(r chi.Router, u *ui, err error) {
	if err != nil {
		panic("bayu ui: " + err.Error())
	}
	us := &uiServer{Server: s, ui: u}
	r.Get("/static/{hash}/*", u.assets.serve)
	r.Group(func(r chi.Router) {
		r.Use(withLang)
		us.uiRoutes(r)
	})
}

// sortedPages lists the page names, for tests.
func (u *ui) sortedPages() []string {
	out := make([]string, 0, len(u.pages))
	for n := range u.pages {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

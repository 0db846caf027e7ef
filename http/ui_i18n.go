package http

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The UI's languages: Chinese first, English on request. The locale files are
// locales/<tag>.json, flat objects of key → message (go-i18n's JSON form; a
// message may use {{.Name}} placeholders and "one"/"other" plural forms).
const (
	langZH = "zh-CN"
	langEN = "en"
)

var uiLangs = []string{langZH, langEN}

// langCookie remembers the language a user picked with the switch.
const langCookie = "bayu_lang"

// translator looks messages up in the locale files. A key missing from a file
// is a start-up error (see loadTranslator); a key missing from both, used by a
// template or handler, is rendered as the key itself and remembered, so tests
// can fail on it.
type translator struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	keys       map[string][]string // per language, sorted

	mu      sync.Mutex
	missing map[string]bool
}

// loadTranslator parses every locale file and checks that each has the same keys.
func loadTranslator(fsys fs.FS) (*translator, error) {
	t := &translator{bundle: i18n.NewBundle(language.SimplifiedChinese), localizers: map[string]*i18n.Localizer{},
		keys: map[string][]string{}, missing: map[string]bool{}}
	t.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range uiLangs {
		data, err := fs.ReadFile(fsys, "locales/"+l+".json")
		if err != nil {
			return nil, err
		}
		f, err := t.bundle.ParseMessageFileBytes(data, l+".json")
		if err != nil {
			return nil, fmt.Errorf("locales/%s.json: %w", l, err)
		}
		for _, m := range f.Messages {
			t.keys[l] = append(t.keys[l], m.ID)
		}
		slices.Sort(t.keys[l])
		t.localizers[l] = i18n.NewLocalizer(t.bundle, l)
	}
	for _, l := range uiLangs[1:] {
		if d := keyDiff(t.keys[langZH], t.keys[l]); d != "" {
			return nil, fmt.Errorf("locales: %s and %s differ: %s", langZH, l, d)
		}
	}
	return t, nil
}

// keyDiff names the first key one list has and the other has not.
func keyDiff(a, b []string) string {
	for _, k := range a {
		if _, ok := slices.BinarySearch(b, k); !ok {
			return "only the first has " + k
		}
	}
	for _, k := range b {
		if _, ok := slices.BinarySearch(a, k); !ok {
			return "only the second has " + k
		}
	}
	return ""
}

// text returns the message key in lang, filled with data (a map or struct for
// {{.Field}} placeholders). A count in data["Count"] picks the plural form.
func (t *translator) text(lang, key string, data map[string]any) string {
	cfg := &i18n.LocalizeConfig{MessageID: key, TemplateData: data}
	if n, ok := data["Count"]; ok {
		cfg.PluralCount = n
	}
	loc, ok := t.localizers[lang]
	if !ok {
		loc = t.localizers[langZH]
	}
	s, err := loc.Localize(cfg)
	if err != nil {
		t.mu.Lock()
		t.missing[key] = true
		t.mu.Unlock()
		return key
	}
	return s
}

// missingKeys lists the keys asked for that no locale file has.
func (t *translator) missingKeys() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.missing))
	for k := range t.missing {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// uiLang picks the page language: ?lang= (remembered in a cookie), else the
// cookie, else Chinese. The browser's Accept-Language is not consulted: the
// users are Chinese offices whose machines often say en-US.
func uiLang(w http.ResponseWriter, r *http.Request) string {
	if q := r.URL.Query().Get("lang"); q != "" {
		l := normalizeLang(q)
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		return normalizeLang(c.Value)
	}
	return langZH
}

func normalizeLang(s string) string {
	if len(s) >= 2 && (s[:2] == "en" || s[:2] == "EN") {
		return langEN
	}
	return langZH
}

// apiLang is the language name workflow.Text.In understands.
func apiLang(uiLang string) string {
	if uiLang == langEN {
		return "en"
	}
	return "zh"
}

// has reports whether the locale files have key.
func (t *translator) has(key string) bool {
	_, ok := slices.BinarySearch(t.keys[langZH], key)
	return ok
}

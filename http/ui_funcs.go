package http

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"time"

	"bayu/migrations"
	"bayu/workflow"
)

// funcs are the template functions for one language. Labels of states, events,
// roles and methods come from the workflow package, which owns that vocabulary
// in both languages; everything else the pages say comes from the locale files.
func (u *ui) funcs(lang string) template.FuncMap {
	l := apiLang(lang)
	return template.FuncMap{
		"t":       func(key string, kv ...any) string { return u.tr.text(lang, key, pairs(kv)) },
		"asset":   u.assets.url,
		"text":    func(t workflow.Text) string { return t.In(l) },
		"state":   func(s workflow.State) string { return s.Label().In(l) },
		"event":   func(e workflow.Event) string { return e.Label().In(l) },
		"role":    func(r string) string { return workflow.Role(r).Label().In(l) },
		"method":  func(m workflow.Method) string { return m.Label().In(l) },
		"content": func(c workflow.ContentType) string { return c.Label().In(l) },
		"unit":    func(code string) string { return unitName(code, lang) },
		"date":    formatDate,
		"time":    formatTime,
		"yuan":    formatYuan,
		"num":     formatFloat,
		"add":     func(a, b int) int { return a + b },
		"join":    strings.Join,
		"enLang":  func() bool { return lang == langEN },
		"langURL": langURL,
		"formData": func(id int64, back string, f *eventForm) formData {
			d := formData{ID: id, Form: f}
			if back == "/queue" {
				d.Back = "queue"
			}
			return d
		},
	}
}

// formData is what the eventform partial draws one form from.
type formData struct {
	ID   int64
	Back string // "queue": go back to the evaluator's queue after firing
	Form *eventForm
}

// langURL is path switched to another language.
func langURL(path, lang string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=" + lang
	}
	return path + "?lang=" + lang
}

// stateOrder is the states in the order an item meets them (PRODUCT.md's
// table), for filters and count columns: workflow.States sorts by name.
var stateOrder = []workflow.State{
	workflow.Mobilized, workflow.Reported, workflow.DistrictRecommended, workflow.NotRecommended,
	workflow.Evaluated, workflow.Accepted, workflow.Rejected, workflow.AgreementSigned, workflow.Replicating,
	workflow.Stored, workflow.OnDisplay, workflow.Returned, workflow.Sold, workflow.Withdrawn,
}

// pairs turns "Key", value, "Key2", value2 into the data of a message.
func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

var (
	unitsOnce sync.Once
	unitList  []migrations.Unit
	unitByKey map[string]migrations.Unit
)

// units are the recommending units of districts.tsv, in its order.
func units() []migrations.Unit {
	unitsOnce.Do(func() {
		unitList, _ = migrations.Units()
		unitByKey = make(map[string]migrations.Unit, len(unitList))
		for _, u := range unitList {
			unitByKey[u.Code] = u
		}
	})
	return unitList
}

// unitName is a unit's name in the language, or its code when unknown.
func unitName(code, lang string) string {
	units()
	u, ok := unitByKey[code]
	if !ok {
		return code
	}
	if lang == langEN && u.NameEN != "" {
		return u.NameEN
	}
	return u.NameZH
}

// shanghai is the zone dates and times are shown in: the campaign's.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

func formatDate(d workflow.Date) string {
	if d.IsZero() {
		return "—"
	}
	return d.String()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(shanghai).Format("2006-01-02 15:04")
}

// formatYuan writes whole yuan with thousands separators: 15,000.
func formatYuan(v *int64) string {
	if v == nil {
		return "—"
	}
	s := strconv.FormatInt(*v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func formatFloat(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

package http_test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

var injections = []string{
	`'; DROP TABLE exhibits; --`,
	`" OR 1=1 --`,
	`1); DELETE FROM exhibit_history; --`,
	`%' OR '%'='`,
	`\'; SELECT pg_sleep(10); --`,
	"名称\u0000截断",
	`<script>alert(1)</script>`,
	strings.Repeat("长", 5000),
}

var textFields = []string{"name", "category", "content_type", "region", "valuation_text", "description",
	"era_type", "era", "size_cm", "method", "source_unit", "contact_name", "contact_phone", "storage_conditions"}

// counts is what a hostile request must leave exactly as it was.
func (a *api) counts(t *testing.T) string {
	var exhibits, history, keys int
	db := a.st.DB()
	db.Get(&exhibits, `SELECT count(*) FROM exhibits`)
	db.Get(&history, `SELECT count(*) FROM exhibit_history`)
	db.Get(&keys, `SELECT count(*) FROM idempotency_keys`)
	var sum string
	db.Get(&sum, `SELECT coalesce(string_agg(id || ':' || version || ':' || state, ',' ORDER BY id), '') FROM exhibits`)
	return fmt.Sprintf("%d/%d/%d %s", exhibits, history, keys, sum)
}

func TestHostileInputGetsTheRight4xxAndWritesNothing(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id, _ := a.create("wanzhou")
	path := "/api/v1/exhibits/" + strconv.FormatInt(id, 10)
	// Withdrawals with a reason are valid, whatever the reason says: they go to a
	// second exhibit so that the first stays editable for the other probes.
	id2, _ := a.create("wanzhou")
	path2 := "/api/v1/exhibits/" + strconv.FormatInt(id2, 10)
	before := a.counts(t)

	type probe struct {
		method, path string
		body         any
		header       []string
		want         int
	}
	var probes []probe
	for _, field := range textFields {
		for _, inj := range injections {
			// A create that is wrong must write nothing; validation refuses it or it
			// is stored verbatim as text (checked below: nothing changed here means refused).
			probes = append(probes, probe{"PATCH", path, map[string]any{"version": 99, field: inj}, nil, 0})
		}
	}
	for _, inj := range injections {
		q := url.QueryEscape(inj)
		key := inj
		if strings.ContainsRune(key, 0) { // a client cannot even send that header
			key = "nul"
		}
		probes = append(probes,
			probe{"GET", "/api/v1/exhibits?q=" + q, nil, nil, 0},
			probe{"GET", "/api/v1/exhibits?state=" + q, nil, nil, 400},
			probe{"GET", "/api/v1/exhibits?method=" + q, nil, nil, 400},
			probe{"GET", "/api/v1/exhibits?district=" + q, nil, nil, 400},
			probe{"GET", "/api/v1/exhibits?cursor=" + q, nil, nil, 400},
			probe{"GET", "/api/v1/exhibits?limit=" + q, nil, nil, 400},
			probe{"POST", path + "/events", map[string]any{"event": inj}, nil, 400},
			probe{"POST", path2 + "/events", map[string]any{"event": "withdraw", "reason": inj}, []string{"Idempotency-Key", key}, 0},
		)
	}
	probes = append(probes,
		probe{"GET", "/api/v1/exhibits/99999999999999999999999", nil, nil, 404},
		probe{"GET", "/api/v1/exhibits/-5", nil, nil, 404},
		probe{"GET", "/api/v1/exhibits/0", nil, nil, 404},
		probe{"GET", "/api/v1/exhibits/9223372036854775807", nil, nil, 404},
		probe{"PATCH", "/api/v1/exhibits/9223372036854775807", `{"version":1}`, nil, 404},
		probe{"POST", path + "/events", `{"event":"report"}`, []string{"Content-Type", "text/plain"}, 415},
		probe{"POST", path + "/events", `event=report`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415},
		probe{"POST", path + "/events", "{\"event\":\"withdraw\",\"reason\":\"\xff\xfe\"}", nil, 400},
		probe{"POST", path + "/events", `{"event":"report"` + strings.Repeat(" ", 2<<20) + `}`, nil, 413},
		probe{"POST", path + "/events", `{"event":"withdraw","reason":"x","data":[1,2]}`, nil, 400},
		probe{"POST", path + "/events", `{"event":"withdraw","reason":"x","version":"1"}`, nil, 400},
		probe{"POST", path + "/events", strings.Repeat("[", 100000), nil, 400},
		probe{"PATCH", path, `{"version":1,"quantity":2147483648}`, nil, 422},
		probe{"PATCH", path, `{"version":1,"quantity":1e40}`, nil, 422},
		probe{"PATCH", path, `{"version":1,"valuation_cny":-1}`, nil, 422},
		probe{"PATCH", path, `{"version":1,"valuation_cny":9223372036854775807}`, nil, 422},
		probe{"PATCH", path, `{"version":1,"weight_kg":1e308}`, nil, 422},
		probe{"PATCH", path, `{"version":1,"id":5}`, nil, 422},
		probe{"PATCH", path, `{"version":1,"created_at":"2020-01-01T00:00:00Z"}`, nil, 422},
		probe{"POST", "/api/v1/exhibits", `{"district":"500101","name":"x","state":"stored","version":9}`, nil, 422},
		probe{"POST", "/api/v1/exhibits", `{"district":"' OR 1=1","name":"x"}`, nil, 422},
		probe{"POST", "/api/v1/exhibits", `{"name":"x","evil":true}`, nil, 400},
	)
	for _, p := range probes {
		r := a.do("wanzhou", p.method, p.path, p.body, p.header...)
		if r.status >= 500 {
			t.Errorf("%s %.80s: %d %s", p.method, p.path, r.status, r.body)
			continue
		}
		if p.want != 0 && r.status != p.want {
			t.Errorf("%s %.80s %.80v: got %d, want %d: %.200s", p.method, p.path, p.body, r.status, p.want, r.body)
		}
		if p.want == 0 && r.status >= 300 && r.errCode(t) == "" {
			t.Errorf("%s %.80s: %d without the error JSON", p.method, p.path, r.status)
		}
	}
	// The one write allowed was the first withdrawal of the second exhibit.
	x := a.do("coord", "GET", path2, nil).json(t)
	if x["state"] != "withdrawn" || x["version"].(float64) != 2 {
		t.Errorf("second exhibit: %v", x)
	}
	a.do("coord", "GET", path, nil)
	if first := a.do("coord", "GET", path, nil).json(t); first["version"].(float64) != 1 || first["name"] != "世赛金牌" {
		t.Errorf("hostile requests changed the first exhibit: %v", first)
	}
	want := fmt.Sprintf("2/3/1 %d:1:mobilized,%d:2:withdrawn", id, id2)
	if after := a.counts(t); after != want {
		t.Errorf("hostile requests changed data:\nbefore %s\nafter  %s\nwant   %s", before, after, want)
	}
	var tables int
	a.st.DB().Get(&tables, `SELECT count(*) FROM information_schema.tables WHERE table_name IN ('exhibits', 'exhibit_history')`)
	if tables != 2 {
		t.Fatal("a table is gone")
	}
}

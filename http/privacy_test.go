package http_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"bayu/workflow"
)

func (a *api) actor(name string) workflow.Actor {
	u, err := a.st.Authenticate(context.Background(), a.tokens[name])
	if err != nil {
		a.t.Fatal(err)
	}
	return u.Actor()
}

func TestPhoneIsMaskedForEveryRoleThatMayNotSeeIt(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := a.fixture(t, workflow.DistrictRecommended)
	path := "/api/v1/exhibits/" + strconv.FormatInt(id, 10)
	want := map[string]string{"coord": "13910000001", "wanzhou": "13910000001", "eval": "139****0001", "audit": "139****0001"}
	for user, phone := range want {
		if got := a.do(user, "GET", path, nil).json(t)["contact_phone"]; got != phone {
			t.Errorf("%s GET: phone %v, want %s", user, got, phone)
		}
		list := a.do(user, "GET", "/api/v1/exhibits", nil).json(t)["exhibits"].([]any)
		if got := list[0].(map[string]any)["contact_phone"]; got != phone {
			t.Errorf("%s list: phone %v, want %s", user, got, phone)
		}
	}
	if r := a.do("fuling", "GET", path, nil); r.status != 404 || strings.Contains(string(r.body), "0001") {
		t.Errorf("another unit: %d %s", r.status, r.body)
	}
}

var wholePhone = regexp.MustCompile(`1[3-9][0-9]{9}`)

func TestLogsNeverHoldAWholePhoneNumber(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id, _ := a.create("wanzhou")
	path := "/api/v1/exhibits/" + strconv.FormatInt(id, 10)
	a.do("wanzhou", "GET", "/api/v1/exhibits?q=13900000101", nil)
	a.do("wanzhou", "PATCH", path, `{"version":1,"contact_phone":"13811112222"}`)
	a.do("wanzhou", "PATCH", path, `{"version":1,"contact_phone":"13811113333x"}`)
	a.do("wanzhou", "POST", path+"/events", `{"event":"report","reason":"联系 13722223333"}`)
	a.do("audit", "GET", path, nil)
	a.do("coord", "GET", path+"/history", nil)
	logs := a.logs.String()
	if !strings.Contains(logs, `"request_id"`) || !strings.Contains(logs, `"route":"/api/v1/exhibits/{id}"`) {
		t.Fatalf("no access lines with request id and route:\n%s", logs)
	}
	if m := wholePhone.FindAllString(logs, -1); len(m) > 0 {
		t.Fatalf("logs hold whole phone numbers %v:\n%s", m, logs)
	}
}

func TestSecurityHeadersAndMetrics(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id, _ := a.create("wanzhou")
	a.fire("wanzhou", id, `{"event":"report"}`)
	a.fire("wanzhou", id, `{"event":"accept"}`)
	for _, path := range []string{"/healthz", "/api/v1/workflow", "/api/v1/exhibits", "/nowhere"} {
		r := a.do("", "GET", path, nil)
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if r.header.Get(h) != want {
				t.Errorf("%s: %s = %q", path, h, r.header.Get(h))
			}
		}
		if !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, r.header.Get("Content-Security-Policy"))
		}
	}
	m := string(a.do("", "GET", "/metrics", nil).body)
	for _, want := range []string{
		`bayu_transitions_total{event="report"} 1`,
		`bayu_transitions_refused_total{event="accept",reason="invalid_transition"} 1`,
		`bayu_http_requests_total{method="POST",route="/api/v1/exhibits/{id}/events",status="409"} 1`,
		`bayu_http_request_duration_seconds_bucket`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	bayuhttp "bayu/http"
	"bayu/store"
	"bayu/store/blob"
	"bayu/store/storetest"
	"bayu/workflow"
)

type api struct {
	clock  *testClock
	t      *testing.T
	srv    *httptest.Server
	st     *store.Store
	tokens map[string]string
	logs   *syncBuffer
}

// testClock is the store's clock in API tests: moved by the test, never slept on.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// syncBuffer collects the server's log lines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newAPI(t *testing.T) *api {
	t.Helper()
	clock := &testClock{now: time.Date(2026, 7, 10, 2, 0, 0, 0, time.UTC)}
	st := storetest.New(t, store.Options{Clock: clock.Now, PasswordCost: bcrypt.MinCost})
	a := &api{t: t, st: st, tokens: map[string]string{}, clock: clock, logs: &syncBuffer{}}
	logger := slog.New(slog.NewJSONHandler(a.logs, nil))
	media, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bayuhttp.NewServer(st, bayuhttp.Options{Logger: logger, Media: media, MaxUpload: 1 << 20}).Handler())
	t.Cleanup(srv.Close)
	a.srv = srv
	for _, u := range []store.NewUser{
		{Name: "coord", Role: workflow.Coordinator, Password: "coord-password"},
		{Name: "eval", Role: workflow.Evaluator},
		{Name: "audit", Role: workflow.Auditor},
		{Name: "wanzhou", Role: workflow.District, District: "500101"},
		{Name: "fuling", Role: workflow.District, District: "500102"},
	} {
		_, tok, err := st.CreateUser(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		a.tokens[u.Name] = tok
	}
	return a
}

type reply struct {
	status int
	body   []byte
	header http.Header
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.status, r.body)
	}
	return m
}

func (r reply) errCode(t *testing.T) string {
	e, _ := r.json(t)["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func (r reply) fields(t *testing.T) map[string]any {
	e, _ := r.json(t)["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	return f
}

func (a *api) do(user, method, path string, body any, header ...string) reply {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, a.srv.URL+path, rd)
	if strings.HasPrefix(user, "cookie:") {
		req.AddCookie(&http.Cookie{Name: "bayu_session", Value: strings.TrimPrefix(user, "cookie:")})
	} else if user != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[user])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if strings.HasPrefix(path, "/api/v1/") {
		checkAgainstSpec(a.t, req, res, b)
	}
	return reply{status: res.StatusCode, body: b, header: res.Header}
}

var completeItem = map[string]any{
	"district": "500101", "name": "世赛金牌", "category": "奖牌", "region": "俄罗斯",
	"valuation_text": "1万元", "description": "第45届世赛电子技术项目金牌", "era_type": "制造年代",
	"era": "2019", "size_cm": "10×10", "weight_kg": 0.5, "quantity": 1, "method": "deposit",
	"source_unit": "铁路运输技师学院", "contact_name": "梁攀", "contact_phone": "13900000101",
	"storage_conditions": "干燥",
}

func (a *api) create(user string) (int64, map[string]any) {
	a.t.Helper()
	r := a.do(user, "POST", "/api/v1/exhibits", completeItem)
	if r.status != 201 {
		a.t.Fatalf("create: %d %s", r.status, r.body)
	}
	m := r.json(a.t)
	return int64(m["id"].(float64)), m
}

func (a *api) fire(user string, id int64, body any, header ...string) reply {
	return a.do(user, "POST", "/api/v1/exhibits/"+strconv.FormatInt(id, 10)+"/events", body, header...)
}

func TestCreateFillsDerivedFields(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, m := a.create("wanzhou")
	if m["state"] != "mobilized" || m["valuation_cny"].(float64) != 10000 || m["version"].(float64) != 1 || m["intake"] != "campaign" {
		t.Errorf("created: %v", m)
	}
	if dims, _ := m["dimensions_cm"].([]any); len(dims) != 2 || dims[0].(float64) != 10 {
		t.Errorf("dimensions_cm: %v", m["dimensions_cm"])
	}
	if m["contact_phone"] != "13900000101" {
		t.Errorf("own unit sees the phone masked: %v", m["contact_phone"])
	}
}

func TestBadInputIsRefusedAndWritesNothing(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id, _ := a.create("wanzhou")
	path := "/api/v1/exhibits/" + strconv.FormatInt(id, 10)
	huge := `{"event":"report","reason":"` + strings.Repeat("字", 400_000) + `"}`
	cases := []struct {
		name, user, method, path string
		body                     any
		status                   int
		code                     string
		field                    string
	}{
		{"unknown event", "coord", "POST", path + "/events", `{"event":"teleport"}`, 400, "bad_request", ""},
		{"not allowed from state", "coord", "POST", path + "/events", `{"event":"accept"}`, 409, "invalid_transition", ""},
		{"stale version", "wanzhou", "POST", path + "/events", `{"event":"report","version":7}`, 409, "version_conflict", ""},
		{"missing reason", "wanzhou", "POST", path + "/events", `{"event":"withdraw"}`, 422, "invalid", "reason"},
		{"unused data", "wanzhou", "POST", path + "/events", `{"event":"report","data":{"x":1}}`, 422, "invalid", "data.x"},
		{"malformed JSON", "wanzhou", "POST", path + "/events", `{"event":`, 400, "bad_request", ""},
		{"unknown JSON field", "wanzhou", "POST", path + "/events", `{"event":"report","colour":"red"}`, 400, "bad_request", ""},
		{"body over 1 MiB", "wanzhou", "POST", path + "/events", huge, 413, "too_large", ""},
		{"no token", "", "POST", path + "/events", `{"event":"report"}`, 401, "unauthenticated", ""},
		{"bad exhibit field", "wanzhou", "PATCH", path, `{"version":1,"quantity":0,"contact_phone":"abc"}`, 422, "invalid", "contact_phone"},
		{"server-owned field", "wanzhou", "PATCH", path, `{"version":1,"state":"stored"}`, 422, "invalid", "state"},
		{"patch without version", "wanzhou", "PATCH", path, `{"name":"x"}`, 422, "invalid", "version"},
		{"unknown exhibit field", "wanzhou", "PATCH", path, `{"version":1,"colour":"red"}`, 400, "bad_request", "colour"},
		{"create with missing name", "wanzhou", "POST", "/api/v1/exhibits", `{"district":"500101"}`, 422, "invalid", "name"},
		{"create for another unit", "wanzhou", "POST", "/api/v1/exhibits", `{"district":"500102","name":"x"}`, 422, "invalid", "district"},
	}
	for _, c := range cases {
		r := a.do(c.user, c.method, c.path, c.body)
		if r.status != c.status || r.errCode(t) != c.code {
			t.Errorf("%s: want %d %s, got %d %s", c.name, c.status, c.code, r.status, r.body)
			continue
		}
		if c.field != "" {
			if _, ok := r.fields(t)[c.field]; !ok {
				t.Errorf("%s: field %s not named in %s", c.name, c.field, r.body)
			}
		}
	}
	r := a.do("coord", "GET", path+"/history", nil)
	if rows := r.json(t)["transitions"].([]any); len(rows) != 1 {
		t.Errorf("refusals wrote history: %s", r.body)
	}
	x := a.do("coord", "GET", path, nil).json(t)
	if x["version"].(float64) != 1 || x["state"] != "mobilized" {
		t.Errorf("refusals changed the exhibit: %v", x)
	}
}

func TestInvalidTransitionSaysWhatIsAllowed(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id, _ := a.create("wanzhou")
	r := a.fire("coord", id, `{"event":"store"}`)
	msg := r.json(t)["error"].(map[string]any)["message"].(string)
	if !strings.Contains(msg, "mobilized") || !strings.Contains(msg, "report") || !strings.Contains(msg, "withdraw") {
		t.Errorf("Chinese message: %s", msg)
	}
	r = a.do("coord", "POST", "/api/v1/exhibits/"+strconv.FormatInt(id, 10)+"/events?lang=en", `{"event":"store"}`)
	msg = r.json(t)["error"].(map[string]any)["message"].(string)
	if !strings.HasPrefix(msg, "the exhibit is mobilized") {
		t.Errorf("English message: %s", msg)
	}
}

func TestIdempotencyKeyOverHTTP(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id, _ := a.create("wanzhou")
	first := a.fire("wanzhou", id, `{"event":"report"}`, "Idempotency-Key", "k1")
	second := a.fire("wanzhou", id, `{"event":"report"}`, "Idempotency-Key", "k1")
	if first.status != 200 || second.status != 200 || string(first.body) != string(second.body) {
		t.Fatalf("replay: %d %s / %d %s", first.status, first.body, second.status, second.body)
	}
	third := a.fire("wanzhou", id, `{"event":"report"}`)
	if third.status != 409 {
		t.Fatalf("without the key the event fires again: %d", third.status)
	}
}

func TestWorkflowEndpoints(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := a.do("", "GET", "/api/v1/workflow", nil).json(t)
	if len(m["states"].([]any)) != 14 || len(m["events"].([]any)) != 16 {
		t.Errorf("workflow: %v", m)
	}
	for _, f := range []string{"mmd", "dot"} {
		r1 := a.do("", "GET", "/api/v1/workflow."+f, nil)
		r2 := a.do("", "GET", "/api/v1/workflow."+f, nil)
		if r1.status != 200 || string(r1.body) != string(r2.body) || !strings.Contains(string(r1.body), "complete_replication") {
			t.Errorf("%s: %d %s", f, r1.status, r1.body)
		}
	}
	if r := a.do("", "GET", "/readyz", nil); r.status != 200 {
		t.Errorf("readyz: %d %s", r.status, r.body)
	}
}

func TestVisibilityAndMasking(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id, _ := a.create("wanzhou")
	path := "/api/v1/exhibits/" + strconv.FormatInt(id, 10)
	if r := a.do("fuling", "GET", path, nil); r.status != 404 {
		t.Errorf("another unit: %d", r.status)
	}
	if r := a.do("eval", "GET", path, nil); r.status != 404 {
		t.Errorf("evaluator before recommendation: %d", r.status)
	}
	for user, want := range map[string]string{"coord": "13900000101", "wanzhou": "13900000101", "audit": "139****0101"} {
		if got := a.do(user, "GET", path, nil).json(t)["contact_phone"]; got != want {
			t.Errorf("%s sees phone %v, want %s", user, got, want)
		}
	}
	ev := a.do("wanzhou", "GET", path+"/events", nil).json(t)["events"].([]any)
	if len(ev) != 2 {
		t.Errorf("district may fire %v from mobilized, want report and withdraw", ev)
	}
}

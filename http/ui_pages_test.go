package http_test

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	bayuhttp "bayu/http"
	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow"
	"bayu/workflow/campaign"
	"bayu/workflow/sample"
)

// uiSite is a server on a test database with a user of each role and one
// recommended exhibit, for page tests without a browser.
type uiSite struct {
	t       *testing.T
	srv     *httptest.Server
	st      *store.Store
	exhibit int64
}

const uiPassword = "page-test-pw"

func newUISite(t *testing.T) *uiSite {
	t.Helper()
	now := time.Date(2026, 7, 20, 2, 0, 0, 0, time.UTC)
	st := storetest.New(t, store.Options{Clock: func() time.Time { return now }, PasswordCost: bcrypt.MinCost})
	ctx := context.Background()
	actors := map[workflow.Role]workflow.Actor{}
	for _, u := range []store.NewUser{
		{Name: "coord", Role: workflow.Coordinator, Password: uiPassword},
		{Name: "wanzhou", Role: workflow.District, District: "500101", Password: uiPassword},
		{Name: "expert", Role: workflow.Evaluator, Password: uiPassword},
		{Name: "audit", Role: workflow.Auditor, Password: uiPassword},
	} {
		created, _, err := st.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		actors[u.Role] = created.Actor()
	}
	if _, err := st.CreateCampaign(ctx, actors[workflow.Coordinator], campaign.Default(2026)); err != nil {
		t.Fatal(err)
	}
	x, err := st.CreateExhibit(ctx, actors[workflow.District], workflow.CreateInput{District: "500101", Fields: sample.Fields(0, workflow.Deposit)})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []workflow.Event{workflow.Report, workflow.Recommend} {
		if x, err = st.Fire(ctx, actors[workflow.District], store.FireRequest{ExhibitID: x.ID, Event: ev}); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(bayuhttp.NewServer(st, bayuhttp.Options{}).Handler())
	t.Cleanup(srv.Close)
	return &uiSite{t: t, srv: srv, st: st, exhibit: x.ID}
}

// client is a browser-like client with its own cookies; it does not follow redirects.
func (s *uiSite) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs in c through the form and returns where it was sent.
func (s *uiSite) login(c *http.Client, name, password string) *http.Response {
	s.t.Helper()
	return s.post(c, "/login", url.Values{"name": {name}, "password": {password}})
}

func (s *uiSite) post(c *http.Client, path string, form url.Values) *http.Response {
	s.t.Helper()
	resp, err := c.PostForm(s.srv.URL+path, form)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp
}

func (s *uiSite) get(c *http.Client, path string) (*http.Response, string) {
	s.t.Helper()
	resp, err := c.Get(s.srv.URL + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// localeKeys are the keys of the Chinese locale file.
func localeKeys(t *testing.T) []string {
	t.Helper()
	b, err := fs.ReadFile(os.DirFS("."), "locales/zh-CN.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// tags matches HTML tags, to leave the text a person reads.
var tags = regexp.MustCompile(`<[^>]*>`)

// TestPagesRenderForEveryRole opens each role's pages in both languages: all
// answer 200 with HTML, none shows a translation key instead of its text.
func TestPagesRenderForEveryRole(t *testing.T) {
	s := newUISite(t)
	keys := localeKeys(t)
	x := "/exhibits/" + strconv.FormatInt(s.exhibit, 10)
	pages := map[string][]string{
		"coord":   {"/dashboard", "/exhibits", "/exhibits?state=district_recommended&q=%E4%B8%96", x, "/exhibits/new", "/audit", "/audit?verify=1"},
		"wanzhou": {"/workspace", "/exhibits", x, "/exhibits/new"},
		"expert":  {"/queue", "/exhibits", x},
		"audit":   {"/audit", "/audit?district=500101&event=report&since=2026-07-01&until=2026-07-31", "/dashboard", x},
	}
	for name, paths := range pages {
		c := s.client()
		if resp := s.login(c, name, uiPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s login: %d %s", name, resp.StatusCode, body(t, resp))
		}
		for _, lang := range []string{"zh-CN", "en"} {
			for _, p := range append(paths, "/ui/diagram?state=stored") {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				resp, html := s.get(c, p+sep+"lang="+lang)
				if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
					t.Errorf("%s %s %s: %d %s", name, lang, p, resp.StatusCode, resp.Header.Get("Content-Type"))
					continue
				}
				words := map[string]bool{}
				for _, w := range strings.Fields(tags.ReplaceAllString(html, " ")) {
					words[strings.Trim(w, "：:，,。()（）")] = true
				}
				for _, k := range keys {
					if words[k] {
						t.Errorf("%s %s %s shows the raw key %s", name, lang, p, k)
					}
				}
				if lang == "en" && strings.Contains(html, "退出") {
					t.Errorf("%s %s: Chinese menu on an English page", name, p)
				}
			}
		}
	}
}

// TestLoginRefusalsAreShownInChinese: a wrong password keeps the name typed;
// ten wrong ones lock the name and the page says for how long.
func TestLoginRefusalsAreShownInChinese(t *testing.T) {
	s := newUISite(t)
	c := s.client()
	resp, _ := s.get(c, "/dashboard")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Fdashboard" {
		t.Fatalf("signed out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp = s.login(c, "coord", "wrong")
	html := body(t, resp)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(html, "用户名或密码错误") || !strings.Contains(html, `value="coord"`) {
		t.Fatalf("wrong password: %d %s", resp.StatusCode, html)
	}
	for range store.MaxFailedLogins {
		resp = s.login(c, "coord", "wrong")
		resp.Body.Close()
	}
	resp = s.login(c, "coord", uiPassword)
	html = body(t, resp)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(html, "已锁定") {
		t.Fatalf("locked: %d %s", resp.StatusCode, html)
	}
}

// TestRefusedEventKeepsWhatWasTyped: an evaluation with a score that is not a
// number comes back 422 with the server's reason beside the score and the
// comment and checks as the evaluator left them; a district may not open the
// dashboard; a signed-out post goes to the login page.
func TestRefusedEventKeepsWhatWasTyped(t *testing.T) {
	s := newUISite(t)
	c := s.client()
	s.login(c, "expert", uiPassword).Body.Close()
	path := "/exhibits/" + strconv.FormatInt(s.exhibit, 10) + "/events"
	resp := s.post(c, path, url.Values{"event": {"evaluate"}, "version": {"3"}, "key": {"k1"},
		"data.score": {"九十"}, "data.authentic": {"1"}, "data.comment": {"做工精细"}})
	html := body(t, resp)
	for _, want := range []string{"输入有误", "必须是 0 到 100 之间的整数", `value="九十"`, "做工精细", `name="data.authentic" value="1" checked`} {
		if !strings.Contains(html, want) {
			t.Errorf("refused evaluation lacks %q", want)
		}
	}
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	resp = s.post(c, path, url.Values{"event": {"evaluate"}, "version": {"3"}, "key": {"k2"}, "data.score": {"90"},
		"data.authentic": {"1"}, "data.no_classified": {"1"}, "data.no_infringement": {"1"}, "data.comment": {"好"}, "back": {"queue"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/queue?fired=") {
		t.Fatalf("evaluation: %d %s %s", resp.StatusCode, resp.Header.Get("Location"), body(t, resp))
	}
	resp.Body.Close()

	d := s.client()
	s.login(d, "wanzhou", uiPassword).Body.Close()
	resp, html = s.get(d, "/dashboard")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(html, "当前角色无权打开此页面") {
		t.Fatalf("district on the dashboard: %d", resp.StatusCode)
	}
	resp = s.post(s.client(), path, url.Values{"event": {"accept"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
		t.Fatalf("signed-out post: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp.Body.Close()
}

// TestPolicies: pages keep the strict policy; only the diagram frame allows
// inline styles, and may be framed, by this site alone.
func TestPolicies(t *testing.T) {
	s := newUISite(t)
	resp, _ := s.get(s.client(), "/login")
	if csp := resp.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe") || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("login page policy %q", csp)
	}
	resp, html := s.get(s.client(), "/ui/diagram?state=stored")
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "style-src 'self' 'unsafe-inline'") || !strings.Contains(csp, "script-src 'self';") ||
		!strings.Contains(csp, "frame-ancestors 'self'") || resp.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Fatalf("diagram policy %q", csp)
	}
	if !strings.Contains(html, "class stored current") || strings.Contains(html, "<script>") {
		t.Fatalf("diagram page:\n%s", html)
	}
}

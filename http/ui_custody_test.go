package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"bayu/store"
	"bayu/workflow"
)

// page is a browser-like client of the API test server, signed in through
// the login form; it does not follow redirects.
type pageClient struct {
	t *testing.T
	c *http.Client
	a *api
}

func (a *api) signIn(name, password string) *pageClient {
	a.t.Helper()
	jar, _ := cookiejar.New(nil)
	p := &pageClient{t: a.t, a: a, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if code, _, _ := p.send("/login", url.Values{"name": {name}, "password": {password}}); code != http.StatusSeeOther {
		a.t.Fatalf("login %s: %d", name, code)
	}
	return p
}

func (p *pageClient) send(path string, form url.Values) (int, string, http.Header) {
	p.t.Helper()
	var res *http.Response
	var err error
	if form == nil {
		res, err = p.c.Get(p.a.srv.URL + path)
	} else {
		res, err = p.c.PostForm(p.a.srv.URL+path, form)
	}
	if err != nil {
		p.t.Fatal(err)
	}
	return res.StatusCode, body(p.t, res), res.Header
}

// TestCustodyPages: each method's printable agreement in Chinese with its
// parties and terms, the deposit's every due date; the exhibit page's move,
// extension and display forms work; the exhibitions and consignment pages
// render in both languages without a raw key; districts may not open them.
func TestCustodyPages(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	don := a.accepted("donation", nil)
	a.must("coord", don, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"重庆市公共实训中心；铁路运输技师学院","donation_form":"copy"}}`)
	dep := a.accepted("deposit", nil)
	a.must("coord", dep, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"中心；寄存人","return_due":"2026-12-31"}}`)
	a.must("coord", dep, `{"event":"store","data":{"location":"库房 A-01"}}`)
	a.must("coord", dep, `{"event":"extend_deposit","reason":"巡展延期","data":{"return_due":"2027-06-30"}}`)
	rep := a.accepted("replication", nil)
	a.must("coord", rep, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"中心；档案馆","original_return_due":"2026-09-30"}}`)
	con := a.accepted("consignment", nil)
	a.must("coord", con, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"中心；工作室","asking_price_cny":12000,"commission_pct":12.5,"term_end":"2027-01-31"}}`)
	ex := a.do("coord", "POST", "/api/v1/exhibitions", `{"venue_id":1,"title":"绝技绝活专场","starts_on":"2026-08-01","ends_on":"2026-10-31"}`).json(t)
	exID := fmt.Sprint(ex["id"])

	c := a.signIn("coord", "coord-password")
	x := "/exhibits/" + strconv.FormatInt(dep, 10)
	code, html, _ := c.send(x, nil)
	for _, want := range []string{`id="locations"`, `id="form-move"`, `id="form-extend_deposit"`, `name="data.exhibition"`,
		`<option value="` + exID + `">绝技绝活专场（世界技能博物馆，2026-08-01 – 2026-10-31）</option>`, `href="` + x + `/agreement"`, "BYGJ-2026-0002"} {
		if code != 200 || !strings.Contains(html, want) {
			t.Errorf("exhibit page lacks %s", want)
		}
	}
	for _, f := range []url.Values{
		{"event": {"move"}, "data.location": {"库房 B-02"}},
		{"event": {"extend_deposit"}, "data.return_due": {"2027-12-31"}},
		{"event": {"display"}, "data.exhibition": {exID}},
	} {
		if code, html, h := c.send(x+"/events", f); code != http.StatusSeeOther {
			t.Errorf("%v: %d %s %s", f, code, h.Get("Location"), html)
		}
	}
	if got := a.get("coord", exhibitPath(dep)); got["state"] != "on_display" || got["custody"].(map[string]any)["location"] != "库房 B-02" {
		t.Errorf("after the forms: %v", got)
	}

	agreements := map[int64][]string{
		don: {"“巴渝工匠”绝技绝活展品捐赠协议", "BYGJ-2026-0001", "重庆市公共实训中心；铁路运输技师学院", "捐赠形式为复制件", "梁攀", "13900000101"},
		dep: {"“巴渝工匠”绝技绝活展品寄存协议", "BYGJ-2026-0002", "寄存期至2027-12-31", `id="due-dates"`, "2026-12-31", "2027-06-30", "巡展延期", "延长寄存期"},
		rep: {"“巴渝工匠”绝技绝活展品复制协议", "BYGJ-2026-0003", "于2026-09-30前将原件归还乙方"},
		con: {"“巴渝工匠”绝技绝活展品寄售协议", "BYGJ-2026-0004", "人民币12,000元", "成交价格的12.5%", "寄售期限至2027-01-31"},
	}
	for id, wants := range agreements {
		code, html, _ := c.send(fmt.Sprintf("/exhibits/%d/agreement", id), nil)
		for _, want := range wants {
			if code != 200 || !strings.Contains(html, want) {
				t.Errorf("agreement of %d (%d) lacks %q", id, code, want)
			}
		}
	}

	keys := localeKeys(t)
	for _, p := range []string{"/exhibitions", "/exhibitions/" + exID, "/consignments", x, fmt.Sprintf("/exhibits/%d/agreement", dep),
		fmt.Sprintf("/exhibits/%d/agreement", con), "/gallery", "/submit"} {
		for _, lang := range []string{"zh-CN", "en"} {
			sep := map[bool]string{true: "&", false: "?"}[strings.Contains(p, "?")]
			code, html, _ := c.send(p+sep+"lang="+lang, nil)
			if code != 200 {
				t.Errorf("%s %s: %d", p, lang, code)
			}
			words := map[string]bool{}
			for _, w := range strings.Fields(tags.ReplaceAllString(html, " ")) {
				words[strings.Trim(w, "：:，,。()（）")] = true
			}
			for _, k := range keys {
				if words[k] {
					t.Errorf("%s %s shows the raw key %s", p, lang, k)
				}
			}
		}
	}
	// The language switch is remembered: back to Chinese for the rest.
	if _, html, _ := c.send("/exhibitions/"+exID+"?lang=zh-CN", nil); !strings.Contains(html, `id="exhibition-items"`) || !strings.Contains(html, "展出中") {
		t.Errorf("the exhibition does not list the displayed item")
	}
	if _, html, _ := c.send("/consignments", nil); !strings.Contains(html, "12,000") || !strings.Contains(html, "12.5%") {
		t.Errorf("consignment list lacks price or commission")
	}

	code, _, h := c.send("/exhibitions", url.Values{"venue_id": {"3"}, "title": {"英才大会展区"}, "starts_on": {"2026-11-01"}, "ends_on": {"2026-11-03"}})
	if code != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "?created=1") {
		t.Errorf("plan an exhibition: %d %s", code, h.Get("Location"))
	}
	code, html, _ = c.send("/exhibitions", url.Values{"venue_id": {"3"}, "title": {"倒置的展期"}, "starts_on": {"2026-11-03"}, "ends_on": {"2026-11-01"}})
	if code != 422 || !strings.Contains(html, "不能早于开始日期") || !strings.Contains(html, `value="倒置的展期"`) {
		t.Errorf("an exhibition ending before it starts: %d", code)
	}

	if _, _, err := a.st.CreateUser(context.Background(), store.NewUser{Name: "wz-ui", Role: workflow.District, District: "500101", Password: "district-pw"}); err != nil {
		t.Fatal(err)
	}
	d := a.signIn("wz-ui", "district-pw")
	for _, p := range []string{"/consignments", "/exhibitions"} {
		if code, _, _ := d.send(p, nil); code != http.StatusForbidden {
			t.Errorf("a district opens %s: %d", p, code)
		}
	}
	if code, _, _ := d.send(fmt.Sprintf("/exhibits/%d/agreement", dep), nil); code != 200 {
		t.Errorf("the unit reads its own item's agreement: %d", code)
	}
}

package http_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	bayuhttp "bayu/http"
)

// anon fetches a page as someone who is not signed in; redirects are not followed.
func (a *api) anon(path string, form url.Values) (int, string, http.Header) {
	a.t.Helper()
	return anonAt(a.t, a.srv.URL, path, form)
}

func anonAt(t *testing.T, base, path string, form url.Values) (int, string, http.Header) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var res *http.Response
	var err error
	if form == nil {
		res, err = c.Get(base + path)
	} else {
		res, err = c.PostForm(base+path, form)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

// publicData stores items whose contact names and phones also appear in the
// descriptions and names of others, as holders write them: three in the
// library (one on display, one for sale, one with a photo), one only reported.
func publicData(t *testing.T, a *api) (stored []int64, reported int64, photo int64) {
	t.Helper()
	don := a.accepted("donation", map[string]any{"name": "世赛金牌", "contact_name": "梁攀", "contact_phone": "13900000101",
		"description": "梁攀参加第45届世赛电子技术项目夺得冠军获得金牌"})
	a.must("coord", don, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"重庆市公共实训中心；梁攀"}}`)
	a.must("coord", don, `{"event":"store","data":{"location":"库房 A-01"}}`)
	r := a.upload("coord", don, "medal.png", pngFile(t, 640, 480))
	if r.status != 201 {
		t.Fatalf("photo: %d %s", r.status, r.body)
	}
	photo = int64(r.json(t)["id"].(float64))

	dep := a.accepted("deposit", map[string]any{"name": "李乔的老式车床", "contact_name": "李乔", "contact_phone": "18225293447",
		"description": "详情请联系李乔 18225293447；曾与梁攀（13900000101）同台竞技"})
	a.must("coord", dep, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"中心；李乔","return_due":"2027-06-30"}}`)
	a.must("coord", dep, `{"event":"store","data":{"location":"库房 A-02"}}`)
	ex := a.do("coord", "POST", "/api/v1/exhibitions", `{"venue_id":5,"title":"巴渝工匠长廊常设展","starts_on":"2026-07-10","ends_on":"2026-12-31"}`).json(t)
	a.must("coord", dep, fmt.Sprintf(`{"event":"display","data":{"exhibition":%v}}`, ex["id"]))

	con := a.accepted("consignment", map[string]any{"name": "蜀绣《山城夜景》", "contact_name": "王小梅", "contact_phone": "023-61234567",
		"description": "王小梅手工蜀绣，座机 023-61234567"})
	a.must("coord", con, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"中心；王小梅","asking_price_cny":12000,"term_end":"2027-01-31"}}`)
	a.must("coord", con, `{"event":"store","data":{"location":"寄售展柜"}}`)

	rep, _ := a.create("wanzhou") // completeItem: 梁攀 again, reported only
	a.must("wanzhou", rep, `{"event":"report"}`)
	if r := a.upload("wanzhou", rep, "draft.png", pngFile(t, 20, 20)); r.status != 201 {
		t.Fatalf("photo: %d", r.status)
	}
	code, html, _ := a.anon("/submit", nil)
	if code != 200 || !strings.Contains(html, `name="homepage_url"`) {
		t.Fatalf("/submit: %d", code)
	}
	if code, _, _ := a.anon("/submit", submitForm("OUT", "赵大山", "13700000005")); code != http.StatusSeeOther {
		t.Fatalf("public submission: %d", code)
	}
	return []int64{don, dep, con}, rep, photo
}

// submitForm is a complete offer through the public form.
func submitForm(unit, name, phone string) url.Values {
	return url.Values{"district": {unit}, "name": {"手工錾刻铜壶"}, "category": {"工艺品"}, "content_type": {"craft_work"},
		"region": {"重庆"}, "valuation_text": {"5000元"}, "description": {name + "老师傅手工錾刻，电话 " + phone},
		"era_type": {"制作年代"}, "era": {"2020"}, "size_cm": {"20×20×30"}, "weight_kg": {"2.5"}, "quantity": {"1"},
		"method": {"donation"}, "source_unit": {name + "工作室"}, "contact_name": {name}, "contact_phone": {phone},
		"storage_conditions": {"干燥"}}
}

var galleryLink = regexp.MustCompile(`href="/gallery/([0-9]+)"`)

// TestPublicPagesShowNoPersonalData fetches, without a login, the gallery in
// both languages and with each filter, every item page it links to, their
// JSON, the photos and the submission pages, and looks in each for every
// contact name and phone number the database holds.
func TestPublicPagesShowNoPersonalData(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	stored, reported, photo := publicData(t, a)
	pages := map[string]string{}
	for _, p := range []string{"/gallery", "/gallery?lang=en", "/gallery?for_sale=1", "/gallery?type=competition",
		"/api/v1/gallery", "/submit", "/submit/thanks?receipt=GZ20260710-000001"} {
		code, body, _ := a.anon(p, nil)
		if code != 200 {
			t.Errorf("%s: %d", p, code)
		}
		pages[p] = body
	}
	linked := map[string]bool{}
	for _, m := range galleryLink.FindAllStringSubmatch(pages["/gallery"], -1) {
		linked[m[1]] = true
	}
	if len(linked) != len(stored) {
		t.Errorf("the gallery links %v, want the %d stored items", linked, len(stored))
	}
	for id := range linked {
		for _, p := range []string{"/gallery/" + id, "/gallery/" + id + "?lang=en", "/api/v1/gallery/" + id} {
			code, body, _ := a.anon(p, nil)
			if code != 200 {
				t.Errorf("%s: %d", p, code)
			}
			pages[p] = body
		}
	}
	var people []struct{ Name, Phone string }
	if err := a.st.DB().Select(&people, `SELECT contact_name AS name, contact_phone AS phone FROM exhibits`); err != nil || len(people) != 5 {
		t.Fatalf("contacts in the data: %v %v", people, err)
	}
	for p, body := range pages {
		for _, c := range people {
			for _, secret := range []string{c.Name, c.Phone, strings.ReplaceAll(c.Phone, "-", "")} {
				if strings.Contains(body, secret) {
					t.Errorf("%s shows %q", p, secret)
				}
			}
		}
	}
	// What the public does see: the items, their text without the people, the price.
	first := pages["/gallery/"+strconv.FormatInt(stored[0], 10)]
	for _, want := range []string{"世赛金牌", "＊＊参加第45届世赛电子技术项目夺得冠军获得金牌", "＊＊的老式车床", "蜀绣《山城夜景》", "寄售价 12,000 元"} {
		if !strings.Contains(pages["/gallery"]+first, want) {
			t.Errorf("the gallery lacks %q", want)
		}
	}
	if !strings.Contains(pages["/gallery/"+strconv.FormatInt(stored[1], 10)], "“巴渝工匠”文化展示长廊（市人力社保局）") {
		t.Errorf("the displayed item does not say where")
	}
	if strings.Contains(pages["/gallery?for_sale=1"], "世赛金牌") || !strings.Contains(pages["/gallery?for_sale=1"], "山城夜景") {
		t.Errorf("for sale: %s", pages["/gallery?for_sale=1"])
	}
	// Photos: the thumbnail of a stored item's photo only; the original never.
	code, _, h := a.anon(fmt.Sprintf("/gallery/photos/%d", photo), nil)
	if code != 200 || h.Get("Content-Type") != "image/jpeg" || !strings.Contains(pages["/gallery"], fmt.Sprintf(`src="/gallery/photos/%d"`, photo)) {
		t.Errorf("public photo: %d %s", code, h.Get("Content-Type"))
	}
	for _, p := range []string{fmt.Sprintf("/gallery/photos/%d", photo+1), "/gallery/photos/x", "/gallery/" + strconv.FormatInt(reported, 10),
		"/api/v1/gallery/" + strconv.FormatInt(reported, 10)} {
		if code, _, _ := a.anon(p, nil); code != 404 {
			t.Errorf("%s (not in the library): %d", p, code)
		}
	}
}

// TestPublicSubmitForm: an offer lands reported in the chosen unit with a
// receipt; the honeypot drops a robot's post without a word; an incomplete
// offer is shown again with its reasons; an address is limited per hour.
func TestPublicSubmitForm(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	code, _, h := a.anon("/submit", submitForm("500101", "孙师傅", "13700000007"))
	loc := h.Get("Location")
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/submit/thanks?receipt=GZ20260710-") {
		t.Fatalf("offer: %d %s", code, loc)
	}
	receipt := strings.TrimPrefix(loc, "/submit/thanks?receipt=")
	if _, html, _ := a.anon(loc, nil); !strings.Contains(html, `<strong id="receipt">`+receipt+`</strong>`) {
		t.Errorf("the thanks page does not show %s", receipt)
	}
	list := a.get("wanzhou", "/api/v1/exhibits?state=reported")["exhibits"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["contact_name"] != "孙师傅" {
		t.Fatalf("the unit's reported items: %v", list)
	}
	hist := a.get("coord", exhibitPath(int64(list[0].(map[string]any)["id"].(float64)))+"/history")["transitions"].([]any)
	if last := hist[len(hist)-1].(map[string]any); last["role"] != "public" || !strings.Contains(last["reason"].(string), receipt) {
		t.Errorf("history of the offer: %v", last)
	}

	bot := submitForm("500101", "机器人", "13700000008")
	bot.Set("homepage_url", "http://spam.example")
	if code, _, h := a.anon("/submit", bot); code != http.StatusSeeOther || h.Get("Location") != "/submit/thanks" {
		t.Errorf("honeypot: %d %s", code, h.Get("Location"))
	}
	half := submitForm("OUT", "周师傅", "")
	half.Del("description")
	code, html, _ := a.anon("/submit", half)
	if code != 422 || !strings.Contains(html, "必须填写") || !strings.Contains(html, `value="周师傅"`) {
		t.Errorf("incomplete offer: %d", code)
	}
	var n int
	if err := a.st.DB().Get(&n, `SELECT count(*) FROM exhibits`); err != nil || n != 1 {
		t.Errorf("the robot's or the incomplete offer was kept: %d items %v", n, err)
	}

	// A server allowing 2 posts an hour: the third from the same address is refused.
	srv := httptest.NewServer(bayuhttp.NewServer(a.st, bayuhttp.Options{SubmitLimit: 2}).Handler())
	defer srv.Close()
	if _, err := a.st.DB().ExecContext(context.Background(), `DELETE FROM submit_attempts`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		code, html, _ := anonAt(t, srv.URL, "/submit", submitForm("500102", "吴师傅", fmt.Sprintf("1370000001%d", i)))
		if want := map[bool]int{true: http.StatusSeeOther, false: http.StatusTooManyRequests}[i <= 2]; code != want {
			t.Errorf("post %d: %d, want %d", i, code, want)
		} else if i == 3 && !strings.Contains(html, "提交过于频繁") {
			t.Errorf("the refusal does not say why")
		}
	}
}

package http_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	bayuhttp "bayu/http"
	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow"
	"bayu/workflow/campaign"
	"bayu/workflow/listform"
	"bayu/workflow/sample"
)

// TestBrowserCampaignStory walks one campaign through the real pages in headless
// Chromium, by clicking and typing as people would: a district imports its list
// (a faulty file first), creates and reports two more items (one first refused
// for a missing name) and recommends all five;
// an evaluator evaluates one (once refused for a missing score); a coordinator
// accepts, signs and stores it; an auditor finds it among all transitions,
// verifies the history and reads the exhibit's whole story. Every page
// is photographed at office and phone size, and any console error fails the test.
func TestBrowserCampaignStory(t *testing.T) {
	started := time.Now()
	// The clock reads 20 July: the recommend phase of the 2026 campaign, lists due on the 31st.
	now := time.Date(2026, 7, 20, 2, 0, 0, 0, time.UTC)
	st := storetest.New(t, store.Options{Clock: func() time.Time { return now }, PasswordCost: bcrypt.MinCost})
	ctx := context.Background()
	const pw = "browser-test-pw"
	users := map[string]workflow.Actor{}
	for _, u := range []store.NewUser{
		{Name: "coord", Role: workflow.Coordinator, Password: pw},
		{Name: "yuzhong", Role: workflow.District, District: "500103", Password: pw},
		{Name: "expert", Role: workflow.Evaluator, Password: pw},
		{Name: "audit", Role: workflow.Auditor, Password: pw},
	} {
		created, _, err := st.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		users[u.Name] = created.Actor()
	}
	if _, err := st.CreateCampaign(ctx, users["coord"], campaign.Default(2026)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bayuhttp.NewServer(st, bayuhttp.Options{}).Handler())
	t.Cleanup(srv.Close)
	b := newBrowser(t, srv.URL)

	// The login page, then a wrong password: the refusal is said in Chinese, the name kept.
	b.open("/login", "input[name=name]")
	b.shoot("login", "")
	b.do("type a wrong password",
		chromedp.SendKeys(chromedp.CSS("input[name=name]"), "yuzhong"),
		chromedp.SendKeys(chromedp.CSS("input[name=password]"), "not-the-password"))
	b.submit("form[action='/login'] button[type=submit]", "#login-error")
	b.contains("#login-error", "用户名或密码错误")
	if v := b.value("input[name=name]"); v != "yuzhong" {
		t.Fatalf("the name typed was not kept: %q", v)
	}
	b.shoot("login-refused", "")

	// District: a list with a row lacking its description is refused with the
	// row and column named; the good list is previewed, then imported.
	b.login("yuzhong", pw, "#quota")
	b.contains("h1", "渝中区")
	dir := t.TempDir()
	bad, good := writeList(t, dir, "bad.xlsx", true), writeList(t, dir, "yuzhong-2026.xlsx", false)
	b.do("upload a faulty list", chromedp.SetUploadFiles(chromedp.CSS("#import-form input[type=file]"), []string{bad}))
	b.submit("#import-preview-button", "#import-errors")
	b.contains("#import-errors", "展品描述")
	b.shoot("import-refused", "")
	b.open("/workspace", "#import-form")
	b.do("upload the list", chromedp.SetUploadFiles(chromedp.CSS("#import-form input[type=file]"), []string{good}))
	b.submit("#import-preview-button", "#import-preview")
	b.contains("#import-preview", "新建 3 件")
	b.shoot("import-preview", "")
	b.submit("#import-confirm button[type=submit]", ".flash")
	b.contains(".flash", "新建 3 件")

	// District: a form without a name is refused beside the field, with what was typed kept.
	b.open("/exhibits/new", "#new-exhibit")
	b.fillExhibit("", "奖牌", "donation")
	b.submit("#new-exhibit button[value=report]", "#new-exhibit .error")
	b.contains("#new-exhibit label.invalid", "展品名称不能为空")
	if v := b.value("input[name=category]"); v != "奖牌" {
		t.Fatalf("the category typed was not kept: %q", v)
	}
	b.shoot("new-exhibit-refused", "")
	b.do("type the name", chromedp.SendKeys(chromedp.CSS("input[name=name]"), "世赛金牌（渝中）"))
	b.submit("#new-exhibit button[value=report]", "#current-state")
	b.contains("#current-state", "已报送")
	b.open("/exhibits/new", "#new-exhibit")
	b.fillExhibit("蜀绣《山城夜景》", "刺绣", "deposit")
	b.submit("#new-exhibit button[value=report]", "#current-state")
	b.contains("#current-state", "已报送")
	b.shoot("exhibit-reported", "document.getElementById('diagram-frame').classList.contains('drawn')")

	// District: recommend all five from the workspace; ask for a calendar feed address.
	b.open("/workspace", "#recommend-form")
	b.shoot("workspace", "")
	b.do("tick all", chromedp.Click(chromedp.CSS("#check-all")))
	b.submit("#recommend-selected", ".flash")
	b.contains(".flash", "已推荐 5 件展品")
	b.submit("#calendar-button", "#feed-url")
	if v := b.value("#feed-url"); !strings.Contains(v, "/api/v1/calendar.ics?token=bayu_") {
		t.Fatalf("feed address %q", v)
	}
	b.logout()

	// Evaluator: the queue holds both; a missing score is refused beside the score input.
	b.login("expert", pw, "#queue")
	b.shoot("queue", "")
	b.submit(`//table[@id="queue"]//tr[td[contains(., "世赛金牌（渝中）")]]//a`, "#form-evaluate")
	b.contains("h1", "世赛金牌（渝中）")
	b.do("fill the evaluation without a score",
		chromedp.Click(chromedp.CSS("#form-evaluate input[name='data.authentic']")),
		chromedp.Click(chromedp.CSS("#form-evaluate input[name='data.no_classified']")),
		chromedp.Click(chromedp.CSS("#form-evaluate input[name='data.no_infringement']")),
		chromedp.SendKeys(chromedp.CSS("#form-evaluate textarea[name='data.comment']"), "工艺精湛，来源清楚"))
	b.submit("#form-evaluate button[type=submit]", "#form-evaluate .error")
	b.contains("#form-evaluate label.invalid", "必须填写")
	if v := b.value("#form-evaluate textarea[name='data.comment']"); v != "工艺精湛，来源清楚" {
		t.Fatalf("the comment typed was not kept: %q", v)
	}
	b.shoot("evaluate-refused", "document.getElementById('diagram-frame').classList.contains('drawn')")
	b.do("type the score", chromedp.SendKeys(chromedp.CSS("#form-evaluate input[name='data.score']"), "88"))
	b.submit("#form-evaluate button[type=submit]", ".flash")
	b.contains(".flash", "已评估：世赛金牌（渝中）")
	b.logout()

	// Coordinator: the dashboard, then accept, sign and store the evaluated item.
	b.login("coord", pw, "#timeline")
	b.contains("#timeline", "汇总推荐")
	b.contains(".days-left", "剩余 12 天")
	b.contains("#units", "渝中区")
	b.shoot("dashboard", "document.querySelector('#progress-chart svg') !== null")
	b.open("/exhibits?q="+url.QueryEscape("世赛金牌"), "#exhibit-list")
	b.shoot("exhibits", "")
	b.submit("#exhibit-list tbody a", "#form-accept")
	b.submit("#form-accept button[type=submit]", "#form-sign_agreement")
	b.do("fill the agreement",
		chromedp.SetValue(chromedp.CSS("#form-sign_agreement input[name='data.signed_on']"), "2026-07-21"),
		chromedp.SendKeys(chromedp.CSS("#form-sign_agreement input[name='data.parties']"), "市公共实训中心、重庆市技师学院"))
	b.submit("#form-sign_agreement button[type=submit]", "#form-store")
	b.do("fill the location", chromedp.SendKeys(chromedp.CSS("#form-store input[name='data.location']"), "A区3号柜"))
	b.submit("#form-store button[type=submit]", ".flash")
	b.contains("#current-state", "已入库")
	b.shoot("exhibit-stored", "document.getElementById('diagram-frame').classList.contains('drawn')")
	b.logout()

	// Auditor: every transition of the unit across exhibits, the integrity
	// verdict, and the whole story of one exhibit in its history.
	b.login("audit", pw, "#transitions")
	b.open("/audit?district=500103&event=store", "#transitions")
	b.contains("#transitions", "世赛金牌（渝中）")
	b.contains("#transitions", "A区3号柜")
	b.submit("#verify", "#verdict")
	b.contains("#verdict", "流转记录完整")
	b.shoot("audit", "")
	b.open("/exhibits?q="+url.QueryEscape("世赛金牌（渝中）"), "#exhibit-list")
	b.submit("#exhibit-list tbody a", "#history")
	history := b.text("#history")
	for _, step := range []string{"创建", "报送", "推荐", "评估", "确定入选", "签署协议", "入库", "yuzhong", "expert", "coord", "A区3号柜"} {
		if !strings.Contains(history, step) {
			t.Errorf("the history lacks %q:\n%s", step, history)
		}
	}
	if strings.Contains(b.text("#actions"), "入库") {
		t.Error("an auditor is offered an event")
	}
	b.shoot("exhibit-history", "document.getElementById('diagram-frame').classList.contains('drawn')")

	// The language switch: the same page in English, kept on the next page.
	b.submit(".langs a[lang=en]", "#history")
	b.contains("#actions h2", "What you can do")
	b.contains("#history", "sign agreement")
	b.shoot("exhibit-english", "document.getElementById('diagram-frame').classList.contains('drawn')")
	b.open("/dashboard", "#timeline")
	b.contains("#timeline", "days left")
	b.shoot("dashboard-english", "document.querySelector('#progress-chart svg') !== null")
	b.checkConsole("pages")
	if d := time.Since(started); d > 90*time.Second {
		t.Errorf("the browser test took %v; keep it under 90 s", d)
	}
}

// writeList writes a unit's list form with three items; faulty leaves the
// second one's description out, which the import must refuse.
func writeList(t *testing.T, dir, name string, faulty bool) string {
	t.Helper()
	var items []listform.Item
	for i, m := range []workflow.Method{workflow.Deposit, workflow.Replication, workflow.Consignment} {
		f := sample.Fields(i+1, m)
		if faulty && i == 1 {
			f.Description = ""
		}
		items = append(items, listform.Item{Fields: f})
	}
	var buf bytes.Buffer
	if err := listform.Write(&buf, listform.UnitInfo{Name: "渝中区人力社保局", ContactName: "李科长", ContactPhone: "023-63891234"},
		items, listform.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// fillExhibit types an item's fields into the new-exhibit form.
func (b *browser) fillExhibit(name, category, method string) {
	b.t.Helper()
	acts := []chromedp.Action[chromedp.Void]{}
	if name != "" {
		acts = append(acts, chromedp.SendKeys(chromedp.CSS("input[name=name]"), name))
	}
	acts = append(acts,
		chromedp.SendKeys(chromedp.CSS("input[name=category]"), category),
		chromedp.SetValue(chromedp.CSS("select[name=content_type]"), "competition"),
		chromedp.SendKeys(chromedp.CSS("input[name=region]"), "重庆"),
		chromedp.SendKeys(chromedp.CSS("input[name=valuation_text]"), "1.5万"),
		chromedp.SendKeys(chromedp.CSS("input[name=era_type]"), "制造年代"),
		chromedp.SendKeys(chromedp.CSS("input[name=era]"), "2019"),
		chromedp.SendKeys(chromedp.CSS("input[name=size_cm]"), "30×20×5"),
		chromedp.SendKeys(chromedp.CSS("input[name=weight_kg]"), "0.5kg"),
		chromedp.SetValue(chromedp.CSS("select[name=method]"), method),
		chromedp.SendKeys(chromedp.CSS("input[name=source_unit]"), "重庆市技师学院"),
		chromedp.SendKeys(chromedp.CSS("input[name=contact_name]"), "张工"),
		chromedp.SendKeys(chromedp.CSS("input[name=contact_phone]"), "13912345678"),
		chromedp.SendKeys(chromedp.CSS("input[name=storage_conditions]"), "干燥"),
		chromedp.SendKeys(chromedp.CSS("textarea[name=description]"), "第45届世界技能大赛获奖作品"),
	)
	b.do("fill the exhibit form", acts...)
}

// value returns the current value of a form control.
func (b *browser) value(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

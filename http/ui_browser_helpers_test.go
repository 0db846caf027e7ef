package http_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// screenshotDir is where the browser test leaves a picture of every page, at an
// office screen's size and a phone's (gitignored; look at them after a change).
const screenshotDir = "../testoutput/screenshots"

// browser is one headless Chromium tab, with everything the pages wrote to the
// console collected: the test fails on any error or uncaught exception.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the browser test needs Chromium at %s: apt-get install -y chromium (.ci/run does)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "zh-CN"), // as on the offices' machines
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	b := &browser{t: t, ctx: ctx, base: base}
	if err := chromedp.Listen(ctx, b.watch); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	return b
}

// watch collects console errors, uncaught exceptions and browser log errors
// (a refused inline style, a failed request) of the page and its frames.
func (b *browser) watch(ev any) {
	var p string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			p = "console." + string(e.Type) + ": " + strings.Join(parts, " ")
		}
	case *runtime.EventExceptionThrown:
		p = "exception: " + e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			p += " " + e.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError && !refusedPage(e.Entry) {
			p = "log " + string(e.Entry.Source) + ": " + e.Entry.Text + " " + e.Entry.URL
		}
	}
	if p != "" {
		b.mu.Lock()
		b.problems = append(b.problems, p)
		b.mu.Unlock()
	}
}

// refusedPage tells the log line of a page answered 4xx on purpose (a refused
// login or form is shown again with 401, 409 or 422) from a real failure: a
// static file, the diagram frame or any 5xx.
func refusedPage(e *log.Entry) bool {
	if e.Source != log.EntrySourceNetwork || strings.Contains(e.Text, "status of 5") {
		return false
	}
	return !strings.Contains(e.URL, "/static/") && !strings.Contains(e.URL, "/ui/") && !strings.Contains(e.URL, "favicon")
}

// checkConsole fails the test with whatever the pages complained about so far.
func (b *browser) checkConsole(where string) {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("%s: %s", where, p)
	}
	b.problems = nil
}

// do runs actions with a time limit, failing the test on an error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the text of the first element sel matches.
func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// contains fails unless the element sel matches holds want.
func (b *browser) contains(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Fatalf("%s: want %q in %q", sel, want, got)
	}
}

// open loads a page of the server.
func (b *browser) open(path string, wait string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(wait)))
}

// submit clicks a button or link (a CSS selector, or an XPath starting with //)
// and waits for the next page's load event, then for wait on it: waiting for
// wait alone could end on the old page when both pages have it.
func (b *browser) submit(button, wait string) {
	b.t.Helper()
	click := chromedp.Click(chromedp.CSS(button))
	if strings.HasPrefix(button, "//") {
		click = chromedp.Click(button)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, click)); err != nil {
		b.t.Fatalf("click %s: %v", button, err)
	}
	b.do("wait for "+wait, chromedp.WaitVisible(chromedp.CSS(wait)))
}

// shoot saves the page as it is at 1366×768 and at a phone's 390×844, each the
// whole page; ready is a script that is true once the page has drawn (charts, diagram).
func (b *browser) shoot(name, ready string) {
	b.t.Helper()
	for _, size := range [][2]int64{{1366, 768}, {390, 844}} {
		acts := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(size[0], size[1])}
		if ready != "" {
			acts = append(acts, chromedp.Poll[chromedp.Void](ready))
		}
		b.do("resize for "+name, acts...)
		ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		if err != nil {
			b.t.Fatalf("screenshot %s: %v", name, err)
		}
		file := filepath.Join(screenshotDir, fmt.Sprintf("%s-%dx%d.png", name, size[0], size[1]))
		if err := os.WriteFile(file, png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	b.do("back to the desktop size", chromedp.EmulateViewport(1366, 768))
}

// login signs in through the login form.
func (b *browser) login(name, password, wait string) {
	b.t.Helper()
	b.open("/login", "input[name=name]")
	b.do("type the login",
		chromedp.SendKeys(chromedp.CSS("input[name=name]"), name),
		chromedp.SendKeys(chromedp.CSS("input[name=password]"), password))
	b.submit("form[action='/login'] button[type=submit]", wait)
}

// logout signs out with the button in the top bar.
func (b *browser) logout() {
	b.t.Helper()
	b.submit("form[action='/logout'] button", "input[name=password]")
}

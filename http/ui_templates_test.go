package http

import (
	"testing"
)

// TestUIStartupCheck builds the UI from the embedded files: every template
// parses and renders its empty view in both languages.
func TestUIStartupCheck(t *testing.T) {
	u, err := newUI(uiFiles)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.sortedPages(); len(got) != len(emptyViews()) {
		t.Fatalf("pages %v, views %d", got, len(emptyViews()))
	}
}

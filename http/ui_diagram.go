package http

import (
	"net/http"
	"slices"
	"strings"

	"bayu/workflow"
)

// diagramCSP is the policy of the diagram frame. Mermaid draws by writing
// <style> elements and style attributes while it lays the diagram out, and has
// no option not to (mermaid-js/mermaid#856); under the UI's policy every one of
// them is refused and logged. So the diagram runs in a frame of its own whose
// policy allows inline styles — and only that: scripts still come from this
// server alone, and the frame shows nothing but the state machine, which holds
// no user data, so there is nothing to inject a style into. The pages keep the
// strict policy; only this frame may be framed, and only by them.
const diagramCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// diagramView is the frame's document: the Mermaid text to draw.
type diagramView struct {
	page
	Source string
}

// diagramFrame draws the state machine with ?state= marked. It needs no login:
// the workflow is public (GET /api/v1/workflow.mmd).
func (s *uiServer) diagramFrame(w http.ResponseWriter, r *http.Request) {
	st := workflow.State(r.URL.Query().Get("state"))
	if !slices.Contains(workflow.States(), st) {
		st = ""
	}
	h := w.Header()
	h.Set("Content-Security-Policy", diagramCSP)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	v := &diagramView{page: page{Title: s.t(r, "diagram.title")}, Source: mermaidSource(apiLang(langOf(r)), st)}
	s.render(w, r, http.StatusOK, "diagram", v)
}

// mermaidSource is the state machine of workflow.Table as Mermaid text, with the
// states and events named in the language and the current state, if any, marked.
// It draws the same edges as workflow.Diagram("mmd") (a test compares them); it
// is built here only to put names for people on them.
func mermaidSource(lang string, current workflow.State) string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	for _, st := range workflow.States() {
		b.WriteString("    state \"" + mermaidText(st.Label().In(lang)) + "\" as " + string(st) + "\n")
	}
	b.WriteString("    [*] --> " + string(workflow.Mobilized) + "\n")
	for _, tr := range workflow.Table() {
		for _, from := range tr.From {
			b.WriteString("    " + string(from) + " --> " + string(tr.To) + ": " + mermaidText(tr.Event.Label().In(lang)) + "\n")
		}
	}
	for _, st := range workflow.States() {
		if st.Terminal() {
			b.WriteString("    " + string(st) + " --> [*]\n")
		}
	}
	b.WriteString("    classDef current fill:#fde68a,stroke:#b45309,stroke-width:3px,font-weight:bold\n")
	b.WriteString("    classDef ended fill:#f1f5f9,stroke:#94a3b8,color:#475569\n")
	var ended []string
	for _, st := range workflow.States() {
		if st.Terminal() && st != current {
			ended = append(ended, string(st))
		}
	}
	b.WriteString("    class " + strings.Join(ended, ",") + " ended\n")
	if current != "" {
		b.WriteString("    class " + string(current) + " current\n")
	}
	return b.String()
}

// mermaidText keeps a label from ending the Mermaid statement it is in.
func mermaidText(s string) string {
	return strings.NewReplacer("\"", "'", "\n", " ", ":", "：", ";", "；").Replace(s)
}

package http

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"bayu/http/export"
	"bayu/store"
	"bayu/workflow"
)

// auditors are the roles that review the whole history.
var auditors = only(workflow.Auditor, workflow.Coordinator)

// The filters of GET /transitions; its exports take the same but no page.
var (
	transitionQuery = []string{"exhibit", "actor", "event", "district", "since", "until", "limit", "cursor", "format"}
	exportQuery     = []string{"exhibit", "actor", "event", "district", "since", "until"}
)

func (s *Server) transitionRoutes() []route {
	q := exportQuery
	return []route{
		{Method: "GET", Pattern: "/transitions", Summary: "The history across all exhibits, oldest first, a page at a time (format=csv|xlsx exports it all)",
			Access: auditors, Handler: s.transitions, Query: transitionQuery, Response: store.TransitionPage{}},
		{Method: "GET", Pattern: "/transitions.csv", Summary: "The history across all exhibits as CSV (UTF-8 with BOM, Chinese headers)",
			Access: auditors, Handler: s.exportTransitions("csv"), Query: q, Produces: export.CSVType},
		{Method: "GET", Pattern: "/transitions.xlsx", Summary: "The history across all exhibits as an Excel workbook",
			Access: auditors, Handler: s.exportTransitions("xlsx"), Query: q, Produces: export.XLSXType},
	}
}

func (s *Server) transitions(w http.ResponseWriter, r *http.Request) error {
	switch f := r.URL.Query().Get("format"); f {
	case "", "json":
	case "csv", "xlsx":
		return s.exportTransitions(f)(w, r)
	default:
		return badQuery("format", "必须是 json、csv 或 xlsx", "must be json, csv or xlsx")
	}
	f, err := s.transitionFilter(r)
	if err != nil {
		return err
	}
	page, err := s.store.Transitions(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// transitionColumns are the export's columns: Chinese headers, widths in characters.
var transitionColumns = []export.Column{
	{Title: "记录号", Width: 10}, {Title: "时间(UTC)", Width: 28}, {Title: "展品编号", Width: 10},
	{Title: "展品名称", Width: 24}, {Title: "推荐单位", Width: 10}, {Title: "序号", Width: 6},
	{Title: "事件", Width: 12}, {Title: "事件代码", Width: 16}, {Title: "原状态", Width: 12},
	{Title: "新状态", Width: 12}, {Title: "操作人", Width: 12}, {Title: "角色", Width: 10},
	{Title: "原因", Width: 24}, {Title: "数据", Width: 40}, {Title: "客户端地址", Width: 16},
	{Title: "请求编号", Width: 28}, {Title: "哈希", Width: 66},
}

// exportTransitions streams every matching row as CSV or XLSX.
func (s *Server) exportTransitions(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := s.transitionFilter(r)
		if err != nil {
			return err
		}
		f.Limit, f.Cursor = 0, ""
		out, err := s.startExport(w, format, "transitions", "历史记录", transitionColumns)
		if err != nil {
			return err
		}
		cells := make([]string, len(transitionColumns))
		err = s.store.EachTransition(r.Context(), actorOf(r), f, func(t *store.TransitionRow) error {
			from := ""
			if t.From != nil {
				from = t.From.Label().ZH
			}
			copy(cells, []string{
				strconv.FormatInt(t.ID, 10), t.At.Format(time.RFC3339Nano), strconv.FormatInt(t.ExhibitID, 10),
				t.ExhibitName, t.District, strconv.Itoa(t.Seq), orCode(t.Event.Label().ZH, string(t.Event)), string(t.Event),
				from, t.To.Label().ZH, t.Actor, orCode(t.Role.Label().ZH, string(t.Role)), t.Reason, string(t.Data),
				t.ClientAddr, t.RequestID, t.Hash,
			})
			return out.Row(cells)
		})
		return s.finishExport(r, out, err)
	}
}

func (s *Server) transitionFilter(r *http.Request) (store.TransitionFilter, error) {
	q := r.URL.Query()
	f := store.TransitionFilter{Actor: q.Get("actor"), Event: workflow.Event(q.Get("event")),
		District: q.Get("district"), Cursor: q.Get("cursor")}
	var err error
	if f.ExhibitID, err = intParam(q.Get("exhibit"), "exhibit"); err != nil {
		return f, err
	}
	limit, err := intParam(q.Get("limit"), "limit")
	f.Limit = int(limit)
	if err != nil {
		return f, err
	}
	f.Since, f.Until, err = s.timeRange(q.Get("since"), q.Get("until"))
	return f, err
}

// timeRange reads since and until: RFC 3339 instants, or dates (YYYY-MM-DD)
// meaning days in the server's zone, until's day included.
func (s *Server) timeRange(since, until string) (time.Time, time.Time, error) {
	from, err := s.instant(since, "since", false)
	if err != nil {
		return from, from, err
	}
	to, err := s.instant(until, "until", true)
	return from, to, err
}

func (s *Server) instant(v, name string, endOfDay bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, v, s.store.Location())
	if err != nil {
		return d, badQuery(name, "必须是日期（2026-07-15）或时间（2026-07-15T08:00:00+08:00）",
			"must be a date (2026-07-15) or an RFC 3339 instant")
	}
	if endOfDay {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

func intParam(v, name string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, badQuery(name, "必须是正整数", "must be a positive whole number")
	}
	return n, nil
}

func badQuery(field, zh, en string) error {
	return &workflow.Error{Code: workflow.CodeBadRequest, Message: workflow.T("查询参数有误", "bad query parameters"),
		Fields: map[string]workflow.Text{field: workflow.T(zh, en)}}
}

// orCode is a label for people, or the code when there is none.
func orCode(label, code string) string {
	if strings.TrimSpace(label) == "" {
		return code
	}
	return label
}
